"""Seat substitution in admin: the button on a confirmed registration's page, the one-page form (sent whole), its answers."""

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from registrations.models import OutboxEmail, Registration, SeatHandover
from tests.admin_forms import form_with, forms_of, post_like_a_browser
from tests.conftest import make_delegation, submit
from tests.substitution_helpers import confirmed_delegate

Kind = OutboxEmail.Kind
pytestmark = pytest.mark.django_db


def change_url(registration) -> str:
    return reverse("admin:registrations_registration_change", args=[registration.pk])


def substitute_url(registration) -> str:
    return reverse("admin:registrations_registration_substitute", args=[registration.pk])


def send_whole_form(client, registration, **changes):
    page = client.get(substitute_url(registration)).content.decode()
    form = form_with(page, form_id="substitute_form")
    return post_like_a_browser(client, substitute_url(registration), form.data(**changes))


def colleague_fields(**overrides) -> dict:
    fields = {
        "full_name": "Park Ji-hoon",
        "job_title": "COO",
        "email": "park@example.kr",
        "phone": "+82 10 0000 0000",
        "wechat_id": "",
        "language": "ko",
    }
    return {**fields, **overrides}


def test_admin_change_page_of_a_confirmed_registration_has_the_handover_button(admin_client):
    old = confirmed_delegate(make_delegation())

    page = admin_client.get(change_url(old)).content.decode()

    assert f'href="{substitute_url(old)}"' in page
    assert "Hand this seat to a colleague" in page


def test_admin_change_page_of_a_waitlisted_registration_has_no_handover_button(admin_client):
    delegation = make_delegation(seats=1)
    submit(delegation)
    waiting = submit(delegation)

    assert substitute_url(waiting) not in admin_client.get(change_url(waiting)).content.decode()
    response = admin_client.get(substitute_url(waiting), follow=True)
    assert "Only a confirmed seat can be handed to a colleague." in response.content.decode()


def test_admin_form_prefills_the_company_and_sends_the_request(admin_client):
    old = confirmed_delegate(make_delegation())
    page = admin_client.get(substitute_url(old)).content.decode()
    assert dict(form_with(page, form_id="substitute_form").fields)["company"] == "Weihai Smart Logistics Co."

    response = send_whole_form(admin_client, old, **colleague_fields())

    assert response.status_code == 302 and response["Location"] == change_url(old)
    handover = SeatHandover.objects.get()
    assert (handover.full_name, handover.company, handover.language, handover.by_delegate) == (
        "Park Ji-hoon",
        "Weihai Smart Logistics Co.",
        "ko",
        False,
    )
    assert handover.requested_by.username == "admin"
    assert OutboxEmail.objects.get(kind=Kind.HANDOVER_REQUEST).recipient == "park@example.kr"
    shown = admin_client.get(change_url(old)).content.decode()
    assert "We e-mailed Park Ji-hoon a link to accept the seat by" in shown
    assert "Until then it stays with 张三." in shown
    assert "Waiting for Park Ji-hoon to accept this seat" in shown


def test_admin_form_refuses_another_company_beside_the_field_unless_overridden(admin_client):
    old = confirmed_delegate(make_delegation())

    refused = send_whole_form(admin_client, old, **colleague_fields(company="CJ Logistics"))
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "The seat stays with Weihai Smart Logistics Co.: enter a colleague from the same company." in page
    assert 'class="form-row errors field-company"' in page
    assert SeatHandover.objects.count() == 0

    accepted = send_whole_form(admin_client, old, **colleague_fields(company="CJ Logistics", allow_other_company="on"))
    assert accepted.status_code == 302
    assert SeatHandover.objects.get().company == "CJ Logistics"


def test_admin_form_says_plainly_that_an_address_is_registered(admin_client):
    delegation = make_delegation(seats=3)
    old = confirmed_delegate(delegation)
    submit(delegation, email="park@example.kr")

    page = send_whole_form(admin_client, old, **colleague_fields()).content.decode()

    assert "This e-mail address is already registered for this delegation." in page
    assert SeatHandover.objects.count() == 0


def test_admin_form_withdraws_a_pending_request(admin_client):
    old = confirmed_delegate(make_delegation())
    send_whole_form(admin_client, old, **colleague_fields())
    page = admin_client.get(substitute_url(old)).content.decode()
    withdraw = next(form for form in forms_of(page) if ("withdraw", "1") in form.buttons)

    response = post_like_a_browser(admin_client, substitute_url(old), withdraw.data(("withdraw", "1")))

    assert response.status_code == 302
    assert SeatHandover.objects.count() == 0
    assert Registration.objects.get(pk=old.pk).full_name == "张三"


def test_admin_handover_needs_change_permission(client):
    old = confirmed_delegate(make_delegation())
    viewer = User.objects.create_user("viewer", password="pw-for-tests-only", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_registration"))
    client.force_login(viewer)

    assert substitute_url(old) not in client.get(change_url(old)).content.decode()
    assert client.get(substitute_url(old)).status_code == 403
    assert client.post(substitute_url(old), colleague_fields(company="x")).status_code == 403

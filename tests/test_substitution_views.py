"""Seat substitution over HTTP: the delegate's page, the colleague's link, old links 404, the e-mails."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from django.utils import timezone

from registrations import services
from registrations.models import OutboxEmail, Registration, SeatHandover
from tests.admin_forms import form_with
from tests.conftest import make_delegation, submit
from tests.substitution_helpers import colleague, confirmed_delegate, hand_over

Kind = OutboxEmail.Kind
pytestmark = pytest.mark.django_db


def substitute_url(registration) -> str:
    return reverse("registrations:registration_substitute", kwargs={"token": registration.token})


def accept_url(handover) -> str:
    return reverse("registrations:handover_accept", kwargs={"token": handover.token})


def typed(**overrides) -> dict:
    data = {
        "full_name": "李四",
        "job_title": "COO",
        "email": "li.si@example.cn",
        "phone": "+86 139 0000 0000",
        "wechat_id": "lisi_wx",
        "language": "zh-hans",
    }
    return {**data, **overrides}


def test_substitution_old_links_404_and_new_ones_work(client):
    old = confirmed_delegate(make_delegation())
    old_links = [
        old.get_absolute_url(),
        reverse("registrations:checkin_qr", kwargs={"token": old.token}),
        substitute_url(old),
        reverse("registrations:registration_cancel", kwargs={"token": old.token}),
    ]
    old_code = old.checkin_code

    new = hand_over(old)

    assert [client.get(url).status_code for url in old_links] == [404, 404, 404, 404]
    assert client.get(new.get_absolute_url()).status_code == 200
    assert client.get(reverse("registrations:checkin_qr", kwargs={"token": new.token}))["Content-Type"] == "image/png"
    staff = User.objects.create_user("gate", password="pw-for-tests-only", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="check_in"))
    client.force_login(staff)
    assert client.get(reverse("registrations:checkin", kwargs={"code": old_code})).status_code == 404
    page = client.get(reverse("registrations:checkin", kwargs={"code": new.checkin_code}))
    assert (page.status_code, "李四" in page.content.decode()) == (200, True)


def test_delegate_hands_the_seat_on_after_a_confirmation_step(client):
    old = confirmed_delegate(make_delegation())
    page = client.get(old.get_absolute_url()).content.decode()
    assert substitute_url(old) in page

    checking = client.post(substitute_url(old), typed())
    assert SeatHandover.objects.count() == 0
    body = checking.content.decode()
    assert "You cannot undo this yourself." in body
    confirm = form_with(body, action=substitute_url(old))
    done = client.post(confirm.action, confirm.data(("confirm", "yes")))

    assert done.status_code == 302 and done["Location"] == old.get_absolute_url()
    handover = SeatHandover.objects.get()
    assert (handover.full_name, handover.company, handover.language) == ("李四", "Weihai Smart Logistics Co.", "zh-hans")
    followed = client.get(old.get_absolute_url()).content.decode()
    assert "We e-mailed 李四 a link to accept your seat. It stays yours until they do." in followed


def test_delegate_change_the_details_shows_the_form_filled_in(client):
    old = confirmed_delegate(make_delegation())
    confirm = form_with(client.post(substitute_url(old), typed()).content.decode(), action=substitute_url(old))

    page = client.post(confirm.action, confirm.data(("edit", "1"))).content.decode()

    assert 'value="li.si@example.cn"' in page and "You cannot undo this yourself." not in page


def test_delegate_form_errors_beside_the_fields(client):
    old = confirmed_delegate(make_delegation())

    page = client.post(substitute_url(old), typed(email="not-an-address", phone="x")).content.decode()

    assert 'id="error-summary"' in page
    assert page.count('aria-invalid="true"') == 2
    assert SeatHandover.objects.count() == 0


def test_delegate_entering_a_registered_address_gets_the_public_forms_answer(client):
    delegation = make_delegation(seats=3)
    old = confirmed_delegate(delegation)
    other = submit(delegation, email="li.si@example.cn")

    page = client.post(substitute_url(old), typed(confirm="yes")).content.decode()

    assert "If this address is already registered, we have e-mailed its private link to it." in page
    assert SeatHandover.objects.count() == 0
    assert OutboxEmail.objects.filter(registration=other, kind=Kind.LINK).count() == 1


def test_delegate_page_after_the_cutoff_says_why(client):
    old = confirmed_delegate(make_delegation(details_editable_until=timezone.now() - timedelta(hours=1)))

    page = client.get(substitute_url(old)).content.decode()
    posted = client.post(substitute_url(old), typed(confirm="yes"))

    assert "Details can no longer be changed here. Please write to the organizer." in page
    assert "<form" not in page.split("<main", 1)[1].split("</main>")[0]
    assert posted.status_code == 200 and SeatHandover.objects.count() == 0


def test_colleague_accepts_with_consent_and_lands_on_their_private_page(client):
    old = confirmed_delegate(make_delegation())
    handover = services.seat_handover_request(registration=old, new_person=colleague())

    page = client.get(accept_url(handover), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    refused = client.post(accept_url(handover), {})
    accepted = client.post(accept_url(handover), {"consent": "on"}, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert "张三" in page and "li.si@example.cn" in page
    assert refused.status_code == 200
    new = Registration.objects.get(pk=old.pk)
    assert accepted.status_code == 302 and accepted["Location"] == new.get_absolute_url()
    assert new.full_name == "李四"
    assert client.get(accept_url(handover)).status_code == 404


def test_colleague_without_consent_is_asked_again(client):
    old = confirmed_delegate(make_delegation())
    handover = services.seat_handover_request(registration=old, new_person=colleague())

    refused = client.post(accept_url(handover), {})

    assert refused.status_code == 200
    assert "the seat can only become yours with your consent" in refused.content.decode()
    assert Registration.objects.get(pk=old.pk).full_name == "张三"


def test_colleague_link_expired_is_a_404_page(client):
    old = confirmed_delegate(make_delegation())
    handover = services.seat_handover_request(registration=old, new_person=colleague())
    SeatHandover.objects.filter(pk=handover.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    response = client.get(accept_url(handover))

    assert response.status_code == 404
    assert "This link is no longer valid" in response.content.decode()


def test_handover_emails_in_each_persons_language_old_one_without_a_link():
    old = confirmed_delegate(make_delegation())
    old_token = old.token
    handover = services.seat_handover_request(registration=old, new_person=colleague(language="ko"))
    request = OutboxEmail.objects.get(kind=Kind.HANDOVER_REQUEST)

    new = services.seat_handover_accept(handover=handover, language="zh-hans")

    notice = OutboxEmail.objects.get(kind=Kind.HANDED_OVER)
    welcome = OutboxEmail.objects.get(kind=Kind.HANDOVER_WELCOME)
    assert (request.recipient, request.language) == ("li.si@example.cn", "ko")
    assert handover.token in request.body_text and "/s/" in request.body_text
    assert (notice.recipient, notice.language, notice.subject) == (
        "zhang@example.cn",
        "en",
        f"Your seat was handed to a colleague: {new.delegation.title}",
    )
    assert "handed to your colleague 李四" in notice.body_text
    assert old_token not in notice.body_text and new.token not in notice.body_text and "/r/" not in notice.body_html
    assert (welcome.recipient, welcome.language, welcome.attach_itinerary) == ("li.si@example.cn", "zh-hans", True)
    assert new.get_absolute_url() in welcome.body_text and new.checkin_code in welcome.body_text
    assert welcome.body_text.splitlines()[0] == "尊敬的李四："


def test_private_page_of_a_waitlisted_registration_offers_no_handover(client):
    delegation = make_delegation(seats=1)
    submit(delegation)
    waiting = submit(delegation)

    page = client.get(waiting.get_absolute_url()).content.decode()

    assert substitute_url(waiting) not in page


def test_log_filter_masks_the_colleagues_link():
    import logging

    from registrations.core.log_filters import RedactPersonalData

    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/s/AbCdEfGhIjKlMnOpQrStUv1234567890abcdefghijk/",), None
    )

    RedactPersonalData().filter(record)

    assert record.getMessage() == "Not Found: /s/<token>/"

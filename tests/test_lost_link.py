""" "Lost your link?" and the registration form's answer for an address already registered."""

import re

import pytest
from django.urls import reverse

from registrations.models import OutboxEmail, Registration
from registrations.services import outbox
from tests.trip_helpers import apply, make_trip

pytestmark = pytest.mark.django_db


def lost_url(delegation) -> str:
    return reverse("registrations:lost_link", kwargs={"slug": delegation.slug})


def page_text(response) -> str:
    """The page without the CSRF token (different per response), to compare two answers."""
    html = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def form_post(delegation, **overrides) -> dict:
    return {
        "full_name": "Li Wei",
        "company": "Wei Bio",
        "job_title": "CEO",
        "sector": str(delegation.sectors.first().pk),
        "email": "li.wei@example.cn",
        "phone": "+86 138 0000 0000",
        "consent": "on",
        **overrides,
    }


def test_lost_link_registered_address_gets_the_private_link_in_its_language(client, mailoutbox):
    delegation = make_trip()
    registration = apply(delegation, email="li.wei@example.cn", language="zh-hans")
    outbox.outbox_send_due()  # the messages of the registration itself
    mailoutbox.clear()

    response = client.post(lost_url(delegation), {"email": "LI.wei@Example.CN"})
    assert mailoutbox == []  # never sent inside the request: its time would tell
    outbox.outbox_send_due()

    assert response.status_code == 200
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["li.wei@example.cn"]
    assert message.subject == f"您的专属链接：{delegation.title_zh_hans}"
    assert registration.get_absolute_url() in message.body
    assert OutboxEmail.objects.filter(registration=registration, kind=OutboxEmail.Kind.LINK, language="zh-hans").count() == 1


def test_lost_link_same_answer_for_registered_and_unregistered_addresses(client, mailoutbox):
    delegation = make_trip()
    apply(delegation, email="li.wei@example.cn")
    outbox.outbox_send_due()  # the messages of the registration itself
    mailoutbox.clear()

    registered = client.post(lost_url(delegation), {"email": "li.wei@example.cn"})
    unknown = client.post(lost_url(delegation), {"email": "nobody@example.cn"})
    outbox.outbox_send_due()

    assert registered.status_code == unknown.status_code == 200
    assert page_text(registered) == page_text(unknown)
    assert [message.to for message in mailoutbox] == [["li.wei@example.cn"]]


def test_lost_link_cancelled_registration_gets_nothing(client, mailoutbox):
    from registrations import services

    delegation = make_trip()
    registration = apply(delegation, email="li.wei@example.cn")
    services.registration_cancel(registration=registration)
    outbox.outbox_send_due()  # the messages of the registration itself
    mailoutbox.clear()

    response = client.post(lost_url(delegation), {"email": "li.wei@example.cn"})
    outbox.outbox_send_due()

    assert response.status_code == 200
    assert mailoutbox == []


def test_lost_link_is_limited_per_address_without_changing_the_answer(client, settings, mailoutbox):
    settings.RATELIMIT_LINK_PER_EMAIL = "2/3600"
    delegation = make_trip()
    apply(delegation, email="li.wei@example.cn")
    outbox.outbox_send_due()  # the messages of the registration itself
    mailoutbox.clear()

    responses = [client.post(lost_url(delegation), {"email": "li.wei@example.cn"}) for _ in range(4)]
    outbox.outbox_send_due()

    assert [response.status_code for response in responses] == [200, 200, 200, 200]
    assert len({page_text(response) for response in responses}) == 1
    assert len(mailoutbox) == 2


def test_lost_link_is_limited_per_client(client, settings):
    settings.RATELIMIT_LINK_PER_ADDRESS = "2/3600"
    delegation = make_trip()

    statuses = [client.post(lost_url(delegation), {"email": f"p{number}@example.cn"}).status_code for number in range(3)]

    assert statuses == [200, 200, 429]


def test_lost_link_invalid_address_shows_the_error_beside_the_field(client):
    delegation = make_trip()

    response = client.post(lost_url(delegation), {"email": "not an address"})

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()


def test_lost_link_is_offered_on_the_delegation_page_and_the_form(client):
    delegation = make_trip()

    pages = [client.get(delegation.get_absolute_url()), client.get(reverse("registrations:register", kwargs={"slug": delegation.slug}))]

    assert [page.content.decode().count(f'class="tap-link" href="{lost_url(delegation)}"') for page in pages] == [1, 1]


def test_register_duplicate_address_answers_like_lost_link_and_sends_the_link(client, mailoutbox):
    delegation = make_trip(seats=5)
    first = apply(delegation, email="li.wei@example.cn")
    outbox.outbox_send_due()  # the messages of the registration itself
    mailoutbox.clear()
    url = reverse("registrations:register", kwargs={"slug": delegation.slug})

    response = client.post(url, form_post(delegation, email="Li.Wei@example.cn"))
    outbox.outbox_send_due()

    html = response.content.decode()
    assert response.status_code == 200
    assert "If this address is already registered, we have e-mailed its private link to it." in html
    assert "modify" not in html and "change your registration" not in html
    assert Registration.objects.filter(delegation=delegation).count() == 1
    assert [(message.to, first.get_absolute_url() in message.body) for message in mailoutbox] == [(["li.wei@example.cn"], True)]

"""Waiting-list offers with a controllable clock."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from registrations import services
from registrations.models import Registration
from tests.conftest import make_delegation, submit

Status = Registration.Status


@pytest.fixture
def full(db):
    """One seat, one confirmed person, two on the waiting list."""
    delegation = make_delegation(seats=1)
    confirmed = submit(delegation)
    first, second = submit(delegation), submit(delegation)
    return delegation, confirmed, first, second


def test_freed_seat_is_offered_and_held_for_48_hours(full):
    delegation, confirmed, first, second = full
    before = timezone.now()

    services.registration_cancel(registration=confirmed)

    first.refresh_from_db(), second.refresh_from_db()
    assert first.status == Status.OFFERED
    assert timedelta(hours=47, minutes=59) < first.offer_expires_at - before <= timedelta(hours=48, seconds=5)
    assert (second.status, second.waitlist_position) == (Status.WAITLISTED, 1)


def test_one_seat_one_live_offer(full):
    delegation, confirmed, first, second = full

    services.registration_cancel(registration=confirmed)
    services.seats_settle(delegation=delegation)

    assert Registration.objects.filter(status=Status.OFFERED).count() == 1


def test_offer_accept_confirms(full):
    delegation, confirmed, first, second = full
    services.registration_cancel(registration=confirmed)

    services.registration_offer_accept(registration=first)

    first.refresh_from_db()
    assert (first.status, first.offer_expires_at) == (Status.CONFIRMED, None)


def test_offer_decline_moves_seat_to_next(full):
    delegation, confirmed, first, second = full
    services.registration_cancel(registration=confirmed)

    services.registration_offer_decline(registration=first)

    first.refresh_from_db(), second.refresh_from_db()
    assert first.status == Status.CANCELLED
    assert second.status == Status.OFFERED


def test_expired_offer_moves_to_next_person(full):
    delegation, confirmed, first, second = full
    services.registration_cancel(registration=confirmed)

    services.seats_settle(delegation=delegation, now=timezone.now() + timedelta(hours=49))

    first.refresh_from_db(), second.refresh_from_db()
    assert first.status == Status.CANCELLED
    assert second.status == Status.OFFERED


def test_accepting_an_expired_offer_is_refused_clearly_and_the_seat_moves_on(full):
    delegation, confirmed, first, second = full
    services.registration_cancel(registration=confirmed)

    with pytest.raises(ValidationError) as error:
        services.registration_offer_accept(registration=first, now=timezone.now() + timedelta(hours=49))

    first.refresh_from_db(), second.refresh_from_db()
    assert "This offer expired at" in error.value.messages[0]
    assert first.status == Status.CANCELLED
    assert second.status == Status.OFFERED


def test_no_offer_after_registration_closes(full):
    delegation, confirmed, first, second = full
    delegation.registration_closes_at = timezone.now() - timedelta(minutes=1)
    delegation.save()

    services.registration_cancel(registration=confirmed)

    first.refresh_from_db()
    assert first.status == Status.WAITLISTED


def test_no_offer_after_the_delegation_starts(db):
    today = timezone.localdate()
    delegation = make_delegation(seats=1, starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=2))
    confirmed = submit(delegation)
    waiting = submit(delegation)

    services.registration_cancel(registration=confirmed)

    waiting.refresh_from_db()
    assert waiting.status == Status.WAITLISTED


def test_offer_deadline_never_after_the_start(db):
    tomorrow = timezone.localdate() + timedelta(days=1)
    delegation = make_delegation(seats=1, starts_on=tomorrow, ends_on=tomorrow + timedelta(days=2))
    confirmed, waiting = submit(delegation), submit(delegation)

    services.registration_cancel(registration=confirmed)

    waiting.refresh_from_db()
    assert waiting.offer_expires_at == delegation.starts_at()


def test_expire_offers_command(full, capsys):
    delegation, confirmed, first, second = full
    services.registration_cancel(registration=confirmed)
    Registration.objects.filter(pk=first.pk).update(offer_expires_at=timezone.now() - timedelta(seconds=1))

    call_command("expire_offers")

    first.refresh_from_db(), second.refresh_from_db()
    assert first.status == Status.CANCELLED and second.status == Status.OFFERED
    assert "Made 1 new offer(s)." in capsys.readouterr().out


def test_private_page_accept_and_decline_buttons(client, full):
    delegation, confirmed, first, second = full
    services.registration_cancel(registration=confirmed)

    page = client.get(first.get_absolute_url()).content.decode()
    response = client.post(f"/r/{first.token}/offer/accept/", follow=True)

    assert "Accept the seat" in page
    assert "Your seat is confirmed" in response.content.decode()


def test_private_page_accept_without_offer_shows_message(client, full):
    delegation, confirmed, first, second = full

    response = client.post(f"/r/{second.token}/offer/accept/", follow=True)

    assert response.status_code == 200
    assert "There is no seat offer waiting for you" in response.content.decode()


def test_offer_accept_get_is_not_allowed(client, full):
    delegation, confirmed, first, second = full

    assert client.get(f"/r/{first.token}/offer/accept/").status_code == 405

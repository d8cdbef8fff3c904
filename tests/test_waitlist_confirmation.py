"""Waitlisted first-come submissions must confirm their e-mail address: offers go only to proven addresses."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from registrations import selectors, services
from registrations.models import Registration, StatusChange
from registrations.services.codes import email_confirm_code
from tests.conftest import make_delegation, submit
from tests.helpers import run_at_once

Status = Registration.Status


def confirming(seats: int = 1, hours: int = 24):
    starts_on = (timezone.now() + timedelta(days=30)).date()
    return make_delegation(seats=seats, email_confirmation_hours=hours, starts_on=starts_on, ends_on=starts_on + timedelta(days=3))


def confirm(registration: Registration) -> Registration:
    return services.registration_email_confirm(registration=registration, code=email_confirm_code(registration))


def positions(delegation) -> list[int]:
    return list(
        Registration.objects.filter(delegation=delegation, status=Status.WAITLISTED)
        .order_by("waitlist_position")
        .values_list("waitlist_position", flat=True)
    )


def test_waitlisted_unconfirmed_is_skipped_and_next_confirmed_is_offered(db):
    delegation = confirming(seats=1)
    seat = confirm(submit(delegation))
    unproven = submit(delegation)
    proven = confirm(submit(delegation))

    services.registration_cancel(registration=seat)

    unproven.refresh_from_db()
    proven.refresh_from_db()
    assert proven.status == Status.OFFERED
    assert unproven.status == Status.WAITLISTED
    assert unproven.waitlist_position == 1


def test_confirming_while_waitlisted_keeps_place_and_makes_eligible(db):
    delegation = confirming(seats=1)
    seat = confirm(submit(delegation))
    waiting = submit(delegation)

    confirmed = confirm(waiting)

    assert confirmed.status == Status.WAITLISTED
    assert confirmed.waitlist_position == 1
    assert confirmed.email_confirm_by is None
    row = StatusChange.objects.filter(registration=waiting).last()
    assert (row.from_status, row.to_status, row.reason) == ("waitlisted", "waitlisted", "E-mail address confirmed.")
    services.registration_cancel(registration=seat)
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED


def test_confirming_twice_on_the_waiting_list_is_refused(db):
    delegation = confirming(seats=1)
    submit(delegation)
    waiting = confirm(submit(delegation))

    with pytest.raises(ValidationError):
        confirm(waiting)


def test_expired_waitlisted_is_cancelled_and_gap_closed(db):
    delegation = confirming(seats=1)
    confirm(submit(delegation))
    late = submit(delegation)
    behind = confirm(submit(delegation))

    services.seats_settle(delegation=delegation, now=late.email_confirm_by + timedelta(seconds=1))

    late.refresh_from_db()
    behind.refresh_from_db()
    assert late.status == Status.CANCELLED
    assert StatusChange.objects.filter(registration=late).last().reason == "E-mail not confirmed in time."
    assert behind.waitlist_position == 1
    assert positions(delegation) == [1]


def test_attacker_fake_waitlist_does_not_get_the_freed_seat(db):
    delegation = confirming(seats=1)
    seat = confirm(submit(delegation))
    fakes = [submit(delegation) for _ in range(10)]
    real = confirm(submit(delegation))

    services.registration_cancel(registration=seat)

    real.refresh_from_db()
    assert real.status == Status.OFFERED
    assert Registration.objects.filter(pk__in=[f.pk for f in fakes], status=Status.OFFERED).count() == 0
    assert positions(delegation) == list(range(1, 11))


def test_reminder_covers_waitlisted_once(db):
    delegation = confirming(seats=1)
    confirm(submit(delegation))
    waiting = submit(delegation)
    half = waiting.created_at + timedelta(hours=13)

    assert services.email_confirm_reminders_send(delegation=delegation, now=half) == 1
    assert services.email_confirm_reminders_send(delegation=delegation, now=half) == 0


def test_confirmation_off_waitlists_without_deadline(db):
    delegation = confirming(seats=1, hours=0)
    submit(delegation)

    waiting = submit(delegation)

    assert waiting.status == Status.WAITLISTED
    assert waiting.email_confirm_by is None


def test_constraint_refuses_deadline_on_confirmed_and_allows_waitlisted(db):
    delegation = confirming(seats=1)
    seat = confirm(submit(delegation))
    waiting = submit(delegation)
    assert waiting.email_confirm_by is not None

    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.filter(pk=seat.pk).update(email_confirm_by=timezone.now())


@pytest.mark.django_db(transaction=True)
def test_confirmations_expiries_cancellations_at_once_keep_seats_and_positions():
    delegation = confirming(seats=2)
    seats = [confirm(submit(delegation)) for _ in range(2)]
    waiting = [submit(delegation) for _ in range(6)]
    later = waiting[0].email_confirm_by + timedelta(seconds=1)
    calls = [lambda r=r: confirm(r) for r in waiting[:3]]
    calls += [lambda r=r: services.registration_cancel(registration=r) for r in seats]
    calls += [lambda: services.seats_settle(delegation=delegation, now=later)]

    _, errors = run_at_once(calls)

    assert all(isinstance(e, ValidationError) for e in errors)
    assert selectors.seat_counts(delegation=delegation).taken <= 2
    assert positions(delegation) == list(range(1, len(positions(delegation)) + 1))


def test_confirming_on_the_private_page_while_waitlisted_says_the_place_is_kept(client, db):
    delegation = confirming(seats=1)
    submit(delegation)
    waiting = submit(delegation)

    response = client.post(reverse("registrations:email_confirm", args=[waiting.token]), {"code": email_confirm_code(waiting)}, follow=True)

    waiting.refresh_from_db()
    assert waiting.status == Status.WAITLISTED and waiting.email_confirm_by is None
    assert "You keep your place on the waiting list" in response.content.decode()


def test_admin_filter_lists_only_addresses_not_confirmed(admin_client, db):
    delegation = confirming(seats=1)
    confirm(submit(delegation, full_name="Proven Person"))
    submit(delegation, full_name="Unproven Person")

    page = admin_client.get(reverse("admin:registrations_registration_changelist") + "?email_unconfirmed=yes").content.decode()

    assert "Unproven Person" in page
    assert "Proven Person" not in page.replace("Unproven Person", "")

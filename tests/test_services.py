import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from registrations import services
from registrations.models import Registration
from tests.conftest import make_delegation, submit

Status = Registration.Status


def positions(delegation):
    return list(
        Registration.objects.filter(delegation=delegation, status=Status.WAITLISTED)
        .order_by("waitlist_position")
        .values_list("full_name", "waitlist_position")
    )


def test_registration_submit_confirms_while_seats_are_free(delegation):
    first = submit(delegation)
    second = submit(delegation)

    assert (first.status, second.status) == (Status.CONFIRMED, Status.CONFIRMED)
    assert first.waitlist_position is None
    assert first.consent_at is not None


def test_registration_submit_waitlists_in_order_when_full(delegation):
    submit(delegation), submit(delegation)

    third = submit(delegation, full_name="Third")
    fourth = submit(delegation, full_name="Fourth")

    assert (third.status, third.waitlist_position) == (Status.WAITLISTED, 1)
    assert (fourth.status, fourth.waitlist_position) == (Status.WAITLISTED, 2)


def test_registration_submit_refuses_same_email_case_insensitively(delegation):
    submit(delegation, email="Ceo@Example.com")

    with pytest.raises(ValidationError) as error:
        submit(delegation, email="  ceo@example.COM ")

    assert "email" in error.value.error_dict
    assert Registration.objects.filter(delegation=delegation).count() == 1


def test_registration_submit_allows_same_email_after_cancelling(delegation):
    first = submit(delegation, email="ceo@example.com")
    services.registration_cancel(registration=first)

    again = submit(delegation, email="ceo@example.com")

    assert again.status == Status.CONFIRMED


def test_registration_submit_allows_same_email_for_another_delegation(delegation):
    other = make_delegation(seats=1)
    submit(delegation, email="ceo@example.com")

    assert submit(other, email="ceo@example.com").status == Status.CONFIRMED


def test_registration_submit_refused_when_closed(db):
    closed = make_delegation(registration_closes_at=timezone.now() - timezone.timedelta(minutes=1))

    with pytest.raises(ValidationError):
        submit(closed)

    assert Registration.objects.count() == 0


def test_registration_submit_refused_before_opening(db):
    later = make_delegation(registration_opens_at=timezone.now() + timezone.timedelta(days=1))

    with pytest.raises(ValidationError):
        submit(later)


def test_registration_submit_refuses_a_sector_of_another_delegation(delegation):
    other = make_delegation()

    with pytest.raises(ValidationError) as error:
        submit(delegation, sector=other.sectors.first())

    assert "sector" in error.value.error_dict


def test_registration_cancel_confirmed_promotes_first_waitlisted(delegation):
    confirmed = submit(delegation)
    submit(delegation)
    first_waiting = submit(delegation, full_name="W1")
    submit(delegation, full_name="W2")
    submit(delegation, full_name="W3")

    services.registration_cancel(registration=confirmed)

    first_waiting.refresh_from_db()
    confirmed.refresh_from_db()
    assert confirmed.status == Status.CANCELLED
    assert (first_waiting.status, first_waiting.waitlist_position) == (Status.OFFERED, None)
    assert first_waiting.offer_expires_at is not None
    assert positions(delegation) == [("W2", 1), ("W3", 2)]


def test_registration_cancel_waitlisted_closes_the_gap(delegation):
    submit(delegation), submit(delegation)
    submit(delegation, full_name="W1")
    middle = submit(delegation, full_name="W2")
    submit(delegation, full_name="W3")

    services.registration_cancel(registration=middle)

    assert positions(delegation) == [("W1", 1), ("W3", 2)]
    assert Registration.objects.filter(delegation=delegation, status=Status.CONFIRMED).count() == 2


def test_registration_cancel_twice_is_refused(delegation):
    registration = submit(delegation)
    services.registration_cancel(registration=registration)

    with pytest.raises(ValidationError):
        services.registration_cancel(registration=registration)


def test_registration_set_status_refuses_cancelled_to_confirmed(delegation):
    registration = submit(delegation)
    services.registration_cancel(registration=registration)

    with pytest.raises(ValidationError):
        services.registration_set_status(registration=registration, status=Status.CONFIRMED)


def test_delegation_set_seats_refuses_below_confirmed(delegation):
    submit(delegation), submit(delegation)

    with pytest.raises(ValidationError) as error:
        services.delegation_set_seats(delegation=delegation, seats=1)

    delegation.refresh_from_db()
    assert delegation.seats == 2
    assert "2 seats are already taken" in error.value.messages[0]


def test_delegation_set_seats_refuses_negative(delegation):
    with pytest.raises(ValidationError):
        services.delegation_set_seats(delegation=delegation, seats=-1)


def test_delegation_set_seats_raising_offers_seats_to_the_waiting_list(delegation):
    submit(delegation), submit(delegation)
    submit(delegation, full_name="W1"), submit(delegation, full_name="W2"), submit(delegation, full_name="W3")

    services.delegation_set_seats(delegation=delegation, seats=4)

    assert Registration.objects.filter(delegation=delegation, status=Status.OFFERED).count() == 2
    assert positions(delegation) == [("W3", 1)]


def test_registration_waitlist_position_constraint_holds_in_database(delegation):
    from django.db import IntegrityError, transaction

    registration = submit(delegation)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.filter(pk=registration.pk).update(waitlist_position=3)

"""Review mode, sector caps and organizer decisions."""

import pytest
from django.core.exceptions import ValidationError

from registrations import services
from registrations.models import Delegation, Registration, StatusChange
from tests.conftest import make_delegation, submit

Status = Registration.Status


@pytest.fixture
def review(db) -> Delegation:
    return make_delegation(seats=3, registration_mode=Delegation.Mode.REVIEW)


def sector(delegation, name):
    return delegation.sectors.get(name=name)


def test_review_mode_submissions_are_pending_and_hold_no_seat(review):
    registrations = [submit(review) for _ in range(5)]

    assert {r.status for r in registrations} == {Status.PENDING}
    assert services.seat_refusal_locked(delegation=review, sector=review.sectors.first()) is None


def test_registrations_confirm_confirms_within_seats(review):
    first, second = submit(review), submit(review)

    services.registrations_confirm(delegation=review, registrations=[first, second])

    assert Registration.objects.filter(status=Status.CONFIRMED).count() == 2


def test_registrations_confirm_is_all_or_nothing_with_a_clear_message(review):
    pending = [submit(review) for _ in range(5)]

    with pytest.raises(ValidationError) as error:
        services.registrations_confirm(delegation=review, registrations=pending)

    assert error.value.messages == ["Only 3 seats left; 5 selected."]
    assert Registration.objects.filter(status=Status.CONFIRMED).count() == 0


def test_registrations_confirm_respects_sector_cap_and_names_the_sector(db):
    delegation = make_delegation(seats=30, registration_mode=Delegation.Mode.REVIEW)
    clean = sector(delegation, "Clean energy")
    clean.seat_cap = 2
    clean.save()
    pending = [submit(delegation, sector=clean) for _ in range(5)]

    with pytest.raises(ValidationError) as error:
        services.registrations_confirm(delegation=delegation, registrations=pending)

    assert error.value.messages == ["Only 2 seats left in Clean energy; 5 selected."]


def test_first_come_full_sector_goes_to_waiting_list_while_other_sectors_confirm(db):
    delegation = make_delegation(seats=10)
    bio = sector(delegation, "Biotechnology")
    bio.seat_cap = 1
    bio.save()

    first = submit(delegation, sector=bio)
    second = submit(delegation, sector=bio)
    logistics = submit(delegation, sector=sector(delegation, "Smart logistics"))

    assert (first.status, second.status, logistics.status) == (Status.CONFIRMED, Status.WAITLISTED, Status.CONFIRMED)


def test_freed_seat_is_offered_to_first_waiting_person_whose_sector_has_room(db):
    delegation = make_delegation(seats=2)
    bio = sector(delegation, "Biotechnology")
    bio.seat_cap = 1
    bio.save()
    logistics = sector(delegation, "Smart logistics")
    bio_confirmed = submit(delegation, sector=bio)
    leaving = submit(delegation, sector=logistics)
    bio_waiting = submit(delegation, sector=bio)
    logistics_waiting = submit(delegation, sector=logistics)

    services.registration_cancel(registration=leaving)

    bio_waiting.refresh_from_db(), logistics_waiting.refresh_from_db()
    assert bio_confirmed.status == Status.CONFIRMED
    assert bio_waiting.status == Status.WAITLISTED and bio_waiting.waitlist_position == 1
    assert logistics_waiting.status == Status.OFFERED


def test_registration_waitlist_appends_pending_application(review):
    first, second = submit(review), submit(review)

    services.registration_waitlist(registration=first)
    services.registration_waitlist(registration=second)

    first.refresh_from_db(), second.refresh_from_db()
    assert (first.waitlist_position, second.waitlist_position) == (1, 2)


def test_review_mode_freed_seat_is_not_offered_automatically(review):
    confirmed = submit(review)
    services.registrations_confirm(delegation=review, registrations=[confirmed])
    waiting = submit(review)
    services.registration_waitlist(registration=waiting)

    services.registration_cancel(registration=confirmed)

    waiting.refresh_from_db()
    assert waiting.status == Status.WAITLISTED


def test_registration_reject_records_reason_and_history(review, admin_user):
    application = submit(review)

    services.registration_reject(registration=application, by=admin_user, reason="Too many applications in this field.")

    application.refresh_from_db()
    assert application.status == Status.REJECTED
    assert application.decision_reason == "Too many applications in this field."
    history = list(StatusChange.objects.filter(registration=application).values_list("from_status", "to_status", "changed_by"))
    assert history == [("", Status.PENDING, None), (Status.PENDING, Status.REJECTED, admin_user.pk)]


def test_rejected_email_can_apply_again(review):
    application = submit(review, email="again@example.com")
    services.registration_reject(registration=application)

    assert submit(review, email="again@example.com").status == Status.PENDING


def test_confirmed_cannot_be_rejected(review):
    application = submit(review)
    services.registrations_confirm(delegation=review, registrations=[application])

    with pytest.raises(ValidationError):
        services.registration_reject(registration=application)


def test_rejecting_a_waitlisted_person_closes_the_gap(review):
    people = [submit(review) for _ in range(3)]
    for person in people:
        services.registration_waitlist(registration=person)

    services.registration_reject(registration=people[0])

    assert sorted(Registration.objects.filter(status=Status.WAITLISTED).values_list("waitlist_position", flat=True)) == [1, 2]


def test_sector_check_cap_refuses_below_taken(db):
    delegation = make_delegation(seats=10)
    bio = sector(delegation, "Biotechnology")
    submit(delegation, sector=bio), submit(delegation, sector=bio)

    with pytest.raises(ValidationError):
        services.sector_check_cap_and_lock(sector=bio, seat_cap=1)

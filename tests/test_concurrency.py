"""Seats under real concurrency: 50 threads, each with its own database connection."""

import time

import pytest
from django.db import connection

from registrations import selectors
from registrations.models import Delegation, Registration
from registrations.services import seats
from tests.conftest import make_delegation, submission
from tests.helpers import run_at_once

Status = Registration.Status
PEOPLE, SEATS = 50, 10


def run_simultaneously(delegation: Delegation, people: int) -> list[BaseException]:
    """Start ``people`` submissions at the same instant; return the errors raised."""
    payloads = [submission(delegation) for _ in range(people)]
    return run_at_once([lambda payload=payload: seats.registration_submit(**payload) for payload in payloads])[1]


def outcome(delegation: Delegation) -> tuple[int, list[int]]:
    rows = Registration.objects.filter(delegation=delegation)
    confirmed = rows.filter(status=Status.CONFIRMED).count()
    waiting = sorted(rows.filter(status=Status.WAITLISTED).values_list("waitlist_position", flat=True))
    return confirmed, waiting


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_registration_submit_never_oversells_under_concurrency():
    delegation = make_delegation(seats=SEATS)

    errors = run_simultaneously(delegation, PEOPLE)

    confirmed, waiting = outcome(delegation)
    assert errors == []
    assert confirmed == SEATS
    assert waiting == list(range(1, PEOPLE - SEATS + 1))


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_registration_submit_without_the_lock_oversells(monkeypatch):
    """The same scenario with the row lock removed fails: the lock is what keeps the promise."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write transaction (BEGIN IMMEDIATE); the row lock is a no-op there.")
    delegation = make_delegation(seats=SEATS)
    real_counts = selectors.delegation_submission_state  # what a submission counts with (seats.delegation_lock_counted)

    def slow_counts(**kwargs):
        counts = real_counts(**kwargs)
        time.sleep(0.05)  # widen the window between counting and writing
        return counts

    monkeypatch.setattr(seats, "_row_lock_statement", lambda connection: None)
    monkeypatch.setattr(seats.selectors, "delegation_submission_state", slow_counts)

    run_simultaneously(delegation, PEOPLE)

    confirmed, waiting = outcome(delegation)
    assert confirmed > SEATS or len(set(waiting)) < len(waiting)


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_registration_cancel_and_submit_concurrently_keep_positions_consecutive():
    delegation = make_delegation(seats=5)
    run_simultaneously(delegation, 15)
    to_cancel = list(Registration.objects.filter(delegation=delegation).order_by("?")[:6])

    _, errors = run_at_once([lambda registration=registration: seats.registration_cancel(registration=registration) for registration in to_cancel])

    confirmed, waiting = outcome(delegation)
    offered = Registration.objects.filter(delegation=delegation, status=Status.OFFERED).count()
    assert errors == []
    assert confirmed + offered == 5
    assert waiting == list(range(1, 15 - 6 - 5 + 1))


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_sector_cap_holds_under_concurrency():
    delegation = make_delegation(seats=30)
    bio = delegation.sectors.get(name="Biotechnology")
    bio.seat_cap = 5
    bio.save()
    payloads = [submission(delegation, sector=bio) for _ in range(40)]

    _, errors = run_at_once([lambda payload=payload: seats.registration_submit(**payload) for payload in payloads])

    confirmed, waiting = outcome(delegation)
    assert errors == []
    assert confirmed == 5
    assert waiting == list(range(1, 36))


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_concurrent_offer_answers_and_cancels_never_exceed_seats():
    delegation = make_delegation(seats=5)
    run_simultaneously(delegation, 20)
    confirmed = list(Registration.objects.filter(delegation=delegation, status=Status.CONFIRMED))
    for registration in confirmed[:3]:
        seats.registration_cancel(registration=registration)
    offered = list(Registration.objects.filter(delegation=delegation, status=Status.OFFERED))
    from registrations.services import offers

    jobs = [(offers.registration_offer_accept, r) for r in offered] + [(seats.registration_cancel, r) for r in confirmed[3:]]

    _, errors = run_at_once([lambda action=action, registration=registration: action(registration=registration) for action, registration in jobs])

    rows = Registration.objects.filter(delegation=delegation)
    held = rows.filter(status__in=[Status.CONFIRMED, Status.OFFERED]).count()
    waiting = sorted(rows.filter(status=Status.WAITLISTED).values_list("waitlist_position", flat=True))
    assert errors == []
    assert held == 5
    assert waiting == list(range(1, len(waiting) + 1))
    assert rows.filter(status=Status.CONFIRMED).count() == 3

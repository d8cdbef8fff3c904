"""Seats under real concurrency: 50 threads, each with its own database connection."""

import threading
import time

import pytest
from django.db import connection, connections

from registrations import selectors
from registrations.services import seats
from registrations.models import Delegation, Registration

from .conftest import make_delegation, submission

Status = Registration.Status
PEOPLE, SEATS = 50, 10


def run_simultaneously(delegation: Delegation, people: int) -> list[BaseException]:
    """Start ``people`` submissions at the same instant; return the errors raised."""
    payloads = [submission(delegation) for _ in range(people)]
    barrier = threading.Barrier(people)
    errors: list[BaseException] = []

    def worker(payload):
        try:
            barrier.wait(timeout=30)
            seats.registration_submit(**payload)
        except BaseException as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(payload,)) for payload in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


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
    real_counts = selectors.seat_counts

    def slow_counts(**kwargs):
        counts = real_counts(**kwargs)
        time.sleep(0.05)  # widen the window between counting and writing
        return counts

    monkeypatch.setattr(seats, "delegation_lock", lambda pk: Delegation.objects.get(pk=pk))
    monkeypatch.setattr(seats.selectors, "seat_counts", slow_counts)

    run_simultaneously(delegation, PEOPLE)

    confirmed, waiting = outcome(delegation)
    assert confirmed > SEATS or len(set(waiting)) < len(waiting)


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_registration_cancel_and_submit_concurrently_keep_positions_consecutive():
    delegation = make_delegation(seats=5)
    run_simultaneously(delegation, 15)
    to_cancel = list(Registration.objects.filter(delegation=delegation).order_by("?")[:6])
    barrier = threading.Barrier(len(to_cancel))
    errors = []

    def cancel(registration):
        try:
            barrier.wait(timeout=30)
            seats.registration_cancel(registration=registration)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cancel, args=(r,)) for r in to_cancel]
    [t.start() for t in threads]
    [t.join(timeout=120) for t in threads]

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
    barrier = threading.Barrier(len(payloads))
    errors = []

    def worker(payload):
        try:
            barrier.wait(timeout=30)
            seats.registration_submit(**payload)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(p,)) for p in payloads]
    [t.start() for t in threads]
    [t.join(timeout=120) for t in threads]

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
    barrier = threading.Barrier(len(jobs))
    errors = []

    def worker(action, registration):
        try:
            barrier.wait(timeout=30)
            action(registration=registration)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=job) for job in jobs]
    [t.start() for t in threads]
    [t.join(timeout=120) for t in threads]

    rows = Registration.objects.filter(delegation=delegation)
    held = rows.filter(status__in=[Status.CONFIRMED, Status.OFFERED]).count()
    waiting = sorted(rows.filter(status=Status.WAITLISTED).values_list("waitlist_position", flat=True))
    assert errors == []
    assert held == 5
    assert waiting == list(range(1, len(waiting) + 1))
    assert rows.filter(status=Status.CONFIRMED).count() == 3

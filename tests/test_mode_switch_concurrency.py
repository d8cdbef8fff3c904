"""Switching review -> first come while people submit (and the organizer double-clicks): never more
confirmed than seats, and the waiting list stays 1..n. Real threads, each with its own connection."""

import threading

import pytest
from django.db import connections

from registrations import services
from registrations.models import Delegation, Registration
from tests.trip_helpers import apply, make_trip

Status = Registration.Status
SEATS, PENDING, ARRIVING = 5, 8, 20


def run_together(jobs) -> list[BaseException]:
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def worker(job):
        try:
            barrier.wait(timeout=30)
            job()
        except BaseException as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_mode_switch_with_simultaneous_submissions_never_oversells():
    trip = make_trip(seats=SEATS, mode=Delegation.Mode.REVIEW)
    for _ in range(PENDING):
        apply(trip)
    sector = trip.sectors.first()
    switch = [lambda: services.delegation_set_mode(delegation=trip, mode=Delegation.Mode.FIRST_COME)] * 2
    arrivals = [lambda n=n: apply(trip, sector=sector, email=f"late{n}@example.com") for n in range(ARRIVING)]

    errors = run_together(switch + arrivals)

    rows = Registration.objects.filter(delegation=trip)
    positions = sorted(rows.filter(status=Status.WAITLISTED).values_list("waitlist_position", flat=True))
    assert errors == []
    assert Delegation.objects.get(pk=trip.pk).registration_mode == Delegation.Mode.FIRST_COME
    assert rows.filter(status=Status.CONFIRMED).count() == SEATS
    assert rows.filter(status=Status.PENDING).count() == 0
    assert positions == list(range(1, PENDING + ARRIVING - SEATS + 1))

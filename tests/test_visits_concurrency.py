"""Visit places under real concurrency: threads, each with its own database connection."""

import time

import pytest
from django.db import connection

from registrations.models import ItineraryItem, Registration, VisitBooking
from registrations.services import seats, visits
from tests import helpers
from tests.conftest import make_delegation
from tests.visit_helpers import confirmed_people, make_visit, visit_state

Booking = VisitBooking.Status
PEOPLE, PLACES = 30, 8


def run_at_once(calls) -> list[BaseException]:
    """Run every call in its own thread, all released at the same instant; return the errors raised."""
    return helpers.run_at_once(calls)[1]


def join(person: Registration, *chosen: ItineraryItem):
    return lambda: visits.visit_join(registration=person, visits=list(chosen))


def only_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write transaction (BEGIN IMMEDIATE); row locks are a no-op there.")


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_visit_join_never_overbooks_under_concurrency():
    delegation = make_delegation(seats=PEOPLE)
    visit = make_visit(delegation, capacity=PLACES)
    people = confirmed_people(delegation, PEOPLE)

    errors = run_at_once([join(person, visit) for person in people])

    booked, waiting = visit_state(visit)
    assert errors == []
    assert len(booked) == PLACES
    assert [position for position, _ in waiting] == list(range(1, PEOPLE - PLACES + 1))
    assert sorted(booked + [person for _, person in waiting]) == sorted(p.pk for p in people)


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_visit_join_without_the_lock_overbooks(monkeypatch):
    """The same scenario with the visit-row lock removed fails: the lock is what keeps the promise."""
    only_postgresql()
    delegation = make_delegation(seats=PEOPLE)
    visit = make_visit(delegation, capacity=PLACES)
    people = confirmed_people(delegation, PEOPLE)
    real_counts = visits._visit_counts

    def slow_counts(visit):
        counts = real_counts(visit)
        time.sleep(0.05)  # widen the window between counting and writing
        return counts

    monkeypatch.setattr(visits, "_lock_visits", lambda ids: list(ItineraryItem.objects.filter(pk__in=set(ids)).order_by("pk")))
    monkeypatch.setattr(visits, "_visit_counts", slow_counts)

    run_at_once([join(person, visit) for person in people])

    booked, waiting = visit_state(visit)
    positions = [position for position, _ in waiting]
    assert len(booked) > PLACES or len(set(positions)) < len(positions)


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_visits_chosen_at_once_in_both_orders_never_deadlock():
    delegation = make_delegation(seats=20)
    first, second = make_visit(delegation, capacity=5), make_visit(delegation, capacity=5)
    people = confirmed_people(delegation, 20)
    calls = [join(person, first, second) if index % 2 else join(person, second, first) for index, person in enumerate(people)]

    errors = run_at_once(calls)

    assert errors == []
    for visit in (first, second):
        booked, waiting = visit_state(visit)
        assert len(booked) == 5
        assert [position for position, _ in waiting] == list(range(1, 16))


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_locking_two_visits_out_of_key_order_can_deadlock(monkeypatch):
    """Without primary-key order, two people choosing the same two visits in opposite order deadlock."""
    only_postgresql()
    delegation = make_delegation(seats=4)
    first, second = make_visit(delegation, capacity=5), make_visit(delegation, capacity=5)
    people = confirmed_people(delegation, 4)

    def lock_in_given_order(ids):
        locked = []
        for pk in ids:
            locked.append(ItineraryItem.objects.select_for_update().get(pk=pk))
            time.sleep(0.3)  # both hold their first visit before asking for the second
        return locked

    monkeypatch.setattr(visits, "_lock_visits", lock_in_given_order)

    errors = run_at_once(
        [join(people[0], first, second), join(people[1], second, first), join(people[2], first, second), join(people[3], second, first)]
    )

    assert any("deadlock" in str(error).lower() for error in errors)


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_cancellations_and_choices_at_once_keep_places_and_positions_right():
    delegation = make_delegation(seats=20)
    visit = make_visit(delegation, capacity=4)
    members = confirmed_people(delegation, 12)
    for person in members:
        visits.visit_join(registration=person, visits=[visit])
    newcomers = confirmed_people(delegation, 3)
    leaving = [members[0], members[2], members[5], members[7], members[11]]  # two with places, three waiting

    errors = run_at_once(
        [lambda person=person: seats.registration_cancel(registration=person) for person in leaving] + [join(person, visit) for person in newcomers]
    )

    booked, waiting = visit_state(visit)
    assert errors == []
    assert len(booked) == 4
    assert [position for position, _ in waiting] == list(range(1, 12 - 5 + 3 - 4 + 1))
    # Places: the two who kept theirs and the first two in line who stayed; then the line, newcomers last.
    assert booked == sorted([members[1].pk, members[3].pk, members[4].pk, members[6].pk])
    assert [person for _, person in waiting][:3] == [members[8].pk, members[9].pk, members[10].pk]
    assert sorted(person for _, person in waiting[3:]) == sorted(p.pk for p in newcomers)

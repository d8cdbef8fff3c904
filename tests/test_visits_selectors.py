"""Reads for site visits: per-visit fill (for the dashboard), a delegate's choices, attendee lists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registrations import selectors, services
from registrations.models import Registration
from tests.conftest import make_delegation, submit
from tests.visit_helpers import confirmed_people, make_visit


@pytest.fixture
def delegation(db):
    return make_delegation(seats=10)


def test_visit_fill_counts_places_waiting_and_capacity_per_item(delegation):
    small, unlimited = make_visit(delegation, capacity=2, title="Small"), make_visit(delegation, capacity=None, title="Open")
    people = confirmed_people(delegation, 4)
    for person in people:
        services.visit_join(registration=person, visits=[small, unlimited])
    services.registration_cancel(registration=submit(delegation))

    fill = {row.visit.title: (row.taken, row.waiting, row.capacity, row.left, row.is_full) for row in selectors.visit_fill(delegation=delegation)}

    assert fill == {
        "Opening": (4, 0, None, None, False),  # every confirmed delegate
        "Songdo Bio Industrial Park": (4, 0, None, None, False),
        "Small": (2, 2, 2, 0, True),
        "Open": (4, 0, None, None, False),
    }


def test_visit_fill_is_one_query_however_many_visits(delegation):
    for _ in range(5):
        visit = make_visit(delegation)
        services.visit_join(registration=submit(delegation), visits=[visit])

    with CaptureQueriesContext(connection) as queries:
        fill = selectors.visit_fill(delegation=delegation)

    assert len(fill) == 7
    assert len(queries) == 1


def test_visit_choices_show_the_persons_booking_and_position(delegation):
    visit = make_visit(delegation, capacity=1)
    other = make_visit(delegation, capacity=1)
    holder, waiting = confirmed_people(delegation, 2)
    services.visit_join(registration=holder, visits=[visit])
    services.visit_join(registration=waiting, visits=[visit])

    with CaptureQueriesContext(connection) as queries:
        choices = selectors.visit_choices(registration=waiting)

    assert [(c.fill.visit.pk, c.status, c.position, c.fill.is_full) for c in choices] == [
        (visit.pk, "waitlisted", 1, True),
        (other.pk, None, None, False),
    ]
    assert len(queries) == 1


def test_visit_attendees_of_an_optional_visit_lists_places_by_name_and_waiting_by_position(delegation):
    visit = make_visit(delegation, capacity=2)
    names = ["Zhang Wei", "An Li", "Park Ji-woo", "Kim Min-jun"]
    for name in names:
        services.visit_join(registration=submit(delegation, full_name=name), visits=[visit])

    lists = selectors.visit_attendees(visit=visit)

    assert [p.full_name for p in lists.attendees] == ["An Li", "Zhang Wei"]
    assert [(p.visit_position, p.full_name) for p in lists.waiting] == [(1, "Park Ji-woo"), (2, "Kim Min-jun")]


def test_visit_attendees_of_a_non_optional_item_are_every_confirmed_delegate(db):
    delegation = make_delegation(seats=2)
    submit(delegation, full_name="B"), submit(delegation, full_name="A"), submit(delegation, full_name="C waiting")

    lists = selectors.visit_attendees(visit=delegation.itinerary.get(title="Opening"))

    assert [p.full_name for p in lists.attendees] == ["A", "B"]
    assert lists.waiting == []
    assert Registration.objects.filter(status="waitlisted").count() == 1

"""Small explicit helpers for the site-visit tests."""

import itertools
from datetime import timedelta

from django.utils import timezone

from registrations.models import Delegation, ItineraryItem, Registration, VisitBooking
from tests.conftest import submit
from tests.helpers import trip_time

Booking = VisitBooking.Status
_counter = itertools.count(1)


def make_visit(delegation: Delegation, *, capacity: int | None = 3, optional: bool = True, title: str = "") -> ItineraryItem:
    """An optional visit on the second day of the trip (in the future)."""
    number = next(_counter)
    start = trip_time(1, 9) + timedelta(minutes=number)
    return ItineraryItem.objects.create(
        delegation=delegation,
        title=title or f"Site visit {number}",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        is_optional=optional,
        capacity=capacity if optional else None,
        order=10 + number,
    )


def confirmed_people(delegation: Delegation, count: int) -> list[Registration]:
    """``count`` new confirmed registrations (raise the delegation's seats first if needed)."""
    people = [submit(delegation) for _ in range(count)]
    assert all(person.status == Registration.Status.CONFIRMED for person in people)
    return people


def visit_state(visit: ItineraryItem) -> tuple[list[int], list[tuple[int, int]]]:
    """(registration ids with a place, [(position, registration id), ...] waiting), both sorted."""
    bookings = VisitBooking.objects.filter(visit=visit)
    booked = sorted(bookings.filter(status=Booking.BOOKED).values_list("registration_id", flat=True))
    waiting = sorted(bookings.filter(status=Booking.WAITLISTED).values_list("waitlist_position", "registration_id"))
    return booked, waiting


def start_in_the_past(visit: ItineraryItem) -> None:
    start = timezone.now() - timedelta(hours=1)
    ItineraryItem.objects.filter(pk=visit.pk).update(starts_at=start, ends_at=start + timedelta(hours=3))
    visit.refresh_from_db()

"""Reusable read queries: seat counts, itinerary by day, lists for pages and admin."""

from dataclasses import dataclass
from datetime import date
from itertools import groupby

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Delegation, ItineraryItem, Registration, VisitBooking

Status = Registration.Status


@dataclass(frozen=True)
class SeatCounts:
    seats: int
    confirmed: int
    waitlisted: int
    last_position: int

    @property
    def left(self) -> int:
        return max(self.seats - self.confirmed, 0)

    @property
    def is_full(self) -> bool:
        return self.left == 0


def seat_counts(*, delegation: Delegation) -> SeatCounts:
    """Seats, confirmed, waitlisted and the last waiting-list position, in one query."""
    row = Registration.objects.filter(delegation=delegation).aggregate(
        confirmed=Count("pk", filter=Q(status=Status.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=Status.WAITLISTED)),
        last_position=Max("waitlist_position", filter=Q(status=Status.WAITLISTED)),
    )
    return SeatCounts(
        seats=delegation.seats,
        confirmed=row["confirmed"],
        waitlisted=row["waitlisted"],
        last_position=row["last_position"] or 0,
    )


def delegations_with_counts() -> QuerySet[Delegation]:
    """Delegations annotated with confirmed_count and waitlisted_count."""
    return Delegation.objects.annotate(
        confirmed_count=Count("registrations", filter=Q(registrations__status=Status.CONFIRMED)),
        waitlisted_count=Count("registrations", filter=Q(registrations__status=Status.WAITLISTED)),
    )


def published_delegations() -> QuerySet[Delegation]:
    return Delegation.objects.filter(is_published=True).order_by("starts_on", "pk")


def email_is_registered(*, delegation: Delegation, email: str) -> bool:
    """True when an active (not cancelled) registration uses this e-mail, case-insensitively."""
    return (
        Registration.objects.filter(delegation=delegation, email__iexact=email.strip())
        .exclude(status__in=Registration.INACTIVE_STATUSES)
        .exists()
    )


def itinerary_by_day(*, delegation: Delegation) -> list[tuple[date, list[ItineraryItem]]]:
    """Itinerary items grouped by their local (Asia/Seoul) start date."""
    items = list(ItineraryItem.objects.filter(delegation=delegation).order_by("starts_at", "order", "pk"))
    day = lambda item: timezone.localtime(item.starts_at).date()  # noqa: E731
    return [(key, list(group)) for key, group in groupby(items, key=day)]


def registration_by_token(*, token: str) -> Registration | None:
    """The registration with this private token, with what its page shows."""
    return Registration.objects.select_related("delegation", "sector").filter(token=token).first()


# --- Site visits -------------------------------------------------------------

Booking = VisitBooking.Status


@dataclass(frozen=True)
class VisitFill:
    """Places on one itinerary item. Optional visits count their bookings; every other item
    is attended by all confirmed delegates, so taken is the confirmed count and capacity is None."""

    visit: ItineraryItem
    taken: int
    waiting: int
    capacity: int | None

    @property
    def left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.taken, 0)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and (self.taken >= self.capacity or self.waiting > 0)


@dataclass(frozen=True)
class VisitChoice:
    """An optional visit as one delegate sees it: its fill and their booking status and position (or None)."""

    fill: VisitFill
    status: str | None
    position: int | None

    @property
    def is_open(self) -> bool:
        """Places can change until the visit starts."""
        return self.fill.visit.starts_at > timezone.now()


def itinerary_with_fill(queryset: QuerySet[ItineraryItem] | None = None) -> QuerySet[ItineraryItem]:
    """Itinerary items annotated with booked_count, waiting_count and their delegation's confirmed_count."""
    confirmed = (
        Registration.objects.filter(delegation=OuterRef("delegation"), status=Status.CONFIRMED)
        .order_by().values("delegation").annotate(count=Count("pk")).values("count")
    )
    queryset = ItineraryItem.objects.all() if queryset is None else queryset
    return queryset.annotate(
        booked_count=Count("bookings", filter=Q(bookings__status=Booking.BOOKED)),
        waiting_count=Count("bookings", filter=Q(bookings__status=Booking.WAITLISTED)),
        confirmed_count=Coalesce(Subquery(confirmed), 0),
    )


def fill_of(item: ItineraryItem) -> VisitFill:
    """The VisitFill of an item annotated by ``itinerary_with_fill``."""
    if item.is_optional:
        return VisitFill(visit=item, taken=item.booked_count, waiting=item.waiting_count, capacity=item.capacity)
    return VisitFill(visit=item, taken=item.confirmed_count, waiting=0, capacity=None)


def visit_fill(*, delegation: Delegation) -> list[VisitFill]:
    """Per itinerary item of the delegation: places taken, people waiting and capacity, in one query."""
    items = itinerary_with_fill(ItineraryItem.objects.filter(delegation=delegation)).order_by("starts_at", "order", "pk")
    return [fill_of(item) for item in items]


def visit_choices(*, registration: Registration) -> list[VisitChoice]:
    """The delegation's optional visits with their fill and this registration's booking, in one query."""
    mine = VisitBooking.objects.filter(visit=OuterRef("pk"), registration=registration)
    items = itinerary_with_fill(
        ItineraryItem.objects.filter(delegation_id=registration.delegation_id, is_optional=True)
    ).annotate(
        my_status=Subquery(mine.values("status")[:1]),
        my_position=Subquery(mine.values("waitlist_position")[:1]),
    )
    return [
        VisitChoice(fill=fill_of(item), status=item.my_status, position=item.my_position)
        for item in items.order_by("starts_at", "order", "pk")
    ]


@dataclass(frozen=True)
class VisitAttendees:
    visit: ItineraryItem
    attendees: list[Registration]
    waiting: list[Registration]  # each with .visit_position


def visit_attendees(*, visit: ItineraryItem) -> VisitAttendees:
    """Who goes on a visit (by name) and who waits (by position); every confirmed delegate for a non-optional item."""
    if not visit.is_optional:
        people = Registration.objects.filter(delegation_id=visit.delegation_id, status=Status.CONFIRMED)
        return VisitAttendees(visit=visit, attendees=list(people.select_related("sector").order_by("full_name", "pk")), waiting=[])
    bookings = VisitBooking.objects.filter(visit=visit).select_related("registration__sector")
    attendees = [b.registration for b in bookings.filter(status=Booking.BOOKED).order_by("registration__full_name", "pk")]
    waiting = []
    for booking in bookings.filter(status=Booking.WAITLISTED).order_by("waitlist_position"):
        booking.registration.visit_position = booking.waitlist_position
        waiting.append(booking.registration)
    return VisitAttendees(visit=visit, attendees=attendees, waiting=waiting)

"""Reads for on-site check-in: finding a code, the visit happening now, attendance per visit."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from registrations.models import CheckIn, Delegation, ItineraryItem, Registration, VisitBooking
from registrations.selectors import visit_attendee_registrations

Status = Registration.Status

# Staff start checking people in (boarding the bus) up to this long before a visit starts.
CHECKIN_OPENS_BEFORE = timedelta(hours=1)
# What new_token() produces (43 URL-safe characters); anything else was not issued by us.
CHECKIN_CODE_RE = re.compile(r"[A-Za-z0-9_-]{32,64}")


def is_well_formed_checkin_code(code: str) -> bool:
    return bool(CHECKIN_CODE_RE.fullmatch(code or ""))


def registration_by_checkin_code(*, code: str) -> Registration | None:
    """The registration holding this check-in code, with what the staff page shows."""
    if not is_well_formed_checkin_code(code):
        return None
    return Registration.objects.select_related("delegation", "sector").filter(checkin_code=code).first()


def itinerary_item_now(*, delegation: Delegation, now: datetime | None = None) -> ItineraryItem | None:
    """The visit staff most likely check people in for now (times are instants; Korea time on screen).

    The visit under way (or starting within the hour), else the next one, else the last one.
    """
    now = now or timezone.now()
    items = ItineraryItem.objects.filter(delegation=delegation)
    current = items.filter(starts_at__lte=now + CHECKIN_OPENS_BEFORE, ends_at__gt=now).order_by("-starts_at", "-pk").first()
    if current is not None:
        return current
    upcoming = items.filter(starts_at__gt=now).order_by("starts_at", "order", "pk").first()
    return upcoming or items.order_by("-starts_at", "-order", "-pk").first()


def active_checkins(*, registration: Registration) -> dict[int, CheckIn]:
    """The registration's check-ins that stand, by itinerary item id."""
    rows = CheckIn.objects.select_related("checked_in_by").filter(registration=registration, undone_at__isnull=True)
    return {checkin.item_id: checkin for checkin in rows}


def checkin_expected(*, item: ItineraryItem) -> QuerySet[Registration]:
    """Who is expected at a visit: the attendee rule (``selectors.visit_attendee_registrations``).

    Every confirmed delegate; on an optional visit, those with a booked place. (Check-in refuses
    only the unbooked on a visit with limited places: ``services.checkin.visit_booking_refusal_reason``;
    on an optional visit without a limit, a walk-in is checked in but was not expected.)
    """
    return visit_attendee_registrations(visit=item)


def items_with_attendance(*, delegation: Delegation | None = None) -> QuerySet[ItineraryItem]:
    """Itinerary items annotated with checked_in_count and expected_count, in one query."""
    checked_in = CheckIn.objects.filter(item=OuterRef("pk"), undone_at__isnull=True).order_by().values("item")
    expected = Registration.objects.filter(delegation=OuterRef("delegation"), status=Status.CONFIRMED).order_by().values("delegation")
    booked = (
        VisitBooking.objects.filter(visit=OuterRef("pk"), status=VisitBooking.Status.BOOKED, registration__status=Status.CONFIRMED)
        .order_by()
        .values("visit")
    )
    count = lambda rows: Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), Value(0))  # noqa: E731
    items = ItineraryItem.objects.select_related("delegation").annotate(
        checked_in_count=count(checked_in),
        expected_count=Case(When(is_optional=True, then=count(booked)), default=count(expected)),
    )
    items = items.filter(delegation=delegation) if delegation is not None else items
    return items.order_by("delegation__starts_on", "delegation", "starts_at", "order", "pk")


@dataclass(frozen=True)
class Attendance:
    item: ItineraryItem
    present: list[CheckIn]  # active check-ins, first first
    missing: list[Registration]  # expected and not checked in, by name

    @property
    def expected_count(self) -> int:
        return len(self.missing) + sum(1 for checkin in self.present if checkin.registration.status == Status.CONFIRMED)


def attendance(*, item: ItineraryItem) -> Attendance:
    """Who is checked in for a visit and who is missing. Two queries."""
    present = list(
        CheckIn.objects.filter(item=item, undone_at__isnull=True)
        .select_related("registration__sector", "checked_in_by")
        .order_by("checked_in_at", "pk")
    )
    seen = {checkin.registration_id for checkin in present}
    expected = checkin_expected(item=item).select_related("sector").order_by("full_name", "pk")
    return Attendance(item=item, present=present, missing=[r for r in expected if r.pk not in seen])


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def checkin_day(*, now: datetime | None = None) -> tuple[date | None, list[ItineraryItem]]:
    """The visits staff check people in for: today's (Korea time), else those of the next day with visits.

    Returns the day and its visits (with checked_in_count and expected_count), or (None, []).
    """
    now = now or timezone.now()
    day = timezone.localdate(now)
    start, end = _day_bounds(day)
    if not ItineraryItem.objects.filter(starts_at__gte=start, starts_at__lt=end).exists():
        upcoming = ItineraryItem.objects.filter(starts_at__gte=end).order_by("starts_at").first()
        if upcoming is None:
            return None, []
        day = timezone.localdate(upcoming.starts_at)
        start, end = _day_bounds(day)
    items = items_with_attendance().filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at", "order", "pk")
    return day, list(items)


def registration_visits(*, registration: Registration) -> QuerySet[ItineraryItem]:
    """The visits a registration is expected at: every visit, except limited ones without a booked place.

    Matches ``checkin_expected`` and ``services.checkin.visit_booking_refusal_reason``.
    """
    booked = VisitBooking.objects.filter(registration=registration, status=VisitBooking.Status.BOOKED).values("visit")
    limited = Q(is_optional=True, capacity__isnull=False)
    return (
        ItineraryItem.objects.filter(delegation_id=registration.delegation_id)
        .filter(~limited | Q(pk__in=booked))
        .order_by("starts_at", "order", "pk")
    )

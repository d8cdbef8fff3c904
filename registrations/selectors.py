"""Reusable read queries: seat counts, itinerary by day, lists for pages and admin."""

from dataclasses import dataclass
from datetime import date
from itertools import groupby

from django.db.models import Count, Max, Q, QuerySet, Value
from django.db.models.functions import Lower
from django.utils import timezone

from .models import Delegation, ItineraryItem, Registration
from .tokens import token_is_well_formed, token_matches

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


def seat_counts_annotated(*, delegation: Delegation) -> SeatCounts:
    """Seat counts of a delegation fetched through ``delegations_with_counts()`` (no extra query; for display only)."""
    return SeatCounts(seats=delegation.seats, confirmed=delegation.confirmed_count,
                      waitlisted=delegation.waitlisted_count, last_position=0)


def delegation_page(*, slug: str | None = None, pk: int | None = None, include_unpublished: bool = False) -> Delegation | None:
    """The delegation (by slug or pk) with confirmed_count and waitlisted_count, in one cheap query.

    The hot path of every QR scan: written as plain SQL because building the equivalent ORM query
    costs several times more than running it. Counts are for display; seats are taken under lock.
    It must count what ``seat_counts`` counts: a status that holds a seat is counted in both.
    """
    delegation, registration = Delegation._meta.db_table, Registration._meta.db_table
    count = f"SELECT COUNT(*) FROM {registration} r WHERE r.delegation_id = d.id AND r.status = %s"
    where, value = ("d.slug = %s", slug) if pk is None else ("d.id = %s", pk)
    rows = Delegation.objects.raw(
        f"SELECT d.*, ({count}) AS confirmed_count, ({count}) AS waitlisted_count FROM {delegation} d "
        f"WHERE {where} AND (d.is_published OR %s)",
        [Status.CONFIRMED, Status.WAITLISTED, value, include_unpublished],
    )
    return next(iter(rows), None)


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
    # LOWER(email) as in the unique constraint, so that its index answers.
    return (
        Registration.objects.annotate(email_lower=Lower("email"))
        .filter(delegation=delegation, email_lower=Lower(Value(email.strip())))
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
    if not token_is_well_formed(token):
        return None
    registration = Registration.objects.select_related("delegation", "sector").filter(token=token).first()
    return registration if registration is not None and token_matches(registration.token, token) else None


def registrations_due_for_anonymisation(*, ended_before: date) -> QuerySet[Registration]:
    """Registrations not yet anonymised whose delegation ended before ``ended_before``."""
    return Registration.objects.filter(anonymised_at__isnull=True, delegation__ends_on__lt=ended_before)

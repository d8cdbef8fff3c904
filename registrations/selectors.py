"""Reusable read queries: seat counts, itinerary by day, lists for pages and admin."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from itertools import groupby

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Delegation, Invitation, ItineraryItem, Registration

Status = Registration.Status


@dataclass(frozen=True)
class SeatCounts:
    seats: int
    confirmed: int
    waitlisted: int
    last_position: int
    pending: int = 0
    offered: int = 0
    held: int = 0  # seats reserved by live invitations

    @property
    def taken(self) -> int:
        """Seats nobody else can have: confirmed, offered, or held by an invitation."""
        return self.confirmed + self.offered + self.held

    @property
    def left(self) -> int:
        return max(self.seats - self.taken, 0)

    @property
    def is_full(self) -> bool:
        return self.left == 0


def live_invitations(*, delegation: Delegation, now=None) -> QuerySet[Invitation]:
    """Invitations that still hold a seat: not used, not revoked, before their deadline."""
    return Invitation.objects.filter(
        delegation=delegation, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now or timezone.now()
    )


def seat_counts(*, delegation: Delegation, now=None) -> SeatCounts:
    """Seats, every status count and the last waiting-list position, in two queries."""
    row = Registration.objects.filter(delegation=delegation).aggregate(
        confirmed=Count("pk", filter=Q(status=Status.CONFIRMED)),
        offered=Count("pk", filter=Q(status=Status.OFFERED)),
        pending=Count("pk", filter=Q(status=Status.PENDING)),
        waitlisted=Count("pk", filter=Q(status=Status.WAITLISTED)),
        last_position=Max("waitlist_position", filter=Q(status=Status.WAITLISTED)),
    )
    return SeatCounts(
        seats=delegation.seats,
        confirmed=row["confirmed"],
        offered=row["offered"],
        pending=row["pending"],
        waitlisted=row["waitlisted"],
        last_position=row["last_position"] or 0,
        held=live_invitations(delegation=delegation, now=now).count(),
    )


def sector_seats_taken(*, delegation: Delegation, now=None) -> dict[int, int]:
    """Seats taken per sector id (confirmed, offered, held by invitation), in two queries."""
    taken: dict[int, int] = defaultdict(int)
    rows = (
        Registration.objects.filter(delegation=delegation, status__in=Registration.SEAT_STATUSES)
        .values("sector_id").annotate(n=Count("pk"))
    )
    for row in rows:
        taken[row["sector_id"]] += row["n"]
    for row in live_invitations(delegation=delegation, now=now).values("sector_id").annotate(n=Count("pk")):
        taken[row["sector_id"]] += row["n"]
    return taken


def delegations_with_counts(now=None) -> QuerySet[Delegation]:
    """Delegations annotated with a count per status and held_count (live invitations)."""
    held = (
        Invitation.objects.filter(
            delegation=OuterRef("pk"), used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now or timezone.now()
        ).order_by().values("delegation").annotate(n=Count("pk")).values("n")
    )
    counts = {
        f"{status}_count": Count("registrations", filter=Q(registrations__status=status))
        for status in (Status.PENDING, Status.CONFIRMED, Status.OFFERED, Status.WAITLISTED)
    }
    return Delegation.objects.annotate(**counts, held_count=Coalesce(Subquery(held), 0))


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


def invitation_by_token(*, token: str) -> Invitation | None:
    return Invitation.objects.select_related("delegation", "sector").filter(token=token).first()

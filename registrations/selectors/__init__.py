"""Reusable read queries: seat counts, itinerary by day, lists for pages and admin."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache
from itertools import groupby

from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Lower, TruncDate
from django.utils import timezone

from registrations.core.raw_rows import raw_first, selected_columns
from registrations.core.tokens import token_is_well_formed, token_matches
from registrations.models import Delegation, Invitation, ItineraryItem, Registration, SeatHandover, Sector, VisitBooking

Status = Registration.Status


@dataclass(frozen=True)
class SeatCounts:
    seats: int
    confirmed: int
    waitlisted: int
    last_position: int
    pending: int = 0
    offered: int = 0
    held: int = 0  # seats reserved by invitations that are holding
    unconfirmed: int = 0  # seats held until the e-mail address is confirmed
    taking: int | None = None  # registrations taking a seat (Registration.objects.taking_seats())

    @property
    def taken(self) -> int:
        """Seats nobody else can have: registrations taking a seat plus invitations holding one."""
        taking = self.taking if self.taking is not None else self.confirmed + self.offered + self.unconfirmed
        return taking + self.held

    @property
    def left(self) -> int:
        return max(self.seats - self.taken, 0)

    @property
    def is_full(self) -> bool:
        return self.left == 0


def live_invitations(*, delegation: Delegation, now=None) -> QuerySet[Invitation]:
    """Invitations of the delegation that still hold a seat (Invitation.objects.holding)."""
    return Invitation.objects.holding(now).filter(delegation=delegation)


def _taking_seats(prefix: str = "") -> Q:
    """The seat rule as a filter on a relation (``prefix`` like "registrations__"): the same status set."""
    return Q(**{f"{prefix}status__in": Registration.SEAT_STATUSES})


def seat_counts(*, delegation: Delegation, now=None) -> SeatCounts:
    """Seats, every status count and the last waiting-list position, in two queries."""
    row = Registration.objects.filter(delegation=delegation).aggregate(
        confirmed=Count("pk", filter=Q(status=Status.CONFIRMED)),
        offered=Count("pk", filter=Q(status=Status.OFFERED)),
        unconfirmed=Count("pk", filter=Q(status=Status.UNCONFIRMED)),
        pending=Count("pk", filter=Q(status=Status.PENDING)),
        waitlisted=Count("pk", filter=Q(status=Status.WAITLISTED)),
        taking=Count("pk", filter=_taking_seats()),
        last_position=Max("waitlist_position", filter=Q(status=Status.WAITLISTED)),
    )
    return SeatCounts(
        seats=delegation.seats,
        confirmed=row["confirmed"],
        offered=row["offered"],
        unconfirmed=row["unconfirmed"],
        pending=row["pending"],
        waitlisted=row["waitlisted"],
        taking=row["taking"],
        last_position=row["last_position"] or 0,
        held=live_invitations(delegation=delegation, now=now).count(),
    )


def seat_counts_annotated(*, delegation: Delegation) -> SeatCounts:
    """Seat counts of a delegation fetched by ``delegation_page()`` or ``delegations_with_counts()`` (no query)."""
    return SeatCounts(
        seats=delegation.seats,
        confirmed=delegation.confirmed_count,
        waitlisted=delegation.waitlisted_count,
        last_position=getattr(delegation, "last_position", None) or 0,
        pending=delegation.pending_count,
        offered=delegation.offered_count,
        held=delegation.held_count,
        unconfirmed=delegation.unconfirmed_count,
        taking=delegation.taking_count,
    )


def delegation_page(
    *,
    slug: str | None = None,
    pk: int | None = None,
    include_unpublished: bool = False,
    now=None,
) -> Delegation | None:
    """The delegation (by slug or pk) with a count per status, taking_count, held_count and last_position, in one cheap query.

    The hot path of every QR scan: written as plain SQL because building the equivalent ORM query
    costs several times more than running it. Counts are for display; seats are taken under lock.
    Its seat conditions come from Registration.SEAT_STATUSES and Invitation.HOLDING_SQL, and
    tests/test_seat_rule.py checks that it counts what ``seat_counts`` counts.
    """
    delegation, registration = Delegation._meta.db_table, Registration._meta.db_table
    count = f"SELECT COUNT(*) FROM {registration} r WHERE r.delegation_id = d.id AND r.status = %s"
    seat_statuses = list(Registration.SEAT_STATUSES)
    taking = f"SELECT COUNT(*) FROM {registration} r WHERE r.delegation_id = d.id AND r.status IN ({', '.join(['%s'] * len(seat_statuses))})"
    held = f"SELECT COUNT(*) FROM {Invitation._meta.db_table} i WHERE i.delegation_id = d.id AND {Invitation.HOLDING_SQL}"
    last = f"SELECT MAX(r.waitlist_position) FROM {registration} r WHERE r.delegation_id = d.id AND r.status = %s"
    where, value = ("d.slug = %s", slug) if pk is None else ("d.id = %s", pk)
    return raw_first(
        Delegation,
        f"SELECT {_delegation_columns()}, ({count}) AS confirmed_count, ({count}) AS waitlisted_count, ({count}) AS offered_count, "
        f"({count}) AS pending_count, ({count}) AS unconfirmed_count, ({taking}) AS taking_count, "
        f"({held}) AS held_count, ({last}) AS last_position FROM {delegation} d "
        f"WHERE {where} AND (d.is_published OR %s)",
        [
            Status.CONFIRMED,
            Status.WAITLISTED,
            Status.OFFERED,
            Status.PENDING,
            Status.UNCONFIRMED,
            *seat_statuses,
            now or timezone.now(),
            Status.WAITLISTED,
            value,
            include_unpublished,
        ],
    )


def delegation_submission_state(
    *, pk: int, email: str, now, sector_id: int | None = None, preceded_by: tuple[str, list] | None = None
) -> Delegation | None:
    """The delegation as ``delegation_page`` reads it (every count, ``last_position``), plus what a submission decides
    on under the seat lock, in one statement and one scan of the delegation's registrations:

    * ``due_count``: offers past their deadline, and held seats or waiting-list places whose e-mail was not
      confirmed in time (what ``services.seats._expire_due`` cancels; no query for them when 0);
    * ``offerable_count``: waiting people whose address is confirmed (``_offer_free_seats`` offers only to them);
    * ``email_taken``: ``email_is_registered(email=email)``, the same test (tests/test_seat_rule.py checks both);
    * ``sector_found`` and ``sector_cap``: whether ``sector_id`` is one of the delegation's sectors, and its seat cap
      as committed now (the form's sector may have been read before an organizer changed it).

    ``preceded_by``: the seat lock's statement, sent with this one (``raw_first``).
    """
    params = [now, email.strip(), sector_id, sector_id, now, now]
    return raw_first(Delegation, _submission_state_sql(pk), params, preceded_by=preceded_by)


@lru_cache(maxsize=256)
def _submission_state_sql(pk: int) -> str:
    """The statement of ``delegation_submission_state`` for the delegation ``pk``, built once per delegation.
    Parameters: now (invitations), the e-mail, the sector id twice, now twice (offers and e-mail confirmations due).

    The statuses are written into it as literals, not sent as parameters: with server-side binding
    (DATABASE_SERVER_SIDE_BINDING) a prepared statement's generic plan must still see the e-mail test's
    "status NOT IN (cancelled, rejected)" to use the partial unique index one_active_registration_per_email.

    The delegation's id is written into it too (a statement per delegation: a deployment has a handful). Sent as a
    parameter, the plan PostgreSQL keeps for a prepared statement had to guess how many registrations an unknown
    delegation has; with few delegations that guess is "most of the table", so its generic plan was a sequential
    scan (18 ms at 30,000 registrations), PostgreSQL kept planning the statement afresh for each submission instead
    (0.8 ms of every seat lock held, docs/PERFORMANCE.md), and with the id written in it keeps one plan and reuses it."""
    pk = int(pk)  # an integer, written as one
    delegation, registration, s = Delegation._meta.db_table, Registration._meta.db_table, _status_literal

    def total(column: str, *statuses: str) -> str:
        return f"CAST(COALESCE(SUM(g.{column}) FILTER (WHERE g.status IN ({s(*statuses)})), 0) AS INTEGER)"

    counts = ", ".join(
        f"{total('n', status)} AS {status}_count"
        for status in (Status.CONFIRMED, Status.WAITLISTED, Status.OFFERED, Status.PENDING, Status.UNCONFIRMED)
    )
    # One pass over the delegation's registrations grouped by status (in the index's order), with three cheap tests
    # per row; the statuses are told apart afterwards, among a handful of groups. Each registration has one status,
    # so the offers due and the e-mail confirmations due add up without counting anyone twice.
    groups = (
        f"SELECT r.status, COUNT(*) AS n, MAX(r.waitlist_position) AS last_position, "
        f"COUNT(*) FILTER (WHERE r.offer_expires_at <= %s) AS offers_due, "
        f"COUNT(*) FILTER (WHERE r.email_confirm_by <= %s) AS confirmations_due, "
        f"COUNT(*) FILTER (WHERE r.email_confirm_by IS NULL) AS confirmed_addresses "
        f"FROM {registration} r WHERE r.delegation_id = {pk} GROUP BY r.status"
    )
    return (
        f"SELECT {_delegation_columns()}, c.*, "
        f"(SELECT COUNT(*) FROM {Invitation._meta.db_table} i WHERE i.delegation_id = d.id AND {Invitation.HOLDING_SQL}) AS held_count, "
        f"EXISTS (SELECT 1 FROM {registration} e WHERE e.delegation_id = d.id AND LOWER(e.email) = LOWER(%s) "
        f"AND e.status NOT IN ({s(*Registration.INACTIVE_STATUSES)})) AS email_taken, "
        f"(SELECT s.seat_cap FROM {Sector._meta.db_table} s WHERE s.id = %s AND s.delegation_id = d.id) AS sector_cap, "
        f"EXISTS (SELECT 1 FROM {Sector._meta.db_table} s WHERE s.id = %s AND s.delegation_id = d.id) AS sector_found "
        f"FROM {delegation} d CROSS JOIN (SELECT {counts}, "
        f"{total('n', *Registration.SEAT_STATUSES)} AS taking_count, "
        f"MAX(g.last_position) FILTER (WHERE g.status = {s(Status.WAITLISTED)}) AS last_position, "
        f"{total('offers_due', Status.OFFERED)} + {total('confirmations_due', Status.UNCONFIRMED, Status.WAITLISTED)} AS due_count, "
        f"{total('confirmed_addresses', Status.WAITLISTED)} AS offerable_count "
        f"FROM ({groups}) g) c WHERE d.id = {pk}"
    )


@cache
def _delegation_columns() -> str:
    return selected_columns(Delegation, "d")


def _status_literal(*statuses: str) -> str:
    """Registration statuses as SQL string literals, comma-separated. Only code constants come here (checked)."""
    for status in statuses:
        if status not in Status.values:
            raise ValueError(f"not a registration status: {status!r}")
    return ", ".join(f"'{status}'" for status in statuses)


def sector_seats_taken(*, delegation: Delegation, now=None) -> dict[int, int]:
    """Seats taken per sector id (registrations taking seats, invitations holding), in two queries."""
    taken: dict[int, int] = defaultdict(int)
    rows = Registration.objects.taking_seats().filter(delegation=delegation).values("sector_id").annotate(n=Count("pk"))
    for row in rows:
        taken[row["sector_id"]] += row["n"]
    for row in live_invitations(delegation=delegation, now=now).values("sector_id").annotate(n=Count("pk")):
        taken[row["sector_id"]] += row["n"]
    return taken


def delegations_with_counts(now=None) -> QuerySet[Delegation]:
    """Delegations annotated with a count per status, taking_count and held_count (see seat_counts_annotated)."""
    held = Invitation.objects.holding(now).filter(delegation=OuterRef("pk")).order_by().values("delegation").annotate(n=Count("pk")).values("n")
    counts = {
        f"{status}_count": Count("registrations", filter=Q(registrations__status=status))
        for status in (Status.PENDING, Status.CONFIRMED, Status.OFFERED, Status.WAITLISTED, Status.UNCONFIRMED)
    }
    return Delegation.objects.annotate(
        **counts,
        taking_count=Count("registrations", filter=_taking_seats("registrations__")),
        held_count=Coalesce(Subquery(held), 0),
    )


def published_delegations() -> QuerySet[Delegation]:
    return Delegation.objects.filter(is_published=True).order_by("starts_on", "pk")


def email_is_registered(*, delegation: Delegation, email: str, other_than: int | None = None) -> bool:
    """True when an active (not cancelled) registration (other than the one with pk ``other_than``) uses this e-mail, case-insensitively."""
    # LOWER(email) as in the unique constraint, so that its index answers.
    return (
        Registration.objects.annotate(email_lower=Lower("email"))
        .filter(delegation=delegation, email_lower=Lower(Value(email.strip())))
        .exclude(status__in=Registration.INACTIVE_STATUSES)
        .exclude(pk=other_than)
        .exists()
    )


def sectors_full(*, delegation: Delegation, now=None) -> set[int]:
    """Ids of the sectors whose seat cap is reached (no seat left in that field)."""
    taken = sector_seats_taken(delegation=delegation, now=now)
    return {sector.pk for sector in delegation.sectors.all() if sector.seat_cap is not None and taken[sector.pk] >= sector.seat_cap}


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


def invitation_by_token(*, token: str) -> Invitation | None:
    return Invitation.objects.select_related("delegation", "sector").filter(token=token).first()


@dataclass(frozen=True)
class SectorFill:
    name: str
    cap: int  # the field's cap, or the delegation's seats when it has none
    capped: bool
    taken: int
    pending: int
    waitlisted: int


def sector_fill(*, delegation: Delegation) -> list[SectorFill]:
    """Per field: seats taken against its cap, and who is waiting or pending, in three queries."""
    taken = sector_seats_taken(delegation=delegation)
    rows = (
        Registration.objects.filter(delegation=delegation)
        .values("sector_id")
        .annotate(
            pending=Count("pk", filter=Q(status=Status.PENDING)),
            waitlisted=Count("pk", filter=Q(status=Status.WAITLISTED)),
        )
    )
    waiting = {row["sector_id"]: row for row in rows}
    fills = []
    for sector in delegation.sectors.order_by("order", "pk"):
        row = waiting.get(sector.pk, {"pending": 0, "waitlisted": 0})
        cap = sector.seat_cap if sector.seat_cap is not None else delegation.seats
        fills.append(SectorFill(sector.local.name, cap, sector.seat_cap is not None, taken[sector.pk], row["pending"], row["waitlisted"]))
    return fills


def registrations_per_day(*, delegation: Delegation) -> list[tuple[date, int]]:
    """How many registrations arrived each day (Korea time), oldest first."""
    rows = (
        Registration.objects.filter(delegation=delegation)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    return [(row["day"], row["n"]) for row in rows]


def registrations_per_source(*, delegation: Delegation) -> list[dict]:
    """Registrations and confirmed seats per source code (empty code: direct link)."""
    return list(
        Registration.objects.filter(delegation=delegation)
        .values("source")
        .annotate(total=Count("pk"), confirmed=Count("pk", filter=Q(status=Status.CONFIRMED)))
        .order_by("-total", "source")
    )


def export_queryset(queryset: QuerySet[Registration]) -> QuerySet[Registration]:
    """Registrations with everything an export row shows, in a stable order."""
    return (
        queryset.select_related("sector", "delegation")
        .prefetch_related(Prefetch("visit_bookings", VisitBooking.objects.select_related("visit").order_by("visit__starts_at")), "answers")
        .order_by("delegation_id", "created_at", "pk")
    )


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
        .order_by()
        .values("delegation")
        .annotate(count=Count("pk"))
        .values("count")
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
    items = itinerary_with_fill(ItineraryItem.objects.filter(delegation_id=registration.delegation_id, is_optional=True)).annotate(
        my_status=Subquery(mine.values("status")[:1]),
        my_position=Subquery(mine.values("waitlist_position")[:1]),
    )
    return [VisitChoice(fill=fill_of(item), status=item.my_status, position=item.my_position) for item in items.order_by("starts_at", "order", "pk")]


@dataclass(frozen=True)
class VisitAttendees:
    visit: ItineraryItem
    attendees: list[Registration]
    waiting: list[Registration]  # each with .visit_position


def visit_attendee_registrations(*, visit: ItineraryItem) -> QuerySet[Registration]:
    """THE "who attends" rule: confirmed delegates with a booked place on an optional visit; every confirmed delegate otherwise."""
    people = Registration.objects.filter(delegation_id=visit.delegation_id, status=Status.CONFIRMED)
    if visit.is_optional:
        people = people.filter(visit_bookings__visit=visit, visit_bookings__status=Booking.BOOKED)
    return people


def visit_attendees(*, visit: ItineraryItem) -> VisitAttendees:
    """Who goes on a visit (by name, visit_attendee_registrations) and who waits on an optional one (by position)."""
    attendees = list(visit_attendee_registrations(visit=visit).select_related("sector").order_by("full_name", "pk"))
    if not visit.is_optional:
        return VisitAttendees(visit=visit, attendees=attendees, waiting=[])
    bookings = VisitBooking.objects.filter(visit=visit).select_related("registration__sector")
    waiting = []
    for booking in bookings.filter(status=Booking.WAITLISTED).order_by("waitlist_position"):
        booking.registration.visit_position = booking.waitlist_position
        waiting.append(booking.registration)
    return VisitAttendees(visit=visit, attendees=attendees, waiting=waiting)


def registrations_due_for_anonymisation(*, ended_before: date) -> QuerySet[Registration]:
    """Registrations not yet anonymised whose delegation ended before ``ended_before``."""
    return Registration.objects.filter(anonymised_at__isnull=True, delegation__ends_on__lt=ended_before)


def invitations_due_for_anonymisation(*, ended_before: date) -> QuerySet[Invitation]:
    """Invitations still naming their guest whose delegation ended before ``ended_before``."""
    return Invitation.objects.filter(delegation__ends_on__lt=ended_before).exclude(email__endswith="@anonymised.invalid")


# --- Bursts: many submissions from one client address --------------------------

BURST_WINDOW = timedelta(minutes=10)
BURST_THRESHOLD = 5  # more submissions than this within BURST_WINDOW of each other: flagged (informs; never blocks)


def registrations_with_burst_count(queryset: QuerySet[Registration]) -> QuerySet[Registration]:
    """Annotate burst_count: submissions from the same client address (keyed hash) within BURST_WINDOW of each one."""
    same = (
        Registration.objects.filter(
            client_hash=OuterRef("client_hash"),
            created_at__gte=OuterRef("created_at") - BURST_WINDOW,
            created_at__lte=OuterRef("created_at") + BURST_WINDOW,
        )
        .order_by()
        .values("client_hash")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(burst_count=Coalesce(Subquery(same), 0))


def registrations_in_bursts(queryset: QuerySet[Registration]) -> QuerySet[Registration]:
    """Registrations from a client address that sent more than BURST_THRESHOLD submissions within BURST_WINDOW."""
    return registrations_with_burst_count(queryset.exclude(client_hash="")).filter(burst_count__gt=BURST_THRESHOLD)


def registration_active_by_email(*, delegation: Delegation, email: str) -> Registration | None:
    """The active (not cancelled or rejected) registration using this e-mail here, case-insensitively."""
    return (
        Registration.objects.annotate(email_lower=Lower("email"))
        .filter(delegation=delegation, email_lower=Lower(Value(email.strip())))
        .exclude(status__in=Registration.INACTIVE_STATUSES)
        .select_related("delegation")
        .first()
    )


def seat_handover_by_token(*, token: str) -> SeatHandover | None:
    """The seat handover still waiting for this link's owner (None when unknown or past its deadline)."""
    if not token_is_well_formed(token):
        return None
    handover = (
        SeatHandover.objects.select_related("registration__delegation", "registration__sector")
        .filter(token=token, expires_at__gt=timezone.now())
        .first()
    )
    return handover if handover is not None and token_matches(handover.token, token) else None

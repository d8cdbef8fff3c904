"""Seats: taking, releasing and resizing them. Every write that touches seats or statuses.

How a seat is taken, top to bottom:

1. What takes a seat is defined once, in models.py: ``Registration.objects.taking_seats()``
   (statuses in ``Registration.SEAT_STATUSES``: confirmed, offered, awaiting e-mail
   confirmation) plus ``Invitation.objects.holding(now)``. selectors.seat_counts and
   sector_seats_taken count exactly that; pending and waitlisted people hold no seat.
2. Every write locks first: inside ``transaction.atomic()``, ``delegation_lock`` takes the
   delegation row with ``select_for_update()`` (and refuses to run outside a transaction).
   On SQLite the transaction starts with BEGIN IMMEDIATE (see settings), serialising writers.
3. Under the lock ``_settle`` releases what ran out (offers and e-mail holds past their
   deadline) and offers the freed seats to the waiting list; then ``seat_refusal_locked``
   says whether the wanted seats are free; then the write happens.
4. ``registration_submit``: invited -> confirmed on the invitation's seat; review -> pending;
   first come with a free seat -> confirmed, or ``unconfirmed`` (holding the seat until
   ``email_confirm_by``) when the delegation asks for e-mail confirmation
   (services/confirmation.py confirms or releases it); no free seat -> waitlisted (with the same
   deadline when confirmation is on: offers go only to confirmed addresses, see _offer_free_seats).
   On PostgreSQL its statements under the lock go out in two messages (core/pipeline.py): the lock with
   the counts (``delegation_lock_counted``), then its rows with the COMMIT (``insert_linked(commit=True)``).
5. ``registration_set_status`` is the one place a status changes (history, e-mail).
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from registrations import selectors
from registrations.cache_invalidation import seat_state_forgotten_before_the_lock
from registrations.consent import CONSENT_VERSION, consent_text
from registrations.core.email_address import email_normalise
from registrations.core.i18n import supported_language
from registrations.core.inserts import child_prepared, insert_linked, row_prepared
from registrations.models import Delegation, Invitation, Question, Registration, SeatHandover, Sector, StatusChange
from registrations.selectors.questions import registration_questions
from registrations.services import emails
from registrations.services.codes import client_hash
from registrations.services.messages import Messages
from registrations.services.questions import answers_check, answers_unsaved
from registrations.services.visits import visit_bookings_release

# The error code of "this address is already registered here" (views answer it without saying so).
DUPLICATE_EMAIL = "duplicate_email"
UNIQUE_EMAIL_CONSTRAINT = "one_active_registration_per_email"  # models.Registration.Meta
Status = Registration.Status
# What registration_submit decides under the seat lock (_initial_status and the locked delegation): the rest of the
# new registration's values are taken before the lock.
DECIDED_UNDER_THE_LOCK = ("delegation_id", "status", "waitlist_position", "email_confirm_by", "offer_expires_at")

# Which status may follow which. Anything else is refused.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    Status.PENDING: {Status.CONFIRMED, Status.WAITLISTED, Status.REJECTED, Status.CANCELLED},
    Status.UNCONFIRMED: {Status.CONFIRMED, Status.CANCELLED},
    Status.WAITLISTED: {Status.CONFIRMED, Status.OFFERED, Status.REJECTED, Status.CANCELLED},
    Status.OFFERED: {Status.CONFIRMED, Status.REJECTED, Status.CANCELLED},
    Status.CONFIRMED: {Status.CANCELLED},
    Status.REJECTED: set(),
    Status.CANCELLED: set(),
}


class LockOutsideTransaction(RuntimeError):
    """A lock was asked for outside ``transaction.atomic()``: it would be released at once."""


def _refuse_outside_a_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise LockOutsideTransaction("delegation_lock must run inside transaction.atomic()")


def delegation_lock(delegation_id: int) -> Delegation:
    """Lock the row that owns the seats until the surrounding transaction ends (refused outside one)."""
    _refuse_outside_a_transaction()
    return Delegation.objects.select_for_update().get(pk=delegation_id)


_row_lock_sql: dict[str, str] = {}  # database vendor -> the ORM's statement for the row lock, built once


def _row_lock_statement(connection) -> str | None:
    """The statement of ``delegation_lock`` without reading the row: the ORM's (``select_for_update`` of the pk, its
    only parameter), compiled once per database vendor and kept (building the query took longer than running it).
    None where there are no row locks: SQLite, where BEGIN IMMEDIATE serialises."""
    if not connection.features.has_select_for_update:
        return None
    sql = _row_lock_sql.get(connection.vendor)
    if sql is None:
        query = Delegation.objects.select_for_update().filter(pk=0).order_by().values_list("pk", flat=True).query
        sql, params = query.get_compiler(connection=connection).as_sql()
        if list(params) != [0]:  # the pk is the statement's only parameter
            raise RuntimeError(f"Unexpected row lock statement: {sql} {params}")
        _row_lock_sql[connection.vendor] = sql
    return sql


def delegation_lock_counted(delegation_id: int, *, email: str, now: datetime, sector_id: int | None = None) -> Delegation | None:
    """``delegation_lock``, then the delegation with all its seat counts, what is due to expire and whether
    ``email`` is registered and the seat cap of ``sector_id``, in one statement (selectors.delegation_submission_state);
    None if the delegation is gone.

    Two statements, never one: a SELECT ... FOR UPDATE that waited for the lock sees the locked row as
    committed, but its subqueries see the snapshot of the moment it started, before the commit it waited
    for (PostgreSQL, read committed): counts read with the lock would miss the seat just taken. On PostgreSQL
    the two go out in one message (pipeline mode): the server runs the counts the moment it grants the lock,
    with their own snapshot, instead of waiting, lock held, for this process to read the grant and send them.
    """
    _refuse_outside_a_transaction()
    lock = _row_lock_statement(transaction.get_connection())
    return selectors.delegation_submission_state(
        pk=delegation_id, email=email, now=now, sector_id=sector_id, preceded_by=(lock, [delegation_id]) if lock else None
    )


def registration_set_status(
    *,
    registration: Registration,
    status: str,
    by=None,
    reason: str = "",
    waitlist_position: int | None = None,
    offer_expires_at: datetime | None = None,
) -> Registration:
    """The one place a status changes: checks the transition, saves only what changed, records history."""
    previous = registration.status
    if status not in ALLOWED_TRANSITIONS[previous]:
        raise ValidationError(Messages.transition_refused(previous, status))
    registration.status = status
    registration.waitlist_position = waitlist_position if status == Status.WAITLISTED else None
    registration.offer_expires_at = offer_expires_at if status == Status.OFFERED else None
    registration.email_confirm_by = None  # only set at submission; any change ends the e-mail hold
    if status == Status.REJECTED:
        registration.decision_reason = reason
    registration.status_changed_at = timezone.now()
    registration.save(
        update_fields=[
            "status",
            "waitlist_position",
            "offer_expires_at",
            "email_confirm_by",
            "decision_reason",
            "status_changed_at",
            "updated_at",
        ]
    )
    StatusChange.objects.create(
        registration=registration,
        from_status=previous,
        to_status=status,
        reason=reason,
        changed_by=by if getattr(by, "pk", None) else None,
        changed_at=registration.status_changed_at,
    )
    emails.registration_email_queue_for_status(registration=registration, reason=reason)
    return registration


def _creation_change(registration: Registration, *, reason: str = "") -> StatusChange:
    """The first line of a registration's history (not saved: it is inserted with the registration), at the moment
    its status was first set (``status_changed_at``: the submission's, known before the lock on every database)."""
    return StatusChange(
        registration=registration,
        from_status="",
        to_status=registration.status,
        reason=reason,
        changed_at=registration.status_changed_at,
    )


# --- the seat rule ------------------------------------------------------------


def seat_refusal_locked(
    *,
    delegation: Delegation,
    sector: Sector,
    wanted: int = 1,
    now=None,
    counts: selectors.SeatCounts | None = None,
) -> str | None:
    """With the delegation locked: why ``wanted`` more seats in ``sector`` cannot be taken, or None.

    ``counts``: the delegation's seat counts read under this lock, if they were (else they are counted here).
    """
    left = (counts or selectors.seat_counts(delegation=delegation, now=now)).left
    if wanted > left:
        return Messages.seats_left(left, wanted)
    if sector.seat_cap is not None:
        sector_left = max(sector.seat_cap - selectors.sector_seats_taken(delegation=delegation, now=now)[sector.pk], 0)
        if wanted > sector_left:
            return Messages.sector_seats_left(sector_left, sector.local.name, wanted)
    return None


# --- the waiting list ---------------------------------------------------------


def _close_waitlist_gap(*, delegation: Delegation, position: int) -> None:
    """Move everyone behind ``position`` up by one, so positions stay 1..n."""
    Registration.objects.filter(delegation=delegation, status=Status.WAITLISTED, waitlist_position__gt=position).update(
        waitlist_position=F("waitlist_position") - 1
    )


def _leave_waitlist(*, registration: Registration, status: str, by=None, reason: str = "", **fields) -> Registration:
    """Change the status of someone who may be on the waiting list, keeping positions consecutive."""
    position = registration.waitlist_position
    registration_set_status(registration=registration, status=status, by=by, reason=reason, **fields)
    if position is not None:
        _close_waitlist_gap(delegation=registration.delegation, position=position)
    return registration


def _next_position(delegation: Delegation, counts: selectors.SeatCounts | None = None) -> int:
    return (counts or selectors.seat_counts(delegation=delegation)).last_position + 1


def _offer_deadline(delegation: Delegation, now: datetime) -> datetime:
    return min(now + timedelta(hours=delegation.offer_hold_hours), delegation.starts_at())


def _offers_allowed(delegation: Delegation, now: datetime) -> bool:
    """Automatic offers: first-come mode only, while registration is open, never once the trip starts."""
    return not delegation.is_review and delegation.is_registration_open(now) and now < delegation.starts_at()


def _offer_free_seats(*, delegation: Delegation, now: datetime) -> list[Registration]:
    """With the delegation locked: offer each free seat to the first waiting person whose field has room."""
    # Only proven addresses are offered a seat; the unconfirmed keep their place until they confirm or run out of time.
    queue = Registration.objects.filter(
        delegation=delegation,
        status=Status.WAITLISTED,
        email_confirm_by__isnull=True,
    ).select_related("sector", "delegation")
    if not _offers_allowed(delegation, now) or not queue.exists():  # nobody waiting: nothing to count (the usual case)
        return []
    free = selectors.seat_counts(delegation=delegation, now=now).left
    if free <= 0:
        return []
    sector_taken = selectors.sector_seats_taken(delegation=delegation, now=now)
    offered: list[Registration] = []
    for registration in queue.order_by("waitlist_position"):
        cap = registration.sector.seat_cap
        if cap is not None and sector_taken[registration.sector_id] >= cap:
            continue
        offered.append(registration)
        sector_taken[registration.sector_id] += 1
        if len(offered) == free:
            break
    deadline = _offer_deadline(delegation, now)
    for registration in sorted(offered, key=lambda r: -r.waitlist_position):  # back to front keeps gaps simple
        _leave_waitlist(registration=registration, status=Status.OFFERED, offer_expires_at=deadline)
    return offered


def _expire_due(*, delegation: Delegation, now: datetime) -> list[Registration]:
    """With the delegation locked: cancel offers past their deadline, then held seats and waiting-list places whose
    e-mail was not confirmed in time (read in one query). Returns them."""
    due = list(
        Registration.objects.filter(delegation=delegation)
        .filter(
            Q(status=Status.OFFERED, offer_expires_at__lte=now) | Q(status__in=[Status.UNCONFIRMED, Status.WAITLISTED], email_confirm_by__lte=now),
        )
        .order_by(F("waitlist_position").desc(nulls_last=True))
    )  # back to front: positions read above stay true
    offers = [registration for registration in due if registration.status == Status.OFFERED]
    for registration in offers:
        registration_set_status(registration=registration, status=Status.CANCELLED, reason=Messages.offer_expired_reason())
    unconfirmed = [registration for registration in due if registration not in offers]
    for registration in unconfirmed:
        _leave_waitlist(registration=registration, status=Status.CANCELLED, reason=Messages.email_not_confirmed_reason())
    return due


def _settle(*, delegation: Delegation, now: datetime | None = None) -> list[Registration]:
    """With the delegation locked: expire due offers and e-mail holds, then offer free seats. Returns the new offers."""
    now = now or timezone.now()
    _expire_due(delegation=delegation, now=now)
    return _offer_free_seats(delegation=delegation, now=now)


def _settle_counted(*, delegation: Delegation, now: datetime) -> selectors.SeatCounts | None:
    """``_settle`` for a delegation read with ``delegation_lock_counted``: its counts if nothing changed, else None.

    Nothing due and nobody to offer a free seat to (the usual case): no query, and the counts read with the lock hold.
    """
    counts = selectors.seat_counts_annotated(delegation=delegation)
    changed = _expire_due(delegation=delegation, now=now) if delegation.due_count else []
    if changed or (delegation.offerable_count and counts.left):  # else nobody could be offered a seat
        changed += _offer_free_seats(delegation=delegation, now=now)
    return None if changed else counts


def seats_settle(*, delegation: Delegation, now: datetime | None = None) -> list[Registration]:
    """Expire due offers, e-mail holds and invitations' holds, and offer the freed seats to the waiting list."""
    with transaction.atomic():
        return _settle(delegation=delegation_lock(delegation.pk), now=now)


# --- submissions ----------------------------------------------------------------


def _email_confirm_deadline(delegation: Delegation, now: datetime) -> datetime:
    """N hours from now, at the latest the trip's start (unless it has started: then the full N hours)."""
    deadline = now + timedelta(hours=delegation.email_confirmation_hours)
    return min(deadline, delegation.starts_at()) if delegation.starts_at() > now else deadline


def _initial_status(
    *,
    delegation: Delegation,
    sector: Sector,
    invitation: Invitation | None,
    now: datetime,
    counts: selectors.SeatCounts | None,
) -> tuple[str, dict]:
    """The status of a new registration and the fields that go with it (``counts``: read under the lock, or None)."""
    if invitation is not None:
        return Status.CONFIRMED, {}  # the invitation's held seat becomes this registration's seat
    if delegation.is_review:
        return Status.PENDING, {}  # the organizer's decision is the check; no e-mail hold in review mode
    if seat_refusal_locked(delegation=delegation, sector=sector, now=now, counts=counts) is None:
        if delegation.email_confirmation_hours:
            return Status.UNCONFIRMED, {"email_confirm_by": _email_confirm_deadline(delegation, now)}
        return Status.CONFIRMED, {}
    fields = {"waitlist_position": _next_position(delegation, counts)}
    if delegation.email_confirmation_hours:  # no offer to an invented address: it must be confirmed first
        fields["email_confirm_by"] = _email_confirm_deadline(delegation, now)
    return Status.WAITLISTED, fields


def _check_can_submit(
    *,
    delegation: Delegation,
    email: str,
    invitation: Invitation | None,
    now: datetime,
    email_taken: bool | None = None,
) -> None:
    """``email_taken``: ``selectors.email_is_registered`` as read under this lock, if nothing changed since (else asked here)."""
    if invitation is not None:
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.delegation_id != delegation.pk or not invitation.is_holding(now) or now >= delegation.starts_at():
            raise ValidationError(Messages.invitation_not_valid())
    elif not delegation.is_registration_open(now):
        raise ValidationError(Messages.registration_closed())
    if email_taken is None:
        email_taken = selectors.email_is_registered(delegation=delegation, email=email)
    if email_taken:
        raise ValidationError({"email": ValidationError(Messages.duplicate_email(), code=DUPLICATE_EMAIL)})


def registration_submit(
    *,
    delegation: Delegation,
    full_name: str,
    company: str,
    job_title: str,
    sector: Sector,
    email: str,
    phone: str,
    wechat_id: str = "",
    note: str = "",
    source: str = "",
    invitation: Invitation | None = None,
    language: str = "",
    client_address: str = "",
    answers: dict[int, str] | None = None,
    questions: list[Question] | None = None,
) -> Registration:
    """Invited: confirmed. Review: pending. First come: a free seat confirmed (or held until the e-mail is confirmed), else waitlisted."""
    if invitation is not None:
        # The held seat is in the invitation's field, for the invited address: whatever was posted, those are used.
        invitation = Invitation.objects.select_related("sector").get(pk=invitation.pk)
        sector, email = invitation.sector, invitation.email
    if sector.delegation_id != delegation.pk:
        raise ValidationError({"sector": Messages.wrong_sector()})
    try:
        email = email_normalise(email)
    except ValidationError as error:
        raise ValidationError({"email": error.messages}) from error
    # The form's questions are checked before the lock; under it their answers are only written.
    if questions is None:
        questions = registration_questions(delegation=delegation)
    checked = answers_check(questions=questions, answers=answers or {})
    now = timezone.now()
    # Built before the lock; under it only its status is decided and it is inserted.
    registration = Registration(
        delegation=delegation,
        full_name=full_name,
        company=company,
        job_title=job_title,
        sector=sector,
        email=email,
        phone=phone,
        wechat_id=wechat_id,
        note=note,
        source=source,
        consent_at=now,
        status_changed_at=now,
        invitation=invitation,
        client_hash=client_hash(client_address),
        language=supported_language(language),
        consent_version=CONSENT_VERSION,
        consent_text=consent_text(),
    )
    # Its values for the INSERT taken now too (created_at included, as consent_at above); under the lock only those
    # the decision sets are taken again. The order of the decisions is the lock's (waitlist_position), not created_at's.
    prepared = row_prepared(registration, late=DECIDED_UNDER_THE_LOCK)
    # Its first history line, its message and its answers too: under the lock only what the decision sets is taken
    # again (the line's status, what the message will say).
    history = _creation_change(registration, reason=Messages.invited_reason() if invitation else "")
    message = emails.registration_email_unsaved(registration=registration, kind=emails.Kind.RECEIVED)
    children = [
        child_prepared(history, "registration", late=("to_status",)),
        child_prepared(message, "registration", late=("render_state",)),
        *(child_prepared(answer, "registration") for answer in answers_unsaved(registration=registration, answers=checked)),
    ]
    try:
        with seat_state_forgotten_before_the_lock(delegation.pk, delegation.slug), transaction.atomic():
            # The lock, then the seat counts, what is due and the duplicate test in one statement.
            delegation = delegation_lock_counted(delegation.pk, email=email, now=now, sector_id=sector.pk)
            if delegation is None:
                raise ValidationError(Messages.registration_closed())
            if not delegation.sector_found:  # removed since the form was read
                raise ValidationError({"sector": Messages.wrong_sector()})
            sector.seat_cap = delegation.sector_cap  # as committed now, not as the form read it
            counts = _settle_counted(delegation=delegation, now=now)
            # An expiry just now may have freed the address: then it is asked again.
            email_taken = bool(delegation.email_taken) if counts is not None else None
            _check_can_submit(delegation=delegation, email=email, invitation=invitation, now=now, email_taken=email_taken)
            status, fields = _initial_status(delegation=delegation, sector=sector, invitation=invitation, now=now, counts=counts)
            registration.delegation, registration.status = delegation, status
            for name, value in fields.items():
                setattr(registration, name, value)
            if invitation is not None:
                Invitation.objects.filter(pk=invitation.pk).update(used_at=now)
            history.to_status = registration.status
            # The message is rendered after commit, out of the lock, from the registration as it is here (see emails).
            message.render_state = emails.render_state(registration)
            # The registration, its first history line, its message and its answers, in one statement on PostgreSQL,
            # sent with the COMMIT: the transaction's last statement (nothing may follow it in this block).
            insert_linked(registration, prepared=prepared, children=children, commit=True)
            emails.registration_email_recorded(email=message)  # its sending (if any) waits for the block to end: on_commit
    except IntegrityError as exc:  # the unique e-mail constraint, should the check above be bypassed
        if UNIQUE_EMAIL_CONSTRAINT not in str(exc):
            raise
        raise ValidationError({"email": ValidationError(Messages.duplicate_email(), code=DUPLICATE_EMAIL)}) from exc
    return registration


# --- leaving ----------------------------------------------------------------------


def registration_cancel(*, registration: Registration, by=None, reason: str = "") -> Registration:
    """Cancel a registration; a freed seat is offered to the waiting list at once (first come)."""
    with transaction.atomic():
        delegation = delegation_lock(registration.delegation_id)
        locked = Registration.objects.select_for_update().select_related("delegation").get(pk=registration.pk)
        if locked.token != registration.token:  # the seat was handed to a colleague since the caller read it
            raise ValidationError(Messages.handover_seat_changed())
        registration = locked
        SeatHandover.objects.filter(registration=registration).delete()  # a colleague's pending handover ends with the seat
        _leave_waitlist(registration=registration, status=Status.CANCELLED, by=by, reason=reason)
        _settle(delegation=delegation)
        visit_bookings_release(registration=registration)  # visits last: lock order delegation -> registration -> visits
    return registration


# --- resizing ---------------------------------------------------------------------


def delegation_check_seats_and_lock(*, delegation: Delegation, seats: int) -> None:
    """Seats may never drop below the seats already taken (locks until the transaction ends)."""
    if seats < 0:
        raise ValidationError(Messages.seats_negative(), code="seats_negative")
    if delegation.pk is None:
        return
    taken = selectors.seat_counts(delegation=delegation_lock(delegation.pk)).taken
    if seats < taken:
        raise ValidationError(Messages.seats_below_taken(taken), code="seats_below_taken")


def sector_check_cap_and_lock(*, sector: Sector, seat_cap: int | None) -> None:
    """A sector's cap may never drop below the seats already taken in it (locks until the transaction ends)."""
    if seat_cap is None or sector.pk is None:
        return
    delegation = delegation_lock(sector.delegation_id)
    taken = selectors.sector_seats_taken(delegation=delegation)[sector.pk]
    if seat_cap < taken:
        raise ValidationError(Messages.sector_cap_below_taken(taken, sector.local.name), code="sector_cap_below_taken")


def delegation_set_capacity(
    *,
    delegation: Delegation,
    seats: int | None = None,
    sector_caps: dict[Sector, int | None] | None = None,
) -> list[Registration]:
    """Change seats and sector caps together: each refused below the seats taken; then freed seats are offered (returned)."""
    with transaction.atomic():
        # Every check before any write, and one settle after all of them: a seat offered under an old,
        # higher limit can never make a lower one that was already checked fail halfway.
        if seats is not None:
            delegation_check_seats_and_lock(delegation=delegation, seats=seats)
        for sector, seat_cap in (sector_caps or {}).items():
            sector_check_cap_and_lock(sector=sector, seat_cap=seat_cap)
        if seats is not None:
            locked = delegation_lock(delegation.pk)
            locked.seats = delegation.seats = seats
            locked.save(update_fields=["seats", "updated_at"])  # updated_at: cached public pages follow
        for sector, seat_cap in (sector_caps or {}).items():
            sector.seat_cap = seat_cap
            sector.save(update_fields=["seat_cap"])  # a save: the public pages' content version follows
        return _settle(delegation=delegation_lock(delegation.pk))


def delegation_set_seats(*, delegation: Delegation, seats: int) -> list[Registration]:
    """Change the seat count: refused below the seats taken; extra seats are offered to the waiting list (returned)."""
    return delegation_set_capacity(delegation=delegation, seats=seats)


def sector_set_cap(*, sector: Sector, seat_cap: int | None) -> list[Registration]:
    """Change a sector's seat cap: refused below its seats taken; freed seats are offered to the waiting list (returned)."""
    return delegation_set_capacity(delegation=sector.delegation, sector_caps={sector: seat_cap})

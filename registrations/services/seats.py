"""Seats: taking, releasing and resizing them. Every write that touches seats or statuses.

The capacity pattern (pretix / pretalx): inside ``transaction.atomic()`` lock the
delegation row with ``select_for_update()``, count, then write. On SQLite the
transaction itself starts with BEGIN IMMEDIATE (see settings), which serialises
writers the same way.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .. import selectors
from ..consent import CONSENT_VERSION, consent_text
from ..models import Delegation, Registration, Sector
from .messages import Messages

Status = Registration.Status

# Which status may follow which. Anything else is refused.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    Status.CONFIRMED: {Status.CANCELLED},
    Status.WAITLISTED: {Status.CONFIRMED, Status.CANCELLED},
    Status.CANCELLED: set(),
}


def _lock_delegation(delegation_id: int) -> Delegation:
    """Lock the row that owns the seats until the surrounding transaction ends."""
    return Delegation.objects.select_for_update().get(pk=delegation_id)


def registration_set_status(*, registration: Registration, status: str, waitlist_position: int | None = None) -> Registration:
    """The one place a status changes: checks the transition and saves only what changed."""
    if status not in ALLOWED_TRANSITIONS[registration.status]:
        raise ValidationError(Messages.transition_refused(registration.status, status))
    registration.status = status
    registration.waitlist_position = waitlist_position if status == Status.WAITLISTED else None
    registration.status_changed_at = timezone.now()
    registration.save(update_fields=["status", "waitlist_position", "status_changed_at", "updated_at"])
    return registration


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
) -> Registration:
    """Confirm the submission if a seat is free, else add it to the end of the waiting list."""
    if sector.delegation_id != delegation.pk:
        raise ValidationError({"sector": Messages.wrong_sector()})
    email = email.strip()
    with transaction.atomic():
        delegation = _lock_delegation(delegation.pk)
        if not delegation.is_registration_open():
            raise ValidationError(Messages.registration_closed())
        if selectors.email_is_registered(delegation=delegation, email=email):
            raise ValidationError({"email": Messages.duplicate_email()})
        counts = selectors.seat_counts(delegation=delegation)
        if counts.confirmed < delegation.seats:
            status, position = Status.CONFIRMED, None
        else:
            status, position = Status.WAITLISTED, counts.last_position + 1
        try:
            with transaction.atomic():
                return Registration.objects.create(
                    delegation=delegation, full_name=full_name, company=company, job_title=job_title,
                    sector=sector, email=email, phone=phone, wechat_id=wechat_id, note=note,
                    source=source, consent_at=timezone.now(), status=status, waitlist_position=position,
                    consent_version=CONSENT_VERSION, consent_text=consent_text(),
                )
        except IntegrityError as exc:  # the unique e-mail constraint, should a check above be bypassed
            raise ValidationError({"email": Messages.duplicate_email()}) from exc


def _close_waitlist_gap(*, delegation: Delegation, position: int) -> None:
    """Move everyone behind ``position`` up by one, so positions stay 1..n."""
    Registration.objects.filter(
        delegation=delegation, status=Status.WAITLISTED, waitlist_position__gt=position
    ).update(waitlist_position=F("waitlist_position") - 1)


def _fill_seats_from_waitlist(*, delegation: Delegation) -> list[Registration]:
    """With the delegation locked: confirm waitlisted people in order while seats are free."""
    counts = selectors.seat_counts(delegation=delegation)
    free = delegation.seats - counts.confirmed
    promoted = []
    if free <= 0:
        return promoted
    queue = Registration.objects.filter(delegation=delegation, status=Status.WAITLISTED).order_by("waitlist_position")
    for registration in list(queue[:free]):
        registration_set_status(registration=registration, status=Status.CONFIRMED)
        promoted.append(registration)
    if promoted:
        # Everyone still waiting moves up by the number promoted.
        queue.update(waitlist_position=F("waitlist_position") - len(promoted))
    return promoted


def waitlist_fill(*, delegation: Delegation) -> list[Registration]:
    """Confirm waitlisted registrations, first in line first, while seats are free."""
    with transaction.atomic():
        return _fill_seats_from_waitlist(delegation=_lock_delegation(delegation.pk))


def registration_cancel(*, registration: Registration) -> Registration:
    """Cancel a registration; a freed seat goes to the first person on the waiting list at once."""
    with transaction.atomic():
        delegation = _lock_delegation(registration.delegation_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        previous_position = registration.waitlist_position
        registration_set_status(registration=registration, status=Status.CANCELLED)
        if previous_position is not None:
            _close_waitlist_gap(delegation=delegation, position=previous_position)
        _fill_seats_from_waitlist(delegation=delegation)
    return registration


def delegation_check_seats(*, delegation: Delegation, seats: int) -> None:
    """Seats may never drop below the number already confirmed (locks until the transaction ends)."""
    if seats < 0:
        raise ValidationError(Messages.seats_negative(), code="seats_negative")
    if delegation.pk is None:
        return
    locked = _lock_delegation(delegation.pk)
    confirmed = selectors.seat_counts(delegation=locked).confirmed
    if seats < confirmed:
        raise ValidationError(Messages.seats_below_confirmed(confirmed), code="seats_below_confirmed")


def delegation_set_seats(*, delegation: Delegation, seats: int) -> Delegation:
    """Change the seat count: refused below the confirmed count; extra seats go to the waiting list."""
    with transaction.atomic():
        delegation_check_seats(delegation=delegation, seats=seats)
        Delegation.objects.filter(pk=delegation.pk).update(seats=seats)
        delegation.seats = seats
        _fill_seats_from_waitlist(delegation=_lock_delegation(delegation.pk))
    return delegation

"""Organizer switches on a delegation: registration mode, and registration open or closed.

Switching review -> first come decides every pending application at once, in submission order:
confirmed while a seat is left (in the delegation and in its field), otherwise put on the
waiting list. First come -> review changes nobody; new submissions then wait for review and
freed seats are no longer offered automatically.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from registrations import selectors
from registrations.models import Delegation, Registration
from registrations.services.seats import _leave_waitlist, _next_position, _settle, delegation_lock, registration_set_status

Status = Registration.Status
Mode = Delegation.Mode


@dataclass
class PendingPlan:
    """What switching to first come does to the pending applications."""

    confirm: list[Registration] = field(default_factory=list)
    waitlist: list[Registration] = field(default_factory=list)


def mode_switch_plan(*, delegation: Delegation, now: datetime | None = None) -> PendingPlan:
    """Who of the pending applications would be confirmed and who waitlisted by a switch to first come."""
    plan = PendingPlan()
    if not delegation.is_review:
        return plan
    left = selectors.seat_counts(delegation=delegation, now=now).left
    sector_taken = selectors.sector_seats_taken(delegation=delegation, now=now)
    pending = Registration.objects.filter(delegation=delegation, status=Status.PENDING).select_related("sector")
    for registration in pending.order_by("created_at", "pk"):
        cap = registration.sector.seat_cap
        if left > 0 and (cap is None or sector_taken[registration.sector_id] < cap):
            plan.confirm.append(registration)
            left -= 1
            sector_taken[registration.sector_id] += 1
        else:
            plan.waitlist.append(registration)
    return plan


def _save(delegation: Delegation, fields: list[str]) -> None:
    delegation.save(update_fields=[*fields, "updated_at"])  # updated_at: cached public pages follow


def delegation_set_mode(*, delegation: Delegation, mode: str, by=None) -> PendingPlan:
    """Switch the mode; to first come, pending applications are confirmed while seats are left, then waitlisted."""
    with transaction.atomic():
        locked = delegation_lock(delegation.pk)
        now = timezone.now()
        _settle(delegation=locked, now=now)
        plan = mode_switch_plan(delegation=locked, now=now) if mode == Mode.FIRST_COME else PendingPlan()
        locked.registration_mode = Mode(mode)
        _save(locked, ["registration_mode"])
        for registration in plan.confirm:
            _leave_waitlist(registration=registration, status=Status.CONFIRMED, by=by)
        for registration in plan.waitlist:
            registration_set_status(
                registration=registration,
                status=Status.WAITLISTED,
                by=by,
                waitlist_position=_next_position(locked),
            )
        _settle(delegation=locked, now=now)
    delegation.registration_mode = locked.registration_mode
    return plan


def delegation_set_open(*, delegation: Delegation, is_open: bool, now: datetime | None = None) -> list[Registration]:
    """Open: publish and clear a past closing / future opening time. Close: registration closes now. Returns new offers."""
    with transaction.atomic():
        locked = delegation_lock(delegation.pk)
        now = now or timezone.now()
        if is_open:
            locked.is_published = True
            if locked.registration_opens_at and locked.registration_opens_at > now:
                locked.registration_opens_at = None
            if locked.registration_closes_at and locked.registration_closes_at <= now:
                locked.registration_closes_at = None
        else:
            locked.registration_closes_at = now
        _save(locked, ["is_published", "registration_opens_at", "registration_closes_at"])
        offers = _settle(delegation=locked, now=now)
    for name in ("is_published", "registration_opens_at", "registration_closes_at"):
        setattr(delegation, name, getattr(locked, name))
    return offers

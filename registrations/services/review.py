"""Organizer decisions on applications: confirm, put on the waiting list, reject."""

from collections import Counter
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from registrations import selectors
from registrations.models import Delegation, Registration
from registrations.services.messages import Messages
from registrations.services.seats import _leave_waitlist, _next_position, _settle, delegation_lock, registration_set_status

Status = Registration.Status
CONFIRMABLE = (Status.PENDING, Status.WAITLISTED, Status.OFFERED)


def _refusal_for_batch(*, delegation: Delegation, registrations: list[Registration]) -> str | None:
    """Why these registrations cannot all be confirmed together, or None."""
    for registration in registrations:
        if registration.status not in CONFIRMABLE:
            return f"{registration.full_name}: {Messages.transition_refused(registration.status, Status.CONFIRMED)}"
    # Offers already hold their seat; everyone else needs one.
    needing = [r for r in registrations if r.status != Status.OFFERED]
    left = selectors.seat_counts(delegation=delegation).left
    if len(needing) > left:
        return Messages.seats_left(left, len(needing))
    taken = selectors.sector_seats_taken(delegation=delegation)
    for sector_id, wanted in Counter(r.sector_id for r in needing).items():
        sector = next(r.sector for r in needing if r.sector_id == sector_id)
        if sector.seat_cap is not None and taken[sector_id] + wanted > sector.seat_cap:
            return Messages.sector_seats_left(max(sector.seat_cap - taken[sector_id], 0), sector.local.name, wanted)
    return None


def registrations_confirm(*, delegation: Delegation, registrations: Iterable[Registration], by=None) -> list[Registration]:
    """Confirm all of them or none: each needs a free seat in the delegation and in its field."""
    with transaction.atomic():
        delegation = delegation_lock(delegation.pk)
        _settle(delegation=delegation)
        locked = list(
            Registration.objects.select_for_update()
            .select_related("sector", "delegation")
            .filter(pk__in=[r.pk for r in registrations], delegation=delegation)
            .order_by("pk")
        )
        refusal = _refusal_for_batch(delegation=delegation, registrations=locked)
        if refusal:
            raise ValidationError(refusal)
        # Back to front, so each departure from the waiting list closes its own gap.
        for registration in sorted(locked, key=lambda r: -(r.waitlist_position or 0)):
            _leave_waitlist(registration=registration, status=Status.CONFIRMED, by=by)
    return locked


def registration_waitlist(*, registration: Registration, by=None) -> Registration:
    """A pending application goes to the end of the waiting list."""
    with transaction.atomic():
        delegation = delegation_lock(registration.delegation_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        registration_set_status(
            registration=registration,
            status=Status.WAITLISTED,
            by=by,
            waitlist_position=_next_position(delegation),
        )
    return registration


def registration_reject(*, registration: Registration, by=None, reason: str = "") -> Registration:
    """Decline an application (pending, waiting or offered); the reason is shown to the person."""
    with transaction.atomic():
        delegation = delegation_lock(registration.delegation_id)
        registration = Registration.objects.select_for_update().select_related("delegation").get(pk=registration.pk)
        _leave_waitlist(registration=registration, status=Status.REJECTED, by=by, reason=reason.strip())
        _settle(delegation=delegation)
    return registration

"""On-site check-in: who may be checked in for which visit, recording it once, undoing it.

``checkin_refusal_reason`` is the ONE place that decides whether a registration may be
checked in for an itinerary item. The scan page, the admin attendance page and any future
caller use it.
"""

import logging

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from registrations.models import CheckIn, ItineraryItem, Registration, VisitBooking, new_token
from registrations.services.messages import Messages

logger = logging.getLogger("registrations.checkin")

Status = Registration.Status
CHECKIN_PERMISSION = "registrations.check_in"


def can_check_in(user: AbstractBaseUser) -> bool:
    """Staff (admin login) with the check-in permission; superusers have every permission."""
    return bool(user.is_active and user.is_staff and user.has_perm(CHECKIN_PERMISSION))


def visit_booking_refusal_reason(*, registration: Registration, item: ItineraryItem) -> str | None:
    """Refuse people without a booked place on a visit with limited places (a waiting-list spot is not a place)."""
    if not (item.is_optional and item.capacity is not None):
        return None
    booked = VisitBooking.objects.filter(registration=registration, visit=item, status=VisitBooking.Status.BOOKED).exists()
    return None if booked else Messages.checkin_not_booked(item.title)


def checkin_refusal_reason(*, registration: Registration, item: ItineraryItem) -> str | None:
    """Why this registration may not be checked in for this visit, or None when it may."""
    if item.delegation_id != registration.delegation_id:
        return Messages.checkin_wrong_delegation()
    if registration.status != Status.CONFIRMED:
        return Messages.checkin_status_refused(registration.get_status_display())
    return visit_booking_refusal_reason(registration=registration, item=item)


def _active_checkin(*, registration: Registration, item: ItineraryItem) -> CheckIn | None:
    return CheckIn.objects.select_related("checked_in_by").filter(registration=registration, item=item, undone_at__isnull=True).first()


def checkin_record(*, registration: Registration, item: ItineraryItem, by: AbstractBaseUser | None) -> tuple[CheckIn, bool]:
    """Check a delegate in for one visit; a repeat scan returns the first check-in unchanged."""
    with transaction.atomic():
        # Lock the registration so a status change cannot slip between the check and the write.
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        reason = checkin_refusal_reason(registration=registration, item=item)
        if reason is not None:
            logger.info("Check-in refused: registration %s, item %s: %s", registration.pk, item.pk, registration.status)
            raise ValidationError(reason)
        existing = _active_checkin(registration=registration, item=item)
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                return CheckIn.objects.create(registration=registration, item=item, checked_in_by=by), True
        except IntegrityError:  # the unique constraint, should two scans ever get past the lock
            return _active_checkin(registration=registration, item=item), False


def checkin_undo(*, checkin: CheckIn, by: AbstractBaseUser | None) -> CheckIn:
    """Undo a check-in: the row stays, marked with who undid it and when (the log)."""
    with transaction.atomic():
        checkin = CheckIn.objects.select_for_update().get(pk=checkin.pk)
        if checkin.undone_at is not None:
            raise ValidationError(Messages.checkin_already_undone())
        checkin.undone_at = timezone.now()
        checkin.undone_by = by
        checkin.save(update_fields=["undone_at", "undone_by"])
    logger.info("Check-in %s undone by user %s", checkin.pk, getattr(by, "pk", None))
    return checkin


def checkin_code_rotate(*, registration: Registration) -> Registration:
    """Give the registration a new check-in code; the old QR code stops working at once."""
    registration.checkin_code = new_token()
    registration.save(update_fields=["checkin_code", "updated_at"])
    logger.info("Check-in code rotated for registration %s", registration.pk)
    return registration

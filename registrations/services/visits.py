"""Site visits with their own places: choosing, leaving, releasing and resizing them.

The capacity pattern one level down: inside ``transaction.atomic()`` lock the visit rows
that own the places (several: one query, primary-key order, so two people choosing the
same two visits never deadlock), count, then write. Lock order everywhere:
delegation -> registration -> visits. A visit's waiting list keeps positions 1..n, and a
freed place goes to the first person waiting in the same transaction.

Every public function returns the bookings it created or promoted, so whoever calls it
(or an ``on_commit`` e-mail hook) can tell each person what happened.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from registrations.models import Delegation, ItineraryItem, Registration, VisitBooking
from registrations.services import emails
from registrations.services.messages import Messages

Booking = VisitBooking.Status


def _lock_visits(visit_ids: Iterable[int]) -> list[ItineraryItem]:
    """Lock the visit rows until the transaction ends, in primary-key order (one query)."""
    return list(ItineraryItem.objects.select_for_update().filter(pk__in=set(visit_ids)).order_by("pk"))


def _visit_counts(visit: ItineraryItem) -> dict[str, int]:
    """Places booked, people waiting and the last waiting-list position, in one query."""
    row = VisitBooking.objects.filter(visit=visit).aggregate(
        booked=Count("pk", filter=Q(status=Booking.BOOKED)),
        waiting=Count("pk", filter=Q(status=Booking.WAITLISTED)),
        last_position=Max("waitlist_position", filter=Q(status=Booking.WAITLISTED)),
    )
    return {"booked": row["booked"], "waiting": row["waiting"], "last_position": row["last_position"] or 0}


def _has_started(visit: ItineraryItem) -> bool:
    return visit.starts_at <= timezone.now()


def _check_choosable(*, visit: ItineraryItem, registration: Registration) -> None:
    if visit.delegation_id != registration.delegation_id:
        raise ValidationError(Messages.visit_other_delegation(visit.local.title))
    if not visit.is_optional:
        raise ValidationError(Messages.visit_not_optional(visit.local.title))
    if _has_started(visit):
        raise ValidationError(Messages.visit_started(visit.local.title))


def _take_place(*, visit: ItineraryItem, registration: Registration) -> VisitBooking:
    """With the visit locked: a free place if nobody is waiting, else the end of its waiting list."""
    counts = _visit_counts(visit)
    has_room = visit.capacity is None or counts["booked"] < visit.capacity
    if has_room and counts["waiting"] == 0:
        status, position = Booking.BOOKED, None
    else:
        status, position = Booking.WAITLISTED, counts["last_position"] + 1
    return VisitBooking.objects.create(visit=visit, registration=registration, status=status, waitlist_position=position)


def _tell(registration: Registration, bookings: list[VisitBooking]) -> None:
    """Queue the "visit choice confirmed" e-mail: places taken, and waiting-list spots."""
    if bookings:
        emails.registration_email_queue(
            registration=registration,
            kind=emails.Kind.VISITS,
            visits=[b.visit for b in bookings if b.status == Booking.BOOKED],
            waitlisted_visits=[b.visit for b in bookings if b.status == Booking.WAITLISTED],
        )


def _fill_places(visit: ItineraryItem) -> list[VisitBooking]:
    """With the visit locked: give free places to the people waiting, first in line first."""
    if not visit.is_optional or _has_started(visit):
        return []
    queue = (
        VisitBooking.objects.filter(visit=visit, status=Booking.WAITLISTED).select_related("registration__delegation").order_by("waitlist_position")
    )
    if visit.capacity is None:
        chosen = list(queue)
    else:
        free = visit.capacity - _visit_counts(visit)["booked"]
        chosen = list(queue[:free]) if free > 0 else []
    now = timezone.now()
    for booking in chosen:
        booking.status, booking.waitlist_position, booking.status_changed_at = Booking.BOOKED, None, now
        booking.save(update_fields=["status", "waitlist_position", "status_changed_at"])
    if chosen:
        queue.update(waitlist_position=F("waitlist_position") - len(chosen))
    for booking in chosen:
        booking.visit = visit
        _tell(booking.registration, [booking])
    return chosen  # people moved up to a place: every path that frees a place (leave, cancel, more places) ends here


def _remove_booking(*, visit: ItineraryItem, booking: VisitBooking) -> list[VisitBooking]:
    """With the visit locked: delete the booking, close the waiting-list gap, fill the freed place."""
    position = booking.waitlist_position
    booking.delete()
    if position is not None:
        VisitBooking.objects.filter(visit=visit, status=Booking.WAITLISTED, waitlist_position__gt=position).update(
            waitlist_position=F("waitlist_position") - 1
        )
    return _fill_places(visit)


def visit_join(*, registration: Registration, visits: Iterable[ItineraryItem]) -> list[VisitBooking]:
    """A confirmed delegate takes a place on each chosen optional visit, or joins its waiting list when full."""
    visit_ids = [visit.pk for visit in visits]
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != Registration.Status.CONFIRMED:
            raise ValidationError(Messages.visit_needs_confirmed_seat())
        locked = _lock_visits(visit_ids)
        for visit in locked:
            _check_choosable(visit=visit, registration=registration)
        chosen = set(VisitBooking.objects.filter(registration=registration, visit__in=locked).values_list("visit_id", flat=True))
        bookings = [_take_place(visit=visit, registration=registration) for visit in locked if visit.pk not in chosen]
        _tell(registration, bookings)
        return bookings


def visit_leave(*, registration: Registration, visit: ItineraryItem) -> list[VisitBooking]:
    """Give up a place or a waiting-list spot on a visit; a freed place goes to the first person waiting."""
    with transaction.atomic():
        locked = _lock_visits([visit.pk])
        if not locked:
            return []
        visit = locked[0]
        if _has_started(visit):
            raise ValidationError(Messages.visit_started(visit.local.title))
        booking = VisitBooking.objects.filter(visit=visit, registration=registration).first()
        if booking is None:
            return []
        return _remove_booking(visit=visit, booking=booking)


def visit_bookings_release(*, registration: Registration) -> list[VisitBooking]:
    """Release every visit place and waiting-list spot of a registration; each visit's waiting list moves up."""
    with transaction.atomic():
        visit_ids = list(VisitBooking.objects.filter(registration=registration).values_list("visit_id", flat=True))
        promoted = []
        for visit in _lock_visits(visit_ids):
            booking = VisitBooking.objects.filter(visit=visit, registration=registration).first()
            if booking is not None:
                promoted += _remove_booking(visit=visit, booking=booking)
        return promoted


def visit_check_places_and_lock(*, visit: ItineraryItem, is_optional: bool, capacity: int | None) -> None:
    """Places only on optional visits, never below the places taken; a chosen visit stays optional (locks visits)."""
    if capacity is not None and not is_optional:
        raise ValidationError({"capacity": Messages.visit_capacity_needs_optional()}, code="capacity_needs_optional")
    if visit.pk is None:
        return
    # Every visit of the delegation, in primary-key order: an admin page checking several
    # visits one by one then never deadlocks with a delegate choosing two at once.
    siblings = ItineraryItem.objects.filter(delegation_id=visit.delegation_id).values_list("pk", flat=True)
    if visit.pk not in {locked.pk for locked in _lock_visits(list(siblings))}:
        return
    counts = _visit_counts(visit)
    if not is_optional and counts["booked"] + counts["waiting"]:
        raise ValidationError({"is_optional": Messages.visit_has_choices(counts["booked"] + counts["waiting"])}, code="visit_has_choices")
    if capacity is not None and capacity < counts["booked"]:
        raise ValidationError({"capacity": Messages.visit_capacity_below_booked(counts["booked"])}, code="capacity_below_booked")


def visit_set_places(*, visit: ItineraryItem, is_optional: bool, capacity: int | None) -> list[VisitBooking]:
    """Make a visit optional or not and set its places; extra places go to its waiting list at once."""
    with transaction.atomic():
        visit_check_places_and_lock(visit=visit, is_optional=is_optional, capacity=capacity)
        visit.is_optional, visit.capacity = is_optional, capacity
        visit.save(update_fields=["is_optional", "capacity"])  # a save: the public pages' content version follows
        return _fill_places(_lock_visits([visit.pk])[0])


def visit_waitlists_fill(*, delegation: Delegation) -> list[VisitBooking]:
    """Give free places on the delegation's optional visits to the people waiting, first in line first."""
    with transaction.atomic():
        visit_ids = ItineraryItem.objects.filter(delegation=delegation, is_optional=True).values_list("pk", flat=True)
        return [booking for visit in _lock_visits(list(visit_ids)) for booking in _fill_places(visit)]

"""Waiting-list offers: the person accepts or declines a seat held for them until a deadline."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from registrations.models import Registration
from registrations.services.messages import Messages
from registrations.services.seats import _settle, delegation_lock, registration_set_status

Status = Registration.Status


def registration_offer_accept(*, registration: Registration, now=None) -> Registration:
    """Accepting confirms the held seat, but only before the offer's deadline."""
    now = now or timezone.now()
    with transaction.atomic():
        delegation = delegation_lock(registration.delegation_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != Status.OFFERED:
            refusal = Messages.no_live_offer()
        elif registration.offer_expires_at <= now:
            refusal = Messages.offer_expired(registration.offer_expires_at)
            _settle(delegation=delegation, now=now)  # the seat moves on to the next person; kept on commit
        else:
            return registration_set_status(registration=registration, status=Status.CONFIRMED)
    raise ValidationError(refusal)


def registration_offer_decline(*, registration: Registration, now=None) -> Registration:
    """Declining gives the seat to the next person on the waiting list and ends the registration."""
    with transaction.atomic():
        delegation = delegation_lock(registration.delegation_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != Status.OFFERED:
            raise ValidationError(Messages.no_live_offer())
        registration_set_status(registration=registration, status=Status.CANCELLED, reason=Messages.offer_declined_reason())
        _settle(delegation=delegation, now=now)
    return registration

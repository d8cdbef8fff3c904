"""Invitations: a seat reserved for a named guest until used, revoked or past its deadline."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from registrations.core.email_address import email_normalise
from registrations.core.i18n import supported_language
from registrations.models import Delegation, Invitation, Registration, Sector
from registrations.services import emails
from registrations.services.messages import Messages
from registrations.services.seats import _settle, delegation_lock, seat_refusal_locked


def invitation_check_and_lock(*, delegation: Delegation, sector: Sector, expires_at: datetime) -> None:
    """An invitation needs a free seat in the delegation and its field, and a deadline before the trip (locks until the transaction ends)."""
    now = timezone.now()
    if sector.delegation_id != delegation.pk:
        raise ValidationError({"sector": Messages.wrong_sector()})
    if expires_at <= now or expires_at > delegation.starts_at():
        raise ValidationError({"expires_at": Messages.invitation_deadline()})
    locked = delegation_lock(delegation.pk)
    _settle(delegation=locked, now=now)
    refusal = seat_refusal_locked(delegation=locked, sector=sector, now=now)
    if refusal:
        raise ValidationError(refusal)


def invitation_create(
    *,
    delegation: Delegation,
    full_name: str,
    email: str,
    sector: Sector,
    expires_at: datetime,
    company: str = "",
    by=None,
    language: str = "",
) -> Invitation:
    """Reserve one seat for a named guest until the deadline."""
    with transaction.atomic():
        invitation_check_and_lock(delegation=delegation, sector=sector, expires_at=expires_at)
        return Invitation.objects.create(
            delegation=delegation,
            full_name=full_name,
            email=email_normalise(email),
            company=company,
            sector=sector,
            expires_at=expires_at,
            created_by=by if getattr(by, "pk", None) else None,
            language=supported_language(language),
        )


def invitation_revoke(*, invitation: Invitation) -> Invitation:
    """Revoking releases the held seat at once (offered to the waiting list in first-come mode)."""
    with transaction.atomic():
        delegation = delegation_lock(invitation.delegation_id)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.used_at is not None or invitation.revoked_at is not None:
            raise ValidationError(Messages.invitation_not_valid())
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        _settle(delegation=delegation)
    return invitation


def invitation_send(*, invitation: Invitation) -> Invitation:
    """Queue the invitation e-mail (in the invitation's language) while it still holds its seat."""
    with transaction.atomic():
        invitation = Invitation.objects.select_related("delegation").get(pk=invitation.pk)
        if not invitation.is_holding():
            raise ValidationError(Messages.invitation_not_valid())
        emails.invitation_email_queue(invitation=invitation)
    return invitation


def invitation_delete(*, invitation: Invitation) -> list[Registration]:
    """Delete an invitation; a seat it held is offered to the waiting list at once (returned), as a cancellation would."""
    with transaction.atomic():
        delegation = delegation_lock(invitation.delegation_id)
        Invitation.objects.filter(pk=invitation.pk).delete()
        return _settle(delegation=delegation)

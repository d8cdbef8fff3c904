"""Travel documents: consent, entry, deletion, purge after the trip, key rotation, access log.

Passport values frozen into host lists (hostlist_models.HostListRow.protected) are copies of
travel documents: they are encrypted with the same keys, rotated with them, and blanked whenever
the documents they came from are deleted.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registrations.core.travel_crypto import reencrypt
from registrations.models import Delegation, Registration
from registrations.models.hostlists import HostListRow
from registrations.models.travel import TravelDocument, TravelDocumentAccess
from registrations.services.messages import Messages

# Bump when the consent wording changes: each TravelDocument records the version its owner agreed to.
TRAVEL_CONSENT_VERSION = "2026-11-v1"


def _refusal(registration: Registration) -> str | None:
    if registration.status != Registration.Status.CONFIRMED or registration.anonymised_at is not None:
        return _("Only confirmed delegates can enter travel documents.")
    if not registration.delegation.travel_data_recipients:
        return _("The organizer does not collect travel documents for this delegation.")
    return None


# What a travel document needs to be complete (the delegate's form requires them; flights are optional).
TRAVEL_REQUIRED_FIELDS = ("passport_name", "passport_number", "nationality", "date_of_birth", "passport_expires_on")


def travel_document_is_complete(*, details: dict) -> bool:
    """Complete: every required passport field (TRAVEL_REQUIRED_FIELDS) is filled in."""
    return all(details.get(name) for name in TRAVEL_REQUIRED_FIELDS)


def travel_document_refusal_reason(*, registration: Registration) -> str | None:
    """Why this registration cannot give travel documents now (None: it can)."""
    return _refusal(registration)


def _same_person_locked(registration: Registration) -> None:
    """Lock the registration row and refuse if its link changed since the caller read it (handed on or anonymised).

    A handover (services.substitution) locks the same row and rotates the token, so a consent or a
    passport sent through the old person's link can never attach to the colleague who took the seat.
    """
    if not Registration.objects.select_for_update().filter(pk=registration.pk, token=registration.token).exists():
        raise ValidationError(Messages.handover_seat_changed())


def travel_consent_give(*, registration: Registration, recipients: str) -> TravelDocument:
    """Record the delegate's consent (version, recipients shown, time); only confirmed delegates."""
    reason = _refusal(registration)
    if reason:
        raise ValidationError(reason)
    with transaction.atomic():
        _same_person_locked(registration)
        document, _created = TravelDocument.objects.update_or_create(
            registration=registration,
            defaults={"consent_version": TRAVEL_CONSENT_VERSION, "consent_recipients": recipients, "consent_given_at": timezone.now()},
        )
    return document


def travel_document_save(*, registration: Registration, details: dict) -> TravelDocument:
    """Store the travel details encrypted; refused without a recorded consent or when not confirmed."""
    reason = _refusal(registration)
    if reason:
        raise ValidationError(reason)
    with transaction.atomic():
        _same_person_locked(registration)
        document = TravelDocument.objects.filter(registration=registration).first()
        if document is None:
            raise ValidationError(_("Please give your consent before entering travel documents."))
        document.set_details(details)
        document.save(update_fields=["data", "updated_at"])
    return document


def travel_document_delete(*, registration: Registration) -> int:
    """Delete the registration's travel document and its consent (the delegate's own request), and its copies in host lists."""
    with transaction.atomic():
        frozen_passport_values_purge(rows=HostListRow.objects.filter(registration=registration))
        deleted, _detail = TravelDocument.objects.filter(registration=registration).delete()
    return deleted


def frozen_passport_values_purge(*, rows) -> int:
    """Blank the passport values frozen in these host-list rows: they go with the travel documents they were copied from."""
    return rows.exclude(protected="").update(protected="")


def travel_documents_cutoff(*, today: date | None = None) -> date:
    """Travel documents of delegations that ended before this day are deleted."""
    return (today or timezone.localdate()) - timedelta(days=settings.TRAVEL_DOCUMENT_RETENTION_DAYS)


def travel_documents_purge(*, today: date | None = None, dry_run: bool = False) -> int:
    """Delete every travel document (and its copies in host lists) of delegations that ended more than TRAVEL_DOCUMENT_RETENTION_DAYS ago."""
    cutoff = travel_documents_cutoff(today=today)
    due = TravelDocument.objects.filter(registration__delegation__ends_on__lt=cutoff)
    if dry_run:
        return due.count()
    with transaction.atomic():
        frozen_passport_values_purge(rows=HostListRow.objects.filter(host_list__visit__delegation__ends_on__lt=cutoff))
        deleted, _detail = due.delete()
    return deleted


def travel_document_keys_rotate() -> int:
    """Re-encrypt every travel document, and the passport values frozen in host lists, with the first key of TRAVEL_DOCUMENT_KEYS."""
    count = 0
    with transaction.atomic():
        for document in TravelDocument.objects.select_for_update().exclude(data="").order_by("pk"):
            document.data = reencrypt(document.data)
            document.save(update_fields=["data"])
            count += 1
        for row in HostListRow.objects.select_for_update().exclude(protected="").order_by("pk"):
            row.protected = reencrypt(row.protected)
            row.save(update_fields=["protected"])
    return count


def travel_document_access_record(
    *,
    user,
    action: str,
    delegation: Delegation | None,
    registration_ids: Iterable[int],
) -> TravelDocumentAccess:
    """Log one viewing or export of travel documents: who (None: the delegate, by their private link), when, what, which registrations."""
    return TravelDocumentAccess.objects.create(
        user=user,
        username=user.get_username() if user else "",
        action=action,
        delegation=delegation,
        registration_ids=",".join(str(pk) for pk in sorted(registration_ids)),
    )

"""Host lists: a visit's visitors frozen with the columns its host asked for, behind a link that expires.

Freezing reads who attends the visit now (``selectors.visit_attendees``: every confirmed delegate,
or those with a place on an optional visit) and copies the chosen values into a new version; a
later edit of a registration or a passport changes nothing in it. Passport values are copied
encrypted, need the travel-document permission, and their reading is logged like any other; they
are blanked when the travel documents they came from are deleted (by the delegate, anonymising,
or the purge after the trip).
"""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from registrations import selectors
from registrations.models import ItineraryItem, Registration
from registrations.models.hostlists import FIELDS_BY_KEY, HOST_LIST_FIELDS, NAME_FIELDS, PASSPORT_FIELDS, HostList, HostListAccess, HostListRow
from registrations.models.travel import VIEW_TRAVEL_DOCUMENTS, TravelDocument, TravelDocumentAccess
from registrations.services.codes import client_hash
from registrations.services.travel import travel_document_access_record

PLAIN_VALUES = {
    "full_name": lambda registration: registration.full_name,
    "company": lambda registration: registration.company,
    "job_title": lambda registration: registration.job_title,
    "sector": lambda registration: registration.sector.name,  # English: the host's page is in English and Korean
    "email": lambda registration: registration.email,
    "phone": lambda registration: registration.phone,
}


def host_list_fields_clean(*, fields: Iterable[str], user) -> list[str]:
    """The chosen columns in the list's order: at least one name; passport columns only with the travel-document permission."""
    chosen = set(fields)
    unknown = chosen - set(FIELDS_BY_KEY)
    if unknown:
        raise ValidationError(_("Unknown column: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    if not chosen & NAME_FIELDS:
        raise ValidationError(_("Choose at least one name column: hosts check visitors by name."))
    if chosen & PASSPORT_FIELDS and not user.has_perm(VIEW_TRAVEL_DOCUMENTS):
        raise ValidationError(_("Passport columns need the permission to view travel documents."))
    return [field.key for field in HOST_LIST_FIELDS if field.key in chosen]


def _rows(host_list: HostList, people: list[Registration], documents: dict[int, dict]) -> list[HostListRow]:
    plain = [key for key in host_list.fields if key in PLAIN_VALUES]
    passport = [key for key in host_list.fields if key in PASSPORT_FIELDS]
    rows = []
    for registration in people:
        row = HostListRow(host_list=host_list, registration=registration, position=0, values={key: PLAIN_VALUES[key](registration) for key in plain})
        details = documents.get(registration.pk, {})
        # Only values that exist are stored: a row without passport values shows which visitors have not given them.
        row.set_passport_values({key: details.get(key) or "" for key in passport} if passport and details else {})
        # Sorted by the first name column the host sees: the passport name when chosen, else the registered name.
        row.sort_key = ((details.get("passport_name") if "passport_name" in host_list.fields else "") or registration.full_name).casefold()
        rows.append(row)
    rows.sort(key=lambda row: (row.sort_key, row.registration_id))
    for position, row in enumerate(rows, start=1):
        row.position = position
    return rows


def host_list_freeze(
    *,
    visit: ItineraryItem,
    fields: Iterable[str],
    expires_at: datetime,
    user,
    withdraw_earlier: bool = False,
) -> HostList:
    """Freeze who attends the visit now, with the chosen columns, into a new version with its own link; passport reads are logged."""
    fields = host_list_fields_clean(fields=fields, user=user)
    if expires_at <= timezone.now():
        raise ValidationError(_("The link must work until a moment in the future."))
    with transaction.atomic():
        visit = ItineraryItem.objects.select_for_update().select_related("delegation").get(pk=visit.pk)  # one version number at a time
        version = (HostList.objects.filter(visit=visit).aggregate(last=Max("version"))["last"] or 0) + 1
        host_list = HostList.objects.create(
            visit=visit,
            version=version,
            fields=fields,
            expires_at=expires_at,
            created_by=user,
            created_by_name=user.get_username(),
        )
        people = selectors.visit_attendees(visit=visit).attendees
        documents = {}
        if PASSPORT_FIELDS.intersection(fields):
            found = TravelDocument.objects.filter(registration__in=people).exclude(data="")
            documents = {document.registration_id: document.details for document in found}
            travel_document_access_record(
                user=user, action=TravelDocumentAccess.Action.HOST_LIST, delegation=visit.delegation, registration_ids=documents.keys()
            )
        HostListRow.objects.bulk_create(_rows(host_list, people, documents))
        if withdraw_earlier:
            HostList.objects.filter(visit=visit, withdrawn_at__isnull=True).exclude(pk=host_list.pk).update(
                withdrawn_at=timezone.now(),
                withdrawn_by_name=user.get_username(),
            )
    return host_list


def host_list_withdraw(*, host_list: HostList, user) -> bool:
    """Stop the link at once (for good: a new freeze makes a new link); False when it was already withdrawn."""
    updated = HostList.objects.filter(pk=host_list.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(),
        withdrawn_by_name=user.get_username(),
    )
    return bool(updated)


def host_list_access_record(*, host_list: HostList, what: str, client_address: str) -> HostListAccess:
    """Log one opening of a host link (page, download, or refused): when, what, a keyed hash of the client address."""
    return HostListAccess.objects.create(host_list=host_list, what=what, client_hash=client_hash(client_address))

"""Documents as PDFs: visa invitation letters, name badges and table cards.

Letters carry passport details: only users with the travel-document permission make them (or a
confirmed delegate their own, from the private page), and every generation is logged like any other
reading of travel documents (TravelDocumentAccess). Badges and table cards print the passport's Latin
name when the user may read travel documents (logged too), else a romanization of the name.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from registrations.documents.badges import Card, badge_sheets_pdf, table_cards_pdf
from registrations.documents.latin import is_latin, latin_name
from registrations.documents.letters import LETTER_LANGUAGES, LetterPerson, visa_letters_pdf
from registrations.documents.pdf import pdf_split, zip_bytes
from registrations.models import Delegation, Registration
from registrations.models.travel import NATIONALITIES, VIEW_TRAVEL_DOCUMENTS, TravelDocument, TravelDocumentAccess
from registrations.selectors.links import checkin_url
from registrations.services.travel import travel_document_access_record, travel_document_is_complete

PDF, ZIP = "application/pdf", "application/zip"


@dataclass
class GeneratedFile:
    """A file to send back, and the selected people it leaves out (name: why)."""

    filename: str
    content_type: str
    content: bytes
    left_out: list[str] = field(default_factory=list)


def _details_of(registrations: list[Registration]) -> dict[int, dict]:
    """The decrypted travel details of each registration that has some (one query)."""
    documents = TravelDocument.objects.filter(registration__in=registrations).exclude(data="")
    return {document.registration_id: document.details for document in documents}


def visa_letter_refusal_reason(*, registration: Registration, details: dict | None = None) -> str | None:
    """Why no invitation letter can be made for this registration (None: it can)."""
    if registration.status != Registration.Status.CONFIRMED or registration.anonymised_at is not None:
        return _("Invitation letters are for confirmed delegates only.")
    if not registration.delegation.has_visa_letter:
        return _("The organizer has not prepared invitation letters for this delegation yet.")
    if details is None:
        details = _details_of([registration]).get(registration.pk, {})
    if not travel_document_is_complete(details=details):
        return _("The travel documents (passport name, number, nationality, date of birth, expiry date) are not complete.")
    return None


def _one_delegation(registrations: list[Registration]) -> Delegation:
    delegations = {registration.delegation_id for registration in registrations}
    if len(delegations) != 1:
        raise ValidationError(_("Select delegates of one delegation (filter the list by delegation first)."))
    return registrations[0].delegation


def _letter_person(registration: Registration, details: dict) -> LetterPerson:
    return LetterPerson(
        reference=f"{registration.delegation.slug.upper()}-{registration.pk}",
        passport_name=details["passport_name"],
        passport_number=details["passport_number"],
        nationality=str(dict(NATIONALITIES).get(details["nationality"], details["nationality"])),
        date_of_birth=date.fromisoformat(details["date_of_birth"]),
        company=registration.company,
        job_title=registration.job_title,
    )


def visa_letters_generate(*, registrations: list[Registration], language: str, user=None, one_file: bool = True) -> GeneratedFile:
    """Letters for those selected who may have one (confirmed, complete travel documents); logged. Refused without the permission."""
    if user is not None and not user.has_perm(VIEW_TRAVEL_DOCUMENTS):
        raise PermissionDenied
    if language not in LETTER_LANGUAGES:
        raise ValidationError(_("Invitation letters are written in English or Korean."))
    delegation = _one_delegation(registrations)
    ready, left_out = [], []
    details_of = _details_of(registrations)
    for registration in registrations:
        details = details_of.get(registration.pk, {})
        reason = visa_letter_refusal_reason(registration=registration, details=details)
        if reason:
            left_out.append(f"{registration.full_name}: {reason}")
        else:
            ready.append((registration, details))
    if not ready:
        raise ValidationError(left_out or _("No delegate selected."))
    ready.sort(key=lambda pair: (pair[1]["passport_name"], pair[0].pk))  # in the order of the passport names
    with translation.override(language):
        people = [_letter_person(registration, details) for registration, details in ready]
    content, pages = visa_letters_pdf(delegation=delegation, people=people, language=language, issued_on=timezone.localdate())
    travel_document_access_record(
        user=user,
        action=TravelDocumentAccess.Action.VISA_LETTERS if user else TravelDocumentAccess.Action.OWN_VISA_LETTER,
        delegation=delegation,
        registration_ids=[registration.pk for registration, _details in ready],
    )
    stem = f"invitation-letters-{delegation.slug}-{language}"
    if one_file:
        name = f"invitation-letter-{language}.pdf" if user is None else f"{stem}.pdf"
        return GeneratedFile(name, PDF, content, left_out)
    files = {
        f"{registration.pk}-{slugify(person.passport_name)}-{language}.pdf": part
        for (registration, _details), person, part in zip(ready, people, pdf_split(content, pages), strict=True)
    }
    return GeneratedFile(f"{stem}.zip", ZIP, zip_bytes(files), left_out)


def _cards(registrations: list[Registration], user) -> tuple[list[Card], list[str]]:
    """Cards of the confirmed among them; passport names only for users who may read them (the reading is logged)."""
    confirmed = sorted((r for r in registrations if r.status == Registration.Status.CONFIRMED), key=lambda r: r.pk)
    not_confirmed = _("Not confirmed.")
    left_out = [f"{r.full_name}: {not_confirmed}" for r in registrations if r.status != Registration.Status.CONFIRMED]
    passport_names = {}
    if user is not None and user.has_perm(VIEW_TRAVEL_DOCUMENTS):
        passport_names = {pk: details["passport_name"] for pk, details in _details_of(confirmed).items() if details.get("passport_name")}
    cards = [
        Card(
            name=registration.full_name,
            latin_name=passport_names.get(registration.pk) or ("" if is_latin(registration.full_name) else latin_name(registration.full_name)),
            company=registration.company,
            job_title=registration.job_title,
            field=registration.sector.name,
            field_ko=registration.sector.name_ko,
            checkin_url=checkin_url(registration),
        )
        for registration in confirmed
    ]
    cards.sort(key=lambda card: (card.latin_name or card.name).casefold())  # alphabetical, as the desk lays them out
    if passport_names:
        travel_document_access_record(
            user=user, action=TravelDocumentAccess.Action.BADGE_NAMES, delegation=confirmed[0].delegation, registration_ids=list(passport_names)
        )
    return cards, left_out


def name_cards_generate(*, registrations: list[Registration], user, kind: str) -> GeneratedFile:
    """Badge sheets (kind "badges") or table cards (kind "table_cards") for the confirmed among those selected."""
    delegation = _one_delegation(registrations)
    cards, left_out = _cards(registrations, user)
    if not cards:
        raise ValidationError(_("Badges and table cards are for confirmed delegates only."))
    event = delegation.title
    if kind == "badges":
        return GeneratedFile(f"badges-{delegation.slug}.pdf", PDF, badge_sheets_pdf(cards=cards, event=event), left_out)
    return GeneratedFile(f"table-cards-{delegation.slug}.pdf", PDF, table_cards_pdf(cards=cards, event=event), left_out)

"""Seat substitution: a confirmed seat handed to a colleague of the same company.

Two steps, so that the colleague agrees to the privacy terms themselves and proves their address
(as a bank opens an account only for the person who signs):

1. ``seat_handover_request`` (an organizer in admin, or the delegate on their private page until
   ``Delegation.details_edit_deadline``): checks the seat is confirmed, the company is the same and
   the address is free, stores the colleague's details in a ``SeatHandover`` and e-mails them a link.
   The seat stays with the delegate meanwhile.
2. ``seat_handover_accept`` (the colleague, from that link, ticking the consent): runs
   ``registration_substitute``, which keeps the registration row (seat, sector, visit places, check-ins,
   status history) and replaces the person: new private link and check-in code (the old ones stop
   working), travel documents and e-mails of the old person deleted, one history line, both told.
"""

import re
import unicodedata
from datetime import datetime, timedelta

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from registrations import selectors
from registrations.consent import CONSENT_VERSION, consent_text
from registrations.core.email_address import email_normalise
from registrations.core.i18n import supported_language
from registrations.models import DetailChange, OutboxEmail, Registration, SeatHandover, StatusChange, new_token
from registrations.models.questions import Answer
from registrations.models.travel import TravelDocument
from registrations.services import emails
from registrations.services.cutoff import registration_edit_refusal_reason
from registrations.services.messages import Messages
from registrations.services.seats import DUPLICATE_EMAIL, delegation_lock

Status = Registration.Status

HANDOVER_HOURS = 72  # the colleague's link works this long (for the delegate's request: never past their cutoff)
PERSON_FIELDS = ("full_name", "company", "job_title", "email", "phone", "wechat_id", "language")
# Legal-form words that do not make another company: "Weihai Logistics Co., Ltd." == "WEIHAI LOGISTICS".
COMPANY_NOISE = re.compile(r"(co|company|corp|corporation|inc|ltd|limited|llc|group|有限责任公司|股份有限公司|有限公司|公司|集团|주식회사|㈜)$")


def company_key(name: str) -> str:
    """A company name compared loosely: width, case, spaces, punctuation and a trailing legal form ignored."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = "".join(ch for ch in text if ch.isalnum())
    previous = None
    while previous != text:
        previous, text = text, COMPANY_NOISE.sub("", text)
    return text


def seat_handover_refusal_reason(*, registration: Registration, by_delegate: bool, now: datetime | None = None) -> str | None:
    """Why this seat cannot be handed on now (None: it can): only a confirmed seat; the delegate only until the cutoff."""
    if registration.status != Status.CONFIRMED or registration.anonymised_at is not None:
        return Messages.handover_not_confirmed()
    if by_delegate:
        return registration_edit_refusal_reason(registration=registration, now=now)
    return None


def _check_person(*, registration: Registration, person: dict, allow_other_company: bool) -> dict:
    """The colleague's details, e-mail normalised; errors keyed by field (company, e-mail)."""
    person = {name: (person.get(name) or "").strip() for name in PERSON_FIELDS}
    person["company"] = person["company"] or registration.company
    person["language"] = supported_language(person["language"])
    try:
        person["email"] = email_normalise(person["email"])
    except ValidationError as error:
        raise ValidationError({"email": error.messages}) from error
    if not allow_other_company and company_key(person["company"]) != company_key(registration.company):
        raise ValidationError({"company": Messages.handover_other_company(registration.company)})
    if selectors.email_is_registered(delegation=registration.delegation, email=person["email"]):
        raise ValidationError({"email": ValidationError(Messages.duplicate_email(), code=DUPLICATE_EMAIL)})
    return person


def _locked(registration: Registration) -> Registration:
    """The delegation, then the registration, locked (the order every seat change uses)."""
    delegation_lock(registration.delegation_id)
    return Registration.objects.select_for_update().select_related("delegation", "sector").get(pk=registration.pk)


def seat_handover_request(
    *,
    registration: Registration,
    new_person: dict,
    by=None,
    allow_other_company: bool = False,
    now: datetime | None = None,
) -> SeatHandover:
    """Offer a confirmed seat to a colleague (same company unless an organizer overrides): they get a link to accept it."""
    now = now or timezone.now()
    by_delegate = by is None
    with transaction.atomic():
        locked = _locked(registration)
        if locked.token != registration.token:
            raise ValidationError(Messages.handover_seat_changed())
        refusal = seat_handover_refusal_reason(registration=locked, by_delegate=by_delegate, now=now)
        if refusal:
            raise ValidationError(refusal)
        person = _check_person(registration=locked, person=new_person, allow_other_company=allow_other_company and not by_delegate)
        expires_at = now + timedelta(hours=HANDOVER_HOURS)
        if by_delegate:
            expires_at = min(expires_at, locked.delegation.details_edit_deadline())
        SeatHandover.objects.filter(registration=locked).delete()  # a new request replaces an earlier one
        handover = SeatHandover.objects.create(
            registration=locked,
            requested_by=by if getattr(by, "pk", None) else None,
            by_delegate=by_delegate,
            expires_at=expires_at,
            **person,
        )
        emails.handover_request_queue(handover=handover)
    return handover


def seat_handover_pending(*, registration: Registration, now: datetime | None = None) -> SeatHandover | None:
    """The handover of this seat still waiting for the colleague's answer, if any."""
    return SeatHandover.objects.filter(registration=registration, expires_at__gt=now or timezone.now()).first()


def seat_handover_withdraw(*, registration: Registration) -> int:
    """Withdraw a pending handover: the colleague's link stops working and their details are deleted."""
    deleted, _detail = SeatHandover.objects.filter(registration=registration).delete()
    return deleted


def seat_handovers_purge(*, now: datetime | None = None) -> int:
    """Delete handovers never accepted in time (and the colleague's details they hold)."""
    deleted, _detail = SeatHandover.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


def seat_handover_accept(*, handover: SeatHandover, language: str = "", now: datetime | None = None) -> Registration:
    """The colleague accepts with their consent: the seat becomes theirs if it is still confirmed and the address still free."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = _locked(handover.registration)
        handover = SeatHandover.objects.filter(pk=handover.pk, expires_at__gt=now).first()
        if handover is None:
            raise ValidationError(Messages.handover_expired())
        person = {**handover.new_person(), "language": language or handover.language}
        registration = registration_substitute(
            registration=registration,
            new_person=person,
            by=handover.requested_by,
            by_delegate=handover.by_delegate,
            now=now,
        )
        handover.delete()
    return registration


def _erase_old_person(registration: Registration) -> None:
    """What named the old person outside the fields that are replaced: e-mails, travel documents, answers, detail history, admin log titles."""
    OutboxEmail.objects.filter(registration=registration).delete()  # bodies carry their name and old private link
    TravelDocument.objects.filter(registration=registration).delete()  # passport details and their consent
    Answer.objects.filter(registration=registration).delete()  # their diet, roommate...: the colleague answers anew
    DetailChange.objects.filter(registration=registration).delete()  # their old and new phone numbers, names...
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Registration),
        object_id=str(registration.pk),
    ).update(object_repr=f"{Registration._meta.verbose_name} #{registration.pk}")


def _take_over(registration: Registration, person: dict, now: datetime) -> None:
    for name in PERSON_FIELDS:
        setattr(registration, name, person[name])
    with translation.override(person["language"]):
        registration.consent_text = consent_text()
    registration.consent_at, registration.consent_version = now, CONSENT_VERSION
    registration.token, registration.checkin_code = new_token(), new_token()  # old links and QR codes stop working
    registration.note = registration.decision_reason = registration.client_hash = ""
    registration.email_confirm_attempts, registration.email_reminder_sent_at = 0, None
    try:
        with transaction.atomic():
            registration.save(
                update_fields=[
                    *PERSON_FIELDS,
                    "consent_text",
                    "consent_at",
                    "consent_version",
                    "token",
                    "checkin_code",
                    "note",
                    "decision_reason",
                    "client_hash",
                    "email_confirm_attempts",
                    "email_reminder_sent_at",
                    "updated_at",
                ]
            )
    except IntegrityError as exc:  # one_active_registration_per_email, should the check be bypassed
        raise ValidationError({"email": ValidationError(Messages.duplicate_email(), code=DUPLICATE_EMAIL)}) from exc


def registration_substitute(
    *,
    registration: Registration,
    new_person: dict,
    by=None,
    by_delegate: bool = False,
    now: datetime | None = None,
) -> Registration:
    """Hand a confirmed seat to a colleague: same row (seat, visits, history), new person, new links; old data of the person gone."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(registration)
        if locked.token != registration.token:  # handed on (or anonymised) since the caller read it
            raise ValidationError(Messages.handover_seat_changed())
        if locked.status != Status.CONFIRMED or locked.anonymised_at is not None:
            raise ValidationError(Messages.handover_not_confirmed())
        person = _check_person(registration=locked, person=new_person, allow_other_company=True)  # company checked at request
        old_name, old_email = locked.full_name, locked.email
        notice = emails.registration_email_render(registration=locked, kind=emails.Kind.HANDED_OVER, new_name=person["full_name"])
        _erase_old_person(locked)
        _take_over(locked, person, now)
        StatusChange.objects.create(
            registration=locked,
            from_status=Status.CONFIRMED,
            to_status=Status.CONFIRMED,
            reason=Messages.handover_reason(old_name, person["full_name"], by_delegate=by_delegate),
            changed_by=by if getattr(by, "pk", None) else None,
            changed_at=now,
        )
        emails.registration_email_store(registration=locked, recipient=old_email, message=notice)
        emails.registration_email_queue(registration=locked, kind=emails.Kind.HANDOVER_WELCOME)
    return locked

"""Building and queueing e-mails to registrants. One function queues: ``registration_email_queue``.

A message is rendered when it is queued (in the registrant's language, with the state of that
moment: status, waiting-list position, deadline) and stored in the outbox inside the caller's
transaction, so it exists exactly when the change that causes it exists. outbox.py sends it once
that transaction commits; ``manage.py send_pending_emails`` retries what could not be sent.
"""

import re
from copy import copy
from datetime import datetime
from functools import partial

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registrations.core.i18n import day_and_time_text, field_name
from registrations.core.inserts import insert
from registrations.models import Invitation, OutboxEmail, Registration, SeatHandover
from registrations.selectors.links import checkin_url, handover_url, invitation_url
from registrations.services import outbox

Kind = OutboxEmail.Kind
Status = Registration.Status

SUBJECTS = {
    Kind.RECEIVED: _("Registration received (%(status)s): %(delegation)s"),
    Kind.CONFIRMED: _("Your seat is confirmed: %(delegation)s"),
    Kind.WAITLISTED: _("You are on the waiting list: %(delegation)s"),
    Kind.OFFER: _("A seat is held for you: %(delegation)s"),
    Kind.REJECTED: _("Your application: %(delegation)s"),
    Kind.CANCELLED: _("Your registration is cancelled: %(delegation)s"),
    Kind.VISITS: _("Your site visits: %(delegation)s"),
    Kind.CONFIRM_REMINDER: _("Please confirm your e-mail address: %(delegation)s"),
    Kind.LINK: _("Your private link: %(delegation)s"),
    Kind.HANDED_OVER: _("Your seat was handed to a colleague: %(delegation)s"),
    Kind.HANDOVER_WELCOME: _("Your seat is confirmed: %(delegation)s"),
    Kind.VISIT_REMINDER: _("Reminder: %(visit)s, %(when)s"),
    Kind.DETAILS_REMINDER: _("Please complete your details: %(delegation)s"),
}

# The message a status change sends when it goes through registration_set_status. A status not
# listed sends nothing there ("pending" is announced by the "received" message at submission).
STATUS_KINDS: dict[str, str] = {
    "confirmed": Kind.CONFIRMED,
    "offered": Kind.OFFER,
    "waitlisted": Kind.WAITLISTED,
    "rejected": Kind.REJECTED,
    "cancelled": Kind.CANCELLED,
}


def _language_for(registration: Registration) -> str:
    """The registrant's language (Registration.language, once it exists), else the site default."""
    return getattr(registration, "language", "") or settings.LANGUAGE_CODE


def _confirms_seat(registration: Registration, kind: str) -> bool:
    """Messages that tell the person their seat is confirmed carry the itinerary (.ics attached)."""
    return kind in (Kind.CONFIRMED, Kind.HANDOVER_WELCOME) or (kind == Kind.RECEIVED and registration.status == Status.CONFIRMED)


def _checkin_qr_context(registration: Registration) -> dict:
    """CHECK-IN QR: the one place the check-in feature adds the delegate's code to confirmations.

    Return {"checkin_qr": {"image_url": <absolute or cid: URL>, "code": <text fallback>}};
    templates/emails/_checkin_qr.html and .txt show it, and nothing while it is None.
    """
    if registration.status != Status.CONFIRMED:
        return {"checkin_qr": None}
    image = reverse("registrations:checkin_qr", kwargs={"token": registration.token})
    return {"checkin_qr": {"image_url": settings.SITE_URL + image, "code": checkin_url(registration)}}


def _context(registration: Registration, kind: str, extra: dict) -> dict:
    delegation = registration.delegation
    confirms = _confirms_seat(registration, kind)
    register_path = reverse("registrations:register", kwargs={"slug": delegation.slug})
    return {
        "kind": kind,
        "registration": registration,
        "delegation": delegation,
        "private_url": settings.SITE_URL + registration.get_absolute_url(),
        "delegation_url": settings.SITE_URL + delegation.get_absolute_url(),
        "register_url": settings.SITE_URL + register_path,
        "itinerary": list(delegation.itinerary.order_by("starts_at", "order", "pk")) if confirms else [],
        "deadline": registration.offer_expires_at,
        **(_checkin_qr_context(registration) if confirms else {"checkin_qr": None}),
        **extra,
    }


def _tidy_text(text: str) -> str:
    """Plain text from a template: no trailing spaces, at most one blank line in a row."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def _subject(registration: Registration, kind: str, context: dict) -> str:
    """In the active language: an announcement's own subject, else the kind's (see SUBJECTS)."""
    if kind == Kind.ANNOUNCEMENT:
        subject = context["announcement"].local.subject
    elif kind == Kind.VISIT_REMINDER:
        subject = SUBJECTS[kind] % {"visit": context["item"].local.title, "when": day_and_time_text(context["item"].meets_at)}
    else:
        subject = SUBJECTS[kind] % {"delegation": registration.delegation.local.title, "status": registration.get_status_display()}
    return " ".join(subject.split())  # a header: never a line break


def registration_email_render(*, registration: Registration, kind: str, **context) -> dict:
    """Subject, plain-text and HTML bodies of one message, in the registrant's language."""
    kind = Kind(kind)
    language = _language_for(registration)
    with translation.override(language):
        subject = _subject(registration, kind, context)
        full = {**_context(registration, kind, context), "subject": subject}
        text = render_to_string(f"emails/{kind}.txt", full)
        html = render_to_string(f"emails/{kind}.html", full)
    return {
        "kind": kind,
        "language": language,
        "subject": subject,
        "body_text": _tidy_text(text),
        "body_html": html,
        "attach_itinerary": _confirms_seat(registration, kind),
    }


def registration_email_queue(*, registration: Registration, kind: str, **context) -> OutboxEmail:
    """Record one message to the registrant in the current transaction; it is sent once that commits.

    With EMAIL_SEND_AFTER_COMMIT off, the request only records it and ``send_pending_emails`` sends it.
    """
    message = registration_email_render(registration=registration, kind=kind, **context)
    return registration_email_store(registration=registration, recipient=registration.email, message=message)


def registration_email_store(*, registration: Registration, recipient: str, message: dict) -> OutboxEmail:
    """Store a rendered message (``registration_email_render``) for ``recipient`` in the outbox; sent after commit."""
    email = OutboxEmail.objects.create(registration=registration, recipient=recipient, **message)
    if settings.EMAIL_SEND_AFTER_COMMIT:
        transaction.on_commit(partial(outbox.outbox_email_send, email_id=email.pk), robust=True)
    return email


# What a message recorded before rendering keeps of its registration: the state it describes.
RENDER_STATE_FIELDS = ("status", "waitlist_position", "email_confirm_by", "offer_expires_at")


def registration_email_record(*, registration: Registration, kind: str) -> OutboxEmail:
    """Record one message in the current transaction, rendered later from the registration as it is now.

    The row exists at commit (nothing is lost if the process stops then); rendering and sending happen
    outside the caller's transaction and its locks: right after commit with EMAIL_SEND_AFTER_COMMIT, else
    by ``send_pending_emails``. What the message says is the registration's state at this moment (kept in
    ``render_state``), whatever happens to it in between.
    """
    return registration_email_recorded(email=insert(registration_email_unsaved(registration=registration, kind=kind)))


def registration_email_unsaved(*, registration: Registration, kind: str) -> OutboxEmail:
    """The message ``registration_email_record`` records, not saved yet (for a caller that inserts it with other rows;
    then ``registration_email_recorded``)."""
    return OutboxEmail(
        registration=registration,
        recipient=registration.email,
        kind=Kind(kind),
        language=_language_for(registration),
        render_state=render_state(registration),
    )


def render_state(registration: Registration) -> dict:
    """What a recorded message keeps of its registration, as it is now (``RENDER_STATE_FIELDS``), as JSON values."""
    state = {name: getattr(registration, name) for name in RENDER_STATE_FIELDS}
    return {name: value.isoformat() if isinstance(value, datetime) else value for name, value in state.items()}


def registration_email_recorded(*, email: OutboxEmail) -> OutboxEmail:
    """A recorded message saved: sent right after commit with EMAIL_SEND_AFTER_COMMIT (else by the cron)."""
    if settings.EMAIL_SEND_AFTER_COMMIT:
        transaction.on_commit(partial(outbox.outbox_email_send, email_id=email.pk), robust=True)
    return email


def recorded_email_render(*, email: OutboxEmail) -> dict:
    """Subject, bodies and attachment flag of a message recorded by registration_email_record, as of its render_state."""
    from registrations.services.codes import email_confirm_context  # services import this module

    registration = copy(email.registration)
    for name, value in email.render_state.items():
        field = Registration._meta.get_field(name)
        setattr(registration, name, field.to_python(value) if value is not None else None)
    context = email_confirm_context(registration) if email.kind == Kind.RECEIVED else {}
    rendered = registration_email_render(registration=registration, kind=email.kind, **context)
    return {**rendered, "render_state": None}


def registration_email_queue_for_status(*, registration: Registration, **context) -> OutboxEmail | None:
    """Queue the message that the registration's new status calls for, if any (see STATUS_KINDS)."""
    kind = STATUS_KINDS.get(registration.status)
    if kind is None:
        return None
    return registration_email_queue(registration=registration, kind=kind, **context)


INVITATION_SUBJECT = _("You are invited: %(delegation)s")


def invitation_email_render(*, invitation: Invitation) -> dict:
    """Subject and bodies of the e-mail carrying an invitation link, in the invitation's language."""
    language = invitation.language or settings.LANGUAGE_CODE
    with translation.override(language):
        delegation = invitation.delegation
        subject = " ".join((INVITATION_SUBJECT % {"delegation": delegation.local.title}).split())
        context = {
            "invitation": invitation,
            "delegation": delegation,
            "subject": subject,
            "deadline": invitation.expires_at,
            "invitation_url": invitation_url(invitation),
            "delegation_url": settings.SITE_URL + delegation.get_absolute_url(),
        }
        text = render_to_string("emails/invitation.txt", context)
        html = render_to_string("emails/invitation.html", context)
    return {"kind": Kind.INVITATION, "language": language, "subject": subject, "body_text": _tidy_text(text), "body_html": html}


def invitation_email_queue(*, invitation: Invitation) -> OutboxEmail:
    """Record the invitation e-mail in the current transaction; it is sent once that commits (as registrants' e-mails)."""
    email = OutboxEmail.objects.create(invitation=invitation, recipient=invitation.email, **invitation_email_render(invitation=invitation))
    if settings.EMAIL_SEND_AFTER_COMMIT:
        transaction.on_commit(partial(outbox.outbox_email_send, email_id=email.pk), robust=True)
    return email


HANDOVER_REQUEST_SUBJECT = _("A colleague's seat for you: %(delegation)s")


def handover_request_queue(*, handover: SeatHandover) -> OutboxEmail:
    """E-mail the colleague (in their language) the link that lets them accept the seat; sent after commit."""
    registration = handover.registration
    with translation.override(handover.language):
        delegation = registration.delegation
        subject = " ".join((HANDOVER_REQUEST_SUBJECT % {"delegation": delegation.local.title}).split())
        context = {
            "handover": handover,
            "registration": registration,
            "delegation": delegation,
            "subject": subject,
            "deadline": handover.expires_at,
            "accept_url": handover_url(handover),
            "delegation_url": settings.SITE_URL + delegation.get_absolute_url(),
        }
        text = render_to_string("emails/handover_request.txt", context)
        html = render_to_string("emails/handover_request.html", context)
    message = {"kind": Kind.HANDOVER_REQUEST, "language": handover.language, "subject": subject, "body_text": _tidy_text(text), "body_html": html}
    return registration_email_store(registration=registration, recipient=handover.email, message=message)


def announcement_email_previews(*, announcement) -> list[dict]:
    """The announcement as its readers get it, in each site language (a placeholder name and private link)."""
    previews = []
    for code, language_name in settings.LANGUAGES:
        with translation.override(code):
            name, link = gettext("(their name)"), gettext("(their private link)")
        reader = Registration(delegation=announcement.delegation, full_name=name, language=code, status=Status.CONFIRMED)
        rendered = registration_email_render(registration=reader, kind=Kind.ANNOUNCEMENT, announcement=announcement)
        untranslated = [field for field in announcement.TRANSLATED_FIELDS if not getattr(announcement, field_name(field, code))]
        previews.append(
            {
                "language": code,
                "language_name": language_name,
                "subject": rendered["subject"],
                "body_text": rendered["body_text"].replace(settings.SITE_URL + reader.get_absolute_url(), link),
                "falls_back_to_english": bool(untranslated),
            }
        )
    return previews

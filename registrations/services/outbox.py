"""Sending the outbox: claim, send, record. A delivery failure never raises; no message is sent twice.

A sender first *claims* a queued message with one conditional UPDATE (``status='queued'`` ->
``'sending'`` with its own claim token); only the sender whose UPDATE changed the row sends it.
On PostgreSQL the due rows are also picked with ``SELECT ... FOR UPDATE SKIP LOCKED`` so that two
``send_pending_emails`` runs take different rows without waiting; on SQLite every write
transaction is serialised (BEGIN IMMEDIATE) and the conditional UPDATE alone decides.
A failure puts the message back in the queue with the error and a later retry time, and marks it
failed for good after ``EMAIL_OUTBOX_MAX_ATTEMPTS`` attempts.
"""

import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import format_datetime, make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from registrations.documents import ics
from registrations.models import OutboxEmail

Status = OutboxEmail.Status
logger = logging.getLogger(__name__)

# A claim older than this belongs to a sender that died (sending is bounded by EMAIL_TIMEOUT).
STALE_CLAIM = timedelta(hours=1)


@dataclass
class SendSummary:
    sent: int = 0
    retrying: int = 0
    gave_up: int = 0
    skipped: int = 0

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


def retry_delay(attempts: int) -> timedelta:
    """Wait before the next attempt: 5 minutes after the first failure, doubling, at most 6 hours."""
    return timedelta(minutes=min(5 * 2 ** max(attempts - 1, 0), 360))


def _claim(ids: Iterable[int], now: datetime) -> list[OutboxEmail]:
    """Take the still-queued rows among ``ids`` for this sender only (one conditional UPDATE)."""
    token = secrets.token_hex(16)
    OutboxEmail.objects.filter(pk__in=list(ids), status=Status.QUEUED).update(
        status=Status.SENDING,
        claim_token=token,
        claimed_at=now,
        attempts=F("attempts") + 1,
    )
    claimed = OutboxEmail.objects.filter(claim_token=token, status=Status.SENDING)
    return list(claimed.select_related("registration__delegation").order_by("pk"))


def _claim_due(now: datetime, limit: int, ignore_backoff: bool = False) -> list[OutboxEmail]:
    """Claim up to ``limit`` due messages, skipping rows another sender has locked."""
    with transaction.atomic():
        due = OutboxEmail.objects.select_for_update(skip_locked=True).filter(status=Status.QUEUED)
        if not ignore_backoff:
            due = due.filter(next_attempt_at__lte=now)
        ids = due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]
        return _claim(ids, now)


def _headers(email: OutboxEmail) -> dict[str, str]:
    """Message-ID on the site's own domain (not this machine's name) and a Date with the real offset."""
    return {
        "Auto-Submitted": "auto-generated",
        "X-Outbox-Id": str(email.pk),
        "Message-ID": make_msgid(domain=urlsplit(settings.SITE_URL).hostname),
        "Date": format_datetime(timezone.localtime()),
    }


class OutboxMessage(EmailMultiAlternatives):
    """Calendar attachments say how to use them: text/calendar; method=PUBLISH (RFC 6047)."""

    def _create_mime_attachment(self, content, mimetype):
        attachment = super()._create_mime_attachment(content, mimetype)
        if mimetype == "text/calendar":
            attachment.set_param("method", "PUBLISH")
        return attachment


def _render_recorded(email: OutboxEmail) -> dict:
    """A message recorded before rendering (emails.registration_email_record) is rendered by whoever sends it first."""
    if email.render_state is None:
        return {}
    from registrations.services.emails import recorded_email_render  # emails imports this module

    rendered = recorded_email_render(email=email)
    for name, value in rendered.items():
        setattr(email, name, value)
    return rendered


def _itinerary_ics(email: OutboxEmail) -> bytes:
    """The itinerary in the registrant's language, whoever sends it (a request in another language, cron)."""
    delegation = email.registration.delegation
    items = delegation.itinerary.order_by("starts_at", "order", "pk")
    with translation.override(email.language or email.registration.language or settings.LANGUAGE_CODE):
        return ics.itinerary_ics(delegation=delegation, items=items)


def _build(email: OutboxEmail) -> EmailMultiAlternatives:
    _render_recorded(email)  # a message recorded unrendered: rendered now (a no-op once rendered)
    message = OutboxMessage(
        subject=email.subject,
        body=email.body_text,
        to=[email.recipient],
        headers=_headers(email),
        reply_to=[settings.ORGANIZER_EMAIL] if settings.ORGANIZER_EMAIL else None,
    )
    message.attach_alternative(email.body_html, "text/html")
    if email.attach_itinerary:
        message.attach(f"{email.registration.delegation.slug}-itinerary.ics", _itinerary_ics(email), "text/calendar")
    return message


def _record_failure(email: OutboxEmail, error: Exception, now: datetime, rendered: dict) -> str:
    gave_up = email.attempts >= settings.EMAIL_OUTBOX_MAX_ATTEMPTS
    OutboxEmail.objects.filter(pk=email.pk, claim_token=email.claim_token).update(
        status=Status.FAILED if gave_up else Status.QUEUED,
        claim_token="",
        last_error=f"{type(error).__name__}: {error}"[:2000],
        next_attempt_at=now + retry_delay(email.attempts),
        **rendered,
    )
    return "gave_up" if gave_up else "retrying"


def _deliver(email: OutboxEmail, now: datetime) -> str:
    """Render (if recorded unrendered) and send one claimed message; record the outcome: "sent", "retrying" or "gave_up"."""
    rendered: dict = {}
    try:
        rendered = _render_recorded(email)
        _build(email).send()
    except Exception as error:  # any delivery problem (SMTP, network, TLS, DNS, a template): recorded, retried later
        logger.warning("E-mail %s to %s not sent (attempt %s): %s", email.pk, email.recipient, email.attempts, error)
        return _record_failure(email, error, now, rendered)
    OutboxEmail.objects.filter(pk=email.pk, claim_token=email.claim_token).update(
        status=Status.SENT,
        sent_at=timezone.now(),
        claim_token="",
        last_error="",
        **rendered,
    )
    return "sent"


def outbox_email_send(*, email_id: int) -> str:
    """Send one queued message now, if no one else has claimed it: "sent", "retrying", "gave_up" or "skipped"."""
    now = timezone.now()
    claimed = _claim([email_id], now)
    return _deliver(claimed[0], now) if claimed else "skipped"


def outbox_release_stale(*, now: datetime | None = None) -> int:
    """Put back in the queue messages whose sender stopped while sending (claimed over an hour ago)."""
    now = now or timezone.now()
    return OutboxEmail.objects.filter(status=Status.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
        status=Status.QUEUED,
        claim_token="",
        next_attempt_at=now,
        last_error="The sender stopped while sending this message; it is queued again.",
    )


def outbox_send_due(
    *,
    now: datetime | None = None,
    batch: int = 20,
    limit: int | None = None,
    ignore_backoff: bool = False,
) -> SendSummary:
    """Send every queued message that is due (or all queued ones), ``batch`` claimed at a time, at most ``limit``."""
    now = now or timezone.now()
    outbox_release_stale(now=now)
    summary, done = SendSummary(), 0
    while limit is None or done < limit:
        size = batch if limit is None else min(batch, limit - done)
        claimed = _claim_due(now, size, ignore_backoff)
        if not claimed:
            break
        for email in claimed:
            summary.add(_deliver(email, now))
        done += len(claimed)
    return summary


def outbox_retry(*, emails: Iterable[OutboxEmail]) -> SendSummary:
    """Send the chosen messages again now (failed or queued ones; sent and sending ones are skipped)."""
    summary = SendSummary()
    for email in emails:
        requeued = OutboxEmail.objects.filter(pk=email.pk, status__in=[Status.QUEUED, Status.FAILED]).update(
            status=Status.QUEUED,
            next_attempt_at=timezone.now(),
        )
        summary.add(outbox_email_send(email_id=email.pk) if requeued else "skipped")
    return summary


def outbox_queued_count() -> int:
    return OutboxEmail.objects.filter(status=Status.QUEUED).count()

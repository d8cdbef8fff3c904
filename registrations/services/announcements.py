"""Announcements and visit reminders: scheduling them, and sending each person exactly one e-mail.

Never twice, with several app servers and cron runs at once:

1. The database holds one ``AnnouncementDelivery`` per (announcement, person) and one
   ``VisitReminderDelivery`` per (visit, person). A person's outbox e-mail and their delivery row
   are written in one savepoint (``_deliver_once``): when another sender got there first, the
   unique constraint refuses the row and the e-mail is rolled back with it (never queued, never sent).
2. A due announcement is claimed by one run: its row is locked (``SELECT ... FOR UPDATE SKIP LOCKED``
   on PostgreSQL; SQLite serialises write transactions) and only a run that still finds it
   scheduled fans it out, in one transaction that also marks it sent. A run that dies midway
   rolls back to "scheduled" and the next run sends it.

Reminders are not claimed: every run (``manage.py send_scheduled_messages``, every minute) reminds
the attendees of each visit whose reminder time has come and that has not started yet, leaving out
those already reminded, so people who book late still get it and those who cancelled do not.
The e-mails themselves go through the outbox (emails.py, outbox.py) in each person's language.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from registrations.models import Announcement, AnnouncementDelivery, ItineraryItem, Registration, VisitReminderDelivery
from registrations.selectors import visit_attendee_registrations
from registrations.selectors.audiences import announcement_recipients
from registrations.services import emails
from registrations.services.messages import Messages

Status = Announcement.Status


def _deliver_once(delivery: type[models.Model], *, registration: Registration, kind: str, **target) -> bool:
    """Queue one person's e-mail and its delivery row together; False (and no e-mail) when they already have it."""
    try:
        with transaction.atomic():
            email = emails.registration_email_queue(registration=registration, kind=kind, **target)
            delivery.objects.create(registration=registration, email=email, **target)
    except IntegrityError:
        if delivery.objects.filter(registration=registration, **target).exists():
            return False  # another sender delivered it first: the unique constraint decided
        raise
    return True


def _locked_draft(announcement: Announcement) -> Announcement:
    locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if locked.status != Status.DRAFT:
        raise ValidationError(Messages.announcement_not_draft())
    return locked


def announcement_schedule(*, announcement: Announcement, send_at: datetime | None = None, by=None) -> Announcement:
    """A draft goes out at ``send_at`` (now when empty or past); refused while nobody is in its audience."""
    now = timezone.now()
    with transaction.atomic():
        locked = _locked_draft(announcement)
        if not announcement_recipients(announcement=locked).exists():
            raise ValidationError(Messages.announcement_nobody())
        locked.status, locked.scheduled_by = Status.SCHEDULED, by
        locked.send_at = send_at if send_at is not None and send_at > now else now
        locked.save(update_fields=["status", "send_at", "scheduled_by"])
        return locked


def announcement_unschedule(*, announcement: Announcement) -> Announcement:
    """A scheduled announcement that has not gone out yet goes back to draft (to change it or its time)."""
    with transaction.atomic():
        locked = Announcement.objects.select_for_update().get(pk=announcement.pk)  # waits for a sender holding it
        if locked.status != Status.SCHEDULED:
            raise ValidationError(Messages.announcement_not_scheduled())
        locked.status, locked.scheduled_by = Status.DRAFT, None
        locked.save(update_fields=["status", "scheduled_by"])
        return locked


def _claim(announcement_id: int, now: datetime) -> Announcement | None:
    """Lock a due scheduled announcement for this run: None when not due, already sent, or locked by another run."""
    due = Announcement.objects.select_for_update(skip_locked=True).filter(status=Status.SCHEDULED, send_at__lte=now)
    return due.filter(pk=announcement_id).first()


def announcement_send(*, announcement: Announcement, now: datetime | None = None) -> int | None:
    """Send a due scheduled announcement to each person of its audience once; None when not due or taken by another run."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = _claim(announcement.pk, now)
        if claimed is None:
            return None
        people = announcement_recipients(announcement=claimed).order_by("pk")  # rows locked in key order, as everywhere
        delivered = sum(
            _deliver_once(AnnouncementDelivery, registration=person, kind=emails.Kind.ANNOUNCEMENT, announcement=claimed) for person in people
        )
        claimed.status, claimed.sent_at = Status.SENT, timezone.now()
        claimed.save(update_fields=["status", "sent_at"])
        return delivered


def visit_reminders_send(*, now: datetime | None = None) -> int:
    """Remind everyone attending a visit whose reminder time has come (until it starts), each person once."""
    now = now or timezone.now()
    sent = 0
    for item in ItineraryItem.objects.filter(reminder_at__lte=now, starts_at__gt=now).select_related("delegation").order_by("pk"):
        reminded = VisitReminderDelivery.objects.filter(item=item).values("registration_id")
        people = visit_attendee_registrations(visit=item).exclude(pk__in=reminded).select_related("delegation").order_by("pk")
        sent += sum(_deliver_once(VisitReminderDelivery, registration=person, kind=emails.Kind.VISIT_REMINDER, item=item) for person in people)
    return sent


@dataclass
class ScheduledSummary:
    announcements: int = 0
    announcement_emails: int = 0
    reminder_emails: int = 0


def scheduled_messages_send(*, now: datetime | None = None) -> ScheduledSummary:
    """Send every announcement that is due and every visit reminder whose time has come (for cron)."""
    now = now or timezone.now()
    summary = ScheduledSummary()
    for announcement in Announcement.objects.filter(status=Status.SCHEDULED, send_at__lte=now).order_by("send_at", "pk"):
        delivered = announcement_send(announcement=announcement, now=now)
        if delivered is not None:
            summary.announcements += 1
            summary.announcement_emails += delivered
    summary.reminder_emails = visit_reminders_send(now=now)
    return summary

"""Reminding confirmed delegates to complete their details (questions, travel documents) through the outbox."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from registrations.models import Delegation, Registration
from registrations.selectors.questions import details_incomplete, with_completeness
from registrations.services import emails

# The automatic reminder goes this many days before the delegation's details_due_at.
DETAILS_REMINDER_DAYS = 3


def _queue(registration: Registration) -> None:
    details_url = settings.SITE_URL + reverse("registrations:registration_answers", kwargs={"token": registration.token})
    travel_url = settings.SITE_URL + reverse("registrations:travel_document", kwargs={"token": registration.token})
    emails.registration_email_queue(
        registration=registration,
        kind=emails.Kind.DETAILS_REMINDER,
        questions_missing=registration.questions_missing,
        travel_due=registration.collects_travel and not registration.travel_given,
        details_url=details_url,
        travel_url=travel_url,
        due_at=registration.delegation.details_due_at,
    )


def _incomplete(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    return with_completeness(registrations.filter(anonymised_at__isnull=True)).filter(details_incomplete()).select_related("delegation")


def details_reminders_send(*, registrations: QuerySet[Registration]) -> int:
    """Queue a reminder, in each one's language, to every confirmed delegate among these whose details are incomplete."""
    with transaction.atomic():
        due = list(_incomplete(registrations).order_by("pk"))
        for registration in due:
            _queue(registration)
    return len(due)


def details_due_reminders_send(*, now: datetime | None = None) -> int:
    """DETAILS_REMINDER_DAYS before a delegation's details deadline, remind each incomplete delegate once (recorded)."""
    now = now or timezone.now()
    delegations = Delegation.objects.filter(details_due_at__gt=now, details_due_at__lte=now + timedelta(days=DETAILS_REMINDER_DAYS))
    sent = 0
    for registration in _incomplete(Registration.objects.filter(delegation__in=delegations, details_reminder_sent_at__isnull=True)).order_by("pk"):
        with transaction.atomic():
            # Claimed by the update: two runs at once never remind a person twice.
            if Registration.objects.filter(pk=registration.pk, details_reminder_sent_at__isnull=True).update(details_reminder_sent_at=now):
                _queue(registration)
                sent += 1
    return sent

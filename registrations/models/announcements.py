"""Announcements to a segment of a delegation, and the record of who got each one (and each visit reminder).

A delivery row exists exactly when that person's e-mail is in the outbox. The database holds the
rule "never twice": one delivery per announcement and person, one reminder per visit and person,
whatever number of app servers or cron runs send at the same moment (services/announcements.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registrations.core.i18n import TranslatedContent, translated


class Announcement(TranslatedContent, models.Model):
    TRANSLATED_FIELDS = ("subject", "body")

    class Audience(models.TextChoices):
        # A new segment: a value here and its query in audiences.AUDIENCES (one place each).
        CONFIRMED = "confirmed", _("Every confirmed delegate")
        WAITLISTED = "waitlisted", _("Everyone on the waiting list")
        VISIT = "visit", _("Those attending one visit")
        INCOMPLETE = "incomplete", _("Confirmed delegates whose details are incomplete")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENT = "sent", _("Sent")

    delegation = models.ForeignKey(
        "registrations.Delegation",
        on_delete=models.CASCADE,
        related_name="announcements",
        verbose_name=_("delegation"),
    )
    audience = models.CharField(_("send to"), max_length=20, choices=Audience.choices, default=Audience.CONFIRMED)
    visit = models.ForeignKey(
        "registrations.ItineraryItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="announcements",
        verbose_name=_("visit"),
        help_text=_("Only for “Those attending one visit”."),
    )
    subject = models.CharField(_("subject"), max_length=200)
    subject_zh_hans, subject_ko = translated(subject)
    body = models.TextField(
        _("message"),
        help_text=_("Plain text. “Dear (their name),” comes before it and the person's private link after it."),
    )
    body_zh_hans, body_ko = translated(body)
    send_at = models.DateTimeField(
        _("send at"),
        null=True,
        blank=True,
        help_text=_("Korea time. Empty: it goes out when you press “Send now” on the next page."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("sent or scheduled by"),
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(audience="visit", visit__isnull=False) | (~Q(audience="visit") & Q(visit__isnull=True)),
                name="announcement_visit_only_for_visit_audience",
                violation_error_message=_("Choose the visit for “Those attending one visit”, and only then."),
            ),
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False) | (~Q(status="sent") & Q(sent_at__isnull=True)),
                name="announcement_sent_at_only_when_sent",
            ),
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(send_at__isnull=False),
                name="announcement_scheduled_has_a_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "send_at"], name="announcement_due_idx")]

    def __str__(self) -> str:
        return self.subject


class AnnouncementDelivery(models.Model):
    """One person's copy of an announcement: its outbox e-mail says whether it is queued, sent or failed."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("announcement"))
    registration = models.ForeignKey(
        "registrations.Registration",
        on_delete=models.CASCADE,
        related_name="announcement_deliveries",
        verbose_name=_("registration"),
    )
    email = models.OneToOneField(
        "registrations.OutboxEmail",
        on_delete=models.CASCADE,
        related_name="announcement_delivery",
        verbose_name=_("e-mail"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("announcement delivery")
        verbose_name_plural = _("announcement deliveries")
        ordering = ["announcement", "registration__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["announcement", "registration"], name="one_announcement_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.announcement} → {self.registration.full_name}"


class VisitReminderDelivery(models.Model):
    """One person's reminder of one itinerary item (sent once, whatever the number of cron runs)."""

    item = models.ForeignKey(
        "registrations.ItineraryItem",
        on_delete=models.CASCADE,
        related_name="reminder_deliveries",
        verbose_name=_("visit"),
    )
    registration = models.ForeignKey(
        "registrations.Registration",
        on_delete=models.CASCADE,
        related_name="reminder_deliveries",
        verbose_name=_("registration"),
    )
    email = models.OneToOneField(
        "registrations.OutboxEmail",
        on_delete=models.CASCADE,
        related_name="reminder_delivery",
        verbose_name=_("e-mail"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit reminder")
        verbose_name_plural = _("visit reminders")
        ordering = ["item", "registration__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "registration"], name="one_reminder_per_visit_and_person"),
        ]

    def __str__(self) -> str:
        return f"{self.item} → {self.registration.full_name}"

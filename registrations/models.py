"""Data and invariants of a delegation: seats, sectors, itinerary, registrations.

Business rules that change seats or statuses live in services.py, not here.
"""

import secrets

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    """256 bits of randomness, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


class Delegation(models.Model):
    slug = models.SlugField(_("slug"), unique=True, help_text=_("Used in the printed URL /d/<slug>/. Keep it stable."))
    title = models.CharField(_("title"), max_length=200)
    organizer = models.CharField(_("organizer line"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), blank=True, help_text=_("One or two sentences shown at the top."))
    story = models.TextField(_("story"), blank=True, help_text=_("The full programme text. Blank lines separate paragraphs."))
    city = models.CharField(_("city"), max_length=100)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    seats = models.PositiveIntegerField(_("seats"))
    registration_opens_at = models.DateTimeField(_("registration opens at"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes at"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)  # part of the cached page key

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=0), name="delegation_seats_not_negative"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="delegation_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("registrations:delegation_detail", kwargs={"slug": self.slug})

    def is_registration_open(self, now=None) -> bool:
        now = now or timezone.now()
        if not self.is_published:
            return False
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        if self.registration_closes_at and now >= self.registration_closes_at:
            return False
        return True


class Sector(models.Model):
    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="sectors", verbose_name=_("delegation"))
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["delegation", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["delegation", "name"], name="sector_name_unique_per_delegation"),
        ]

    def __str__(self) -> str:
        return self.name


class ItineraryItem(models.Model):
    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="itinerary", verbose_name=_("delegation"))
    title = models.CharField(_("title"), max_length=200)
    hosts = models.CharField(_("host organisations"), max_length=300, blank=True)
    location = models.CharField(_("location / address"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("itinerary item")
        verbose_name_plural = _("itinerary")
        ordering = ["delegation", "starts_at", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="itinerary_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    # Statuses that no longer block the e-mail from registering again.
    INACTIVE_STATUSES = (Status.CANCELLED,)

    delegation = models.ForeignKey(Delegation, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("delegation"))
    full_name = models.CharField(_("full name"), max_length=120)
    company = models.CharField(_("company"), max_length=200)
    job_title = models.CharField(_("job title"), max_length=120)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("sector"))
    email = models.EmailField(_("e-mail"), max_length=254)
    phone = models.CharField(_("mobile phone"), max_length=32)
    wechat_id = models.CharField(_("WeChat ID"), max_length=64, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    consent_at = models.DateTimeField(_("consent given at"))
    consent_version = models.CharField(_("consent version"), max_length=20, blank=True)
    consent_text = models.TextField(_("consent text shown"), blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    waitlist_position = models.PositiveIntegerField(_("waiting-list position"), null=True, blank=True)
    token = models.CharField(_("private token"), max_length=64, unique=True, default=new_token, editable=False)
    source = models.CharField(_("source"), max_length=32, blank=True, help_text=_("The channel code from ?src= in the QR link."))
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "delegation",
                condition=~Q(status="cancelled"),
                name="one_active_registration_per_email",
                violation_error_message=_("This e-mail address is already registered for this delegation."),
            ),
            models.CheckConstraint(
                condition=(Q(status="waitlisted", waitlist_position__isnull=False) | (~Q(status="waitlisted") & Q(waitlist_position__isnull=True))),
                name="waitlist_position_only_when_waitlisted",
            ),
        ]
        indexes = [
            models.Index(fields=["delegation", "status", "waitlist_position"], name="registration_status_idx"),
            # The admin list (newest first) with thousands of registrations: no sort of the whole table.
            models.Index(fields=["-created_at", "-id"], name="registration_newest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.company})"

    def get_absolute_url(self) -> str:
        return reverse("registrations:registration_detail", kwargs={"token": self.token})

    @property
    def is_active(self) -> bool:
        return self.status not in self.INACTIVE_STATUSES

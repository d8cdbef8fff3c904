"""Data and invariants of a delegation: seats, sectors, itinerary, registrations.

Business rules that change seats or statuses live in services/, not here.
"""

import re
import secrets
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, router
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registrations.core.email_address import email_normalise, validate_plain_email
from registrations.core.i18n import TranslatedContent, translated
from registrations.core.validators import phone_validator, refuse_control_characters

SEOUL = ZoneInfo("Asia/Seoul")


def new_token() -> str:
    """256 bits of randomness, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


class Delegation(TranslatedContent, models.Model):
    TRANSLATED_FIELDS = (
        "title",
        "organizer",
        "summary",
        "story",
        "city",
        "includes",
        "costs",
        "travel_data_recipients",
        "privacy_notice",
    )

    class Mode(models.TextChoices):
        FIRST_COME = "first_come", _("First come, first served")
        REVIEW = "review", _("Application review")

    slug = models.SlugField(_("slug"), unique=True, help_text=_("Used in the printed URL /d/<slug>/. Keep it stable."))
    # Content: the plain field is English (the fallback); _zh_hans and _ko hold the translations.
    title = models.CharField(_("title"), max_length=200)
    title_zh_hans, title_ko = translated(title)
    organizer = models.CharField(_("organizer line"), max_length=300, blank=True)
    organizer_zh_hans, organizer_ko = translated(organizer)
    summary = models.TextField(_("summary"), blank=True, help_text=_("One or two sentences shown at the top."))
    summary_zh_hans, summary_ko = translated(summary)
    story = models.TextField(_("story"), blank=True, help_text=_("The full programme text. Blank lines separate paragraphs."))
    story_zh_hans, story_ko = translated(story)
    city = models.CharField(_("city"), max_length=100)
    city_zh_hans, city_ko = translated(city)
    includes = models.TextField(
        _("what the delegation includes"),
        blank=True,
        help_text=_("Shown above the registration form: programme, hotel, transport, meals... One item per line."),
    )
    includes_zh_hans, includes_ko = translated(includes)
    costs = models.TextField(
        _("costs"),
        blank=True,
        help_text=_("Shown above the registration form: the fee, what participants pay themselves, how and when they pay."),
    )
    costs_zh_hans, costs_ko = translated(costs)
    contact_email = models.EmailField(
        _("organizer's contact e-mail"),
        blank=True,
        help_text=_("Shown to registrants (above the form, on the privacy notice, and when their details can no longer be changed)."),
    )
    contact_wechat_id = models.CharField(_("organizer's contact WeChat ID"), max_length=64, blank=True)
    privacy_notice = models.TextField(
        _("privacy notice"),
        blank=True,
        help_text=_(
            "The delegation's privacy page (its address ends in /privacy/). Empty: a notice built from what the site does (consent, retention, travel documents)."
        ),
    )
    privacy_notice_zh_hans, privacy_notice_ko = translated(privacy_notice)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    seats = models.PositiveIntegerField(_("seats"))
    registration_opens_at = models.DateTimeField(_("registration opens at"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes at"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    registration_mode = models.CharField(
        _("registration mode"),
        max_length=20,
        choices=Mode.choices,
        default=Mode.FIRST_COME,
        help_text=_("First come: free seats are confirmed at once. Review: every submission waits for an organizer's decision."),
    )
    offer_hold_hours = models.PositiveIntegerField(
        _("offer holds a seat for (hours)"),
        default=48,
        help_text=_("When a seat frees (first come), the next person on the waiting list is offered it for this long."),
    )
    email_confirmation_hours = models.PositiveIntegerField(
        _("e-mail confirmation within (hours)"),
        default=24,
        help_text=_(
            "First come: a new seat is held this long until the person confirms their e-mail address; "
            "unconfirmed, it is released. 0 turns the check off."
        ),
    )
    details_editable_until = models.DateTimeField(
        _("delegates may change their details until"),
        null=True,
        blank=True,
        help_text=_(
            "Until then a delegate can correct their own details (and hand their seat to a colleague) from their private page. "
            "Empty: until the trip starts."
        ),
    )
    travel_data_recipients = models.TextField(
        _("who receives travel documents"),
        blank=True,
        help_text=_(
            "Named to delegates before they enter passport details: the Korean hosts and hotels, and what for. "
            "Empty: delegates are not asked for passport details."
        ),
    )
    travel_data_recipients_zh_hans, travel_data_recipients_ko = translated(travel_data_recipients)
    # The visa invitation letter (documents/letters.py), in English (plain fields) and Korean (_ko).
    letter_letterhead = models.TextField(
        _("letterhead"),
        blank=True,
        help_text=_(
            "The inviting organization's name (first line) and any further letterhead lines. Empty: no invitation letters for this delegation."
        ),
    )
    letter_letterhead_ko = models.TextField(_("letterhead (Korean)"), blank=True)
    letter_address = models.TextField(_("address and contact"), blank=True)
    letter_address_ko = models.TextField(_("address and contact (Korean)"), blank=True)
    letter_signatory_name = models.CharField(_("signatory's name"), max_length=120, blank=True)
    letter_signatory_name_ko = models.CharField(_("signatory's name (Korean)"), max_length=120, blank=True)
    letter_signatory_title = models.CharField(_("signatory's title"), max_length=200, blank=True)
    letter_signatory_title_ko = models.CharField(_("signatory's title (Korean)"), max_length=200, blank=True)
    letter_purpose = models.TextField(
        _("purpose of the visit"),
        blank=True,
        help_text=_("One or two sentences in the letter, e.g. “to attend Incheon Tech Week and meet Korean companies in biotechnology”."),
    )
    letter_purpose_ko = models.TextField(_("purpose of the visit (Korean)"), blank=True)
    details_due_at = models.DateTimeField(
        _("delegates to complete their details by"),
        null=True,
        blank=True,
        help_text=_(
            "Optional. Shown to confirmed delegates; those who have not answered the questions or given their travel "
            "documents get an automatic reminder three days before."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)  # part of the cached page key
    # Bumped (in the same transaction) by every save or delete of the delegation, its sectors or its
    # itinerary items (cache_invalidation.py): cached page fragments are keyed on it.
    content_version = models.PositiveIntegerField(_("content version"), default=0, editable=False)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=0), name="delegation_seats_not_negative"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="delegation_ends_after_start"),
            models.CheckConstraint(condition=Q(offer_hold_hours__gte=1), name="delegation_offer_hold_at_least_an_hour"),
        ]

    def __str__(self) -> str:
        return self.local.title

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

    @property
    def is_review(self) -> bool:
        return self.registration_mode == self.Mode.REVIEW

    def details_edit_deadline(self) -> "datetime":
        """Until when delegates may change their own details: the organizer's cutoff, else the trip's start."""
        return self.details_editable_until or self.starts_at()

    # The letter's fields: English in the plain field, Korean in <field>_ko (empty: the English text).
    LETTER_FIELDS = ("letter_letterhead", "letter_address", "letter_signatory_name", "letter_signatory_title", "letter_purpose")

    @property
    def has_visa_letter(self) -> bool:
        """Letters can be generated once the organizer entered at least the letterhead and the signatory."""
        return bool(self.letter_letterhead.strip() and self.letter_signatory_name.strip())

    def starts_at(self) -> "datetime":
        """Midnight of the first day, Korea time: offers and invitations end then at the latest."""
        return datetime.combine(self.starts_on, time.min, tzinfo=SEOUL)


class Sector(TranslatedContent, models.Model):
    TRANSLATED_FIELDS = ("name",)

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="sectors", verbose_name=_("delegation"))
    name = models.CharField(_("name"), max_length=120)
    name_zh_hans, name_ko = translated(name)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    seat_cap = models.PositiveIntegerField(
        _("seat cap"),
        null=True,
        blank=True,
        help_text=_("Optional: at most this many seats for this field. Empty: no cap beyond the delegation's seats."),
    )

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["delegation", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["delegation", "name"], name="sector_name_unique_per_delegation"),
        ]

    def __str__(self) -> str:
        return self.local.name


class ItineraryItem(TranslatedContent, models.Model):
    TRANSLATED_FIELDS = ("title", "hosts", "location", "description", "meeting_point", "reminder_note")

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="itinerary", verbose_name=_("delegation"))
    title = models.CharField(_("title"), max_length=200)
    title_zh_hans, title_ko = translated(title)
    hosts = models.CharField(_("host organisations"), max_length=300, blank=True)
    hosts_zh_hans, hosts_ko = translated(hosts)
    location = models.CharField(_("location / address"), max_length=300, blank=True)
    location_zh_hans, location_ko = translated(location)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    description = models.TextField(_("description"), blank=True)
    description_zh_hans, description_ko = translated(description)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_optional = models.BooleanField(
        _("optional visit"),
        default=False,
        help_text=_("Confirmed delegates choose optional visits on their own page. Every confirmed delegate attends the others."),
    )
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        help_text=_("Optional visits only: how many delegates it can take. Empty means no limit."),
    )
    # The reminder e-mail to those attending (services/announcements.py sends it once per person).
    reminder_at = models.DateTimeField(
        _("send a reminder at"),
        null=True,
        blank=True,
        help_text=_(
            "Korea time, for example the evening before at 18:00. Everyone attending then gets one e-mail with "
            "the meeting point and time (people who join later, until the visit starts, get it too). Empty: no reminder."
        ),
    )
    meeting_at = models.DateTimeField(
        _("meeting time"),
        null=True,
        blank=True,
        help_text=_("When to be at the meeting point (Korea time). Empty: the start time."),
    )
    meeting_point = models.CharField(
        _("meeting point"),
        max_length=300,
        blank=True,
        help_text=_("For example “Hotel lobby, bus 2”. Shown in the reminder."),
    )
    meeting_point_zh_hans, meeting_point_ko = translated(meeting_point)
    reminder_note = models.TextField(
        _("reminder note"),
        blank=True,
        help_text=_("Anything else the reminder should say, for example “Bring your passport”."),
    )
    reminder_note_zh_hans, reminder_note_ko = translated(reminder_note)
    # Calendar files carry it as LAST-MODIFIED and derive SEQUENCE from it, so a changed time replaces an earlier import.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("itinerary item")
        verbose_name_plural = _("itinerary")
        ordering = ["delegation", "starts_at", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="itinerary_ends_after_start"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(is_optional=True),
                name="itinerary_capacity_only_when_optional",
                violation_error_message=_("Only optional visits have their own number of places."),
            ),
            models.CheckConstraint(
                condition=Q(reminder_at__isnull=True) | Q(reminder_at__lt=models.F("starts_at")),
                name="itinerary_reminder_before_start",
                violation_error_message=_("The reminder must go out before the visit starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.local.title

    @property
    def meets_at(self) -> datetime:
        """When attendees meet: the meeting time, else the start."""
        return self.meeting_at or self.starts_at


class RegistrationQuerySet(models.QuerySet):
    def taking_seats(self) -> "RegistrationQuerySet":
        """THE seat rule for registrations: those whose status holds a seat (Registration.SEAT_STATUSES)."""
        return self.filter(status__in=Registration.SEAT_STATUSES)


class Registration(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Application received")
        UNCONFIRMED = "unconfirmed", _("Awaiting e-mail confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        OFFERED = "offered", _("Seat offered")
        WAITLISTED = "waitlisted", _("On the waiting list")
        REJECTED = "rejected", _("Not selected")
        CANCELLED = "cancelled", _("Cancelled")

    # Statuses that no longer block the e-mail from registering again.
    INACTIVE_STATUSES = (Status.CANCELLED, Status.REJECTED)
    # THE statuses that hold a seat; with invitations that are holding (Invitation.objects.holding),
    # they make up the seats taken. Every count, list and lock check goes through taking_seats().
    SEAT_STATUSES = (Status.CONFIRMED, Status.OFFERED, Status.UNCONFIRMED)

    # No index of its own: registration_state_idx starts with it.
    delegation = models.ForeignKey(Delegation, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("delegation"), db_index=False)
    full_name = models.CharField(_("full name"), max_length=120)
    company = models.CharField(_("company"), max_length=200)
    job_title = models.CharField(_("job title"), max_length=120)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("sector"))
    email = models.EmailField(_("e-mail"), max_length=254, validators=[validate_plain_email])
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
    source = models.CharField(_("source"), max_length=32, blank=True, help_text=_("The source code from ?src= in the QR link."))
    offer_expires_at = models.DateTimeField(_("offer expires at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason shown to the person"), blank=True, max_length=2000)
    invitation = models.OneToOneField(
        "Invitation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registration",
        verbose_name=_("invitation"),
    )
    # Shown as a QR code for on-site check-in; distinct from ``token`` so a photo of a badge
    # cannot open the private page. Rotated by services.checkin_code_rotate.
    checkin_code = models.CharField(_("check-in code"), max_length=64, unique=True, default=new_token, editable=False)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language the registrant used on the form; their e-mails are written in it."),
    )
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    email_confirm_by = models.DateTimeField(_("e-mail to be confirmed by"), null=True, blank=True)
    email_confirm_attempts = models.PositiveSmallIntegerField(_("wrong confirmation codes"), default=0)
    email_reminder_sent_at = models.DateTimeField(_("confirmation reminder sent at"), null=True, blank=True)
    details_reminder_sent_at = models.DateTimeField(_("automatic details reminder sent at"), null=True, blank=True)
    # A keyed hash (HMAC with SECRET_KEY) of the client address that submitted: bursts can be seen, the address cannot.
    client_hash = models.CharField(_("client address (keyed hash)"), max_length=32, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "delegation",
                condition=~Q(status__in=["cancelled", "rejected"]),
                name="one_active_registration_per_email",
                violation_error_message=_("This e-mail address is already registered for this delegation."),
            ),
            models.CheckConstraint(
                condition=(Q(status="waitlisted", waitlist_position__isnull=False) | (~Q(status="waitlisted") & Q(waitlist_position__isnull=True))),
                name="waitlist_position_only_when_waitlisted",
            ),
            models.CheckConstraint(
                condition=(Q(status="offered", offer_expires_at__isnull=False) | (~Q(status="offered") & Q(offer_expires_at__isnull=True))),
                name="offer_expiry_only_when_offered",
            ),
            # A deadline to confirm the e-mail address: required while a seat is held for it (unconfirmed),
            # allowed on the waiting list (no offer until it is confirmed), never otherwise.
            models.CheckConstraint(
                condition=(
                    Q(status="unconfirmed", email_confirm_by__isnull=False)
                    | Q(status="waitlisted")
                    | (~Q(status__in=["unconfirmed", "waitlisted"]) & Q(email_confirm_by__isnull=True))
                ),
                name="email_confirm_by_when_awaiting",
            ),
        ]
        indexes = [
            # Every column selectors.delegation_submission_state reads (under the seat lock, on every submission):
            # on PostgreSQL an index-only scan of the delegation's entries instead of a read of each row.
            models.Index(fields=["delegation", "status", "waitlist_position", "offer_expires_at", "email_confirm_by"], name="registration_state_idx"),
            models.Index(fields=["client_hash", "created_at"], name="registration_client_idx"),
            # The admin list (newest first) with thousands of registrations: no sort of the whole table.
            models.Index(fields=["-created_at", "-id"], name="registration_newest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.company})"

    def get_absolute_url(self) -> str:
        return reverse("registrations:registration_detail", kwargs={"token": self.token})

    def validate_constraints(self, exclude=None):
        """Django's, without building the check constraints that name an excluded field: Django builds each one's
        query and then drops it (FieldError). The public form leaves status, positions and deadlines to the service,
        so every submission paid for three queries built for nothing; the database still holds every constraint."""
        excluded = set(exclude or ())
        if not excluded:
            return super().validate_constraints(exclude=exclude)
        using = router.db_for_write(type(self), instance=self)
        errors = {}
        for constraint in self._meta.constraints:
            if isinstance(constraint, models.CheckConstraint) and constraint.condition.referenced_base_fields & excluded:
                continue
            try:
                constraint.validate(type(self), self, exclude=exclude, using=using)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    @property
    def awaits_email_confirmation(self) -> bool:
        """The address is still to be proven (a held seat, or a place on the waiting list that gets no offer until then)."""
        return self.email_confirm_by is not None

    @property
    def is_active(self) -> bool:
        return self.status not in self.INACTIVE_STATUSES


PERSON_MULTILINE_FIELDS = ("note",)


def person_values_clean(values: dict) -> dict:
    """A person's typed fields checked by the rules every form applies to them, wherever they come from.

    The model field's own rules (required, length, e-mail), the phone format and no control
    characters (``core.validators``); text stripped and the e-mail address normalised as the forms do.
    A ``ValidationError`` per field otherwise.
    """
    cleaned, errors = {}, {}
    for name, value in values.items():
        field = Registration._meta.get_field(name)
        value = value.strip() if isinstance(value, str) else value
        try:
            if value in ("", None) and not field.blank:
                raise ValidationError(forms.Field.default_error_messages["required"], code="required")  # the forms' own words
            value = field.clean(value, None)
            if name == "phone":
                phone_validator(value)
            if isinstance(value, str):
                refuse_control_characters(value, allow_newlines=name in PERSON_MULTILINE_FIELDS)
            if name == "email":
                value = email_normalise(value)
        except ValidationError as error:
            errors[name] = error
            continue
        cleaned[name] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


class StatusChange(models.Model):
    """One line of a registration's history: who changed its status, when, from what, to what, why."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("registration"))
    from_status = models.CharField(_("from"), max_length=20, choices=Registration.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Registration.Status.choices)
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("by"))
    changed_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status history")
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status}"


class DetailChange(models.Model):
    """One changed field of a registration's details: old and new value, who changed it (the delegate or an organizer), when."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="detail_changes", verbose_name=_("registration"))
    field = models.CharField(_("field"), max_length=40)
    old_value = models.TextField(_("before"), blank=True)
    new_value = models.TextField(_("after"), blank=True)
    by_delegate = models.BooleanField(_("by the delegate"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    changed_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("change of details")
        verbose_name_plural = _("history of details")
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value} -> {self.new_value}"

    @property
    def field_label(self) -> str:
        return str(Registration._meta.get_field(self.field).verbose_name)


class InvitationQuerySet(models.QuerySet):
    def holding(self, now=None) -> "InvitationQuerySet":
        """THE seat rule for invitations: not used, not revoked, deadline not passed (see Invitation.HOLDING_SQL)."""
        return self.filter(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class Invitation(models.Model):
    """A seat reserved for a named guest until the invitation is used, revoked or expires."""

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("delegation"))
    full_name = models.CharField(_("full name"), max_length=120)
    email = models.EmailField(_("e-mail"), max_length=254, validators=[validate_plain_email])
    company = models.CharField(_("company"), max_length=200, blank=True)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="invitations", verbose_name=_("sector"))
    expires_at = models.DateTimeField(_("deadline"))
    token = models.CharField(_("invitation token"), max_length=64, unique=True, default=new_token, editable=False)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The invitation e-mail is written in this language."),
    )

    objects = InvitationQuerySet.as_manager()
    # The same rule as holding() for the raw page query (alias ``i``, one parameter: now);
    # tests/test_seat_rule.py checks that the two agree.
    HOLDING_SQL = "i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > %s"

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    def get_absolute_url(self) -> str:
        return reverse("registrations:invitation", kwargs={"token": self.token})

    def is_holding(self, now=None) -> bool:
        """True while it reserves a seat: the rule of InvitationQuerySet.holding, for one loaded row."""
        now = now or timezone.now()
        return self.used_at is None and self.revoked_at is None and self.expires_at > now


class OutboxEmail(models.Model):
    """One e-mail to a registrant (or an invited guest), recorded with the change that causes it and sent after commit.

    Queueing and sending live in emails.py and outbox.py; this is the record (and the admin log).
    """

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Submission received")
        CONFIRMED = "confirmed", _("Seat confirmed")
        WAITLISTED = "waitlisted", _("Put on the waiting list")
        OFFER = "offer", _("Seat offered")
        REJECTED = "rejected", _("Application declined")
        CANCELLED = "cancelled", _("Registration cancelled")
        VISITS = "visits", _("Visit choice confirmed")
        INVITATION = "invitation", _("Invitation")
        CONFIRM_REMINDER = "confirm_reminder", _("E-mail confirmation reminder")
        LINK = "link", _("Private link sent again")
        HANDOVER_REQUEST = "handover_request", _("Seat handover: please accept")
        HANDED_OVER = "handed_over", _("Seat handed to a colleague")
        HANDOVER_WELCOME = "handover_welcome", _("Seat handed over: welcome")
        ANNOUNCEMENT = "announcement", _("Announcement")
        VISIT_REMINDER = "visit_reminder", _("Visit reminder")
        DETAILS_REMINDER = "details_reminder", _("Reminder to complete details")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed (gave up)")

    # Exactly one of the two: a registrant's messages, or the e-mail carrying an invitation.
    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="emails",
        verbose_name=_("registration"),
    )
    invitation = models.ForeignKey(
        Invitation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="emails",
        verbose_name=_("invitation"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    recipient = models.EmailField(_("recipient"), max_length=254)
    language = models.CharField(_("language"), max_length=16)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("plain-text body"))
    body_html = models.TextField(_("HTML body"))
    attach_itinerary = models.BooleanField(_("itinerary .ics attached"), default=False)
    # Set while the message is recorded but not yet rendered (emails.registration_email_record): what the
    # registration was when the message was caused (status, waiting-list position, deadlines); null once rendered.
    render_state = models.JSONField(_("state to render from"), null=True, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claim_token = models.CharField(_("claimed by"), max_length=32, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails (outbox)")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="sent", sent_at__isnull=False) | (~Q(status="sent") & Q(sent_at__isnull=True))),
                name="outbox_sent_at_only_when_sent",
            ),
            models.CheckConstraint(
                condition=Q(registration__isnull=False, invitation__isnull=True) | Q(registration__isnull=True, invitation__isnull=False),
                name="outbox_for_a_registration_or_an_invitation",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient}"


class VisitBooking(models.Model):
    """A confirmed delegate's place on an optional visit, or their spot on that visit's waiting list."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Place booked")
        WAITLISTED = "waitlisted", _("On the visit's waiting list")

    # PROTECT: a visit people chose is deleted only after they are taken off it (through the service).
    visit = models.ForeignKey(ItineraryItem, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("visit"))
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="visit_bookings", verbose_name=_("registration"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    waitlist_position = models.PositiveIntegerField(_("waiting-list position"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit booking")
        verbose_name_plural = _("visit bookings")
        ordering = ["visit", "status", "waitlist_position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "registration"], name="one_booking_per_visit_and_registration"),
            models.CheckConstraint(
                condition=(Q(status="waitlisted", waitlist_position__isnull=False) | (~Q(status="waitlisted") & Q(waitlist_position__isnull=True))),
                name="visit_waitlist_position_only_when_waitlisted",
            ),
        ]
        indexes = [
            models.Index(fields=["visit", "status", "waitlist_position"], name="visit_booking_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.registration.full_name} · {self.visit.title}"


SOURCE_CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")


def is_valid_source_code(value: str) -> bool:
    """A source code as printed in ``/q/<code>`` and ``?src=``: lowercase letters, digits, - and _, up to 32."""
    return bool(SOURCE_CODE_RE.fullmatch(value or ""))


def validate_source_code(value: str) -> None:
    """The same rule as ``?src=`` in links: lowercase letters, digits, - and _, up to 32."""
    if not is_valid_source_code(value):
        raise ValidationError(
            _("Use 1 to 32 lowercase letters, digits, “-” or “_”, starting with a letter or digit, for example “poster”."),
            code="invalid_source_code",
        )


class Source(models.Model):
    """A source: a place that publishes a delegation (an article, a poster, a newsletter), with its QR code.

    The code is unique across all delegations because the printed short link ``/q/<code>``
    names no delegation: a poster must lead to the same place for as long as it hangs.
    Registrations keep the code as text (``Registration.source``) and are joined on
    delegation + code.
    """

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="sources", verbose_name=_("delegation"))
    name = models.CharField(_("name"), max_length=120, help_text=_("For organizers, for example “TMTPost article” or “Weihai forum poster”."))
    code = models.CharField(
        _("code"),
        max_length=32,
        validators=[validate_source_code],
        help_text=_("Short and printed in the link /q/<code>, for example “poster”. It cannot change once saved."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["delegation", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                name="source_code_unique",
                violation_error_message=_("Another source already uses this code. Short links /q/<code> must lead to one place."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class SourceScan(models.Model):
    """One visit to a source's short link. One row per scan, so simultaneous scans all count."""

    class Device(models.TextChoices):
        PHONE = "phone", _("Phone")
        TABLET = "tablet", _("Tablet")
        DESKTOP = "desktop", _("Computer")
        BOT = "bot", _("Link preview or robot")
        OTHER = "other", _("Other")

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="scans", verbose_name=_("source"))
    scanned_at = models.DateTimeField(_("scanned at"), default=timezone.now)
    device = models.CharField(_("device"), max_length=10, choices=Device.choices)
    in_wechat = models.BooleanField(_("inside WeChat"), default=False)

    class Meta:
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        ordering = ["-scanned_at", "-pk"]
        indexes = [models.Index(fields=["source", "device"], name="scan_source_device_idx")]

    def __str__(self) -> str:
        return f"{self.source.code} {self.scanned_at:%Y-%m-%d %H:%M}"


class CheckIn(models.Model):
    """A delegate checked in for one itinerary item. The first scan wins; an undo keeps the row."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="checkins", verbose_name=_("registration"))
    item = models.ForeignKey(ItineraryItem, on_delete=models.PROTECT, related_name="checkins", verbose_name=_("visit"))
    checked_in_at = models.DateTimeField(_("checked in at"), default=timezone.now)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("undone by"),
    )

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-checked_in_at", "-pk"]
        permissions = [("check_in", _("Can check delegates in at site visits"))]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "item"],
                condition=Q(undone_at__isnull=True),
                name="one_checkin_per_visit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration} · {self.item}"

    @property
    def awaits_email_confirmation(self) -> bool:
        """The address is still to be proven (a held seat, or a place on the waiting list that gets no offer until then)."""
        return self.email_confirm_by is not None

    @property
    def is_active(self) -> bool:
        return self.undone_at is None


from registrations.models.announcements import Announcement, AnnouncementDelivery, VisitReminderDelivery  # noqa: E402,F401  (kept apart)
from registrations.models.handovers import SeatHandover  # noqa: E402,F401  (kept apart: see models/handovers.py)
from registrations.models.hostlists import HostList, HostListAccess, HostListRow  # noqa: E402,F401  (kept apart: see models/hostlists.py)
from registrations.models.questions import Answer, Question  # noqa: E402,F401  (kept apart: see models/questions.py)
from registrations.models.travel import TravelDocument, TravelDocumentAccess  # noqa: E402,F401  (kept apart: see models/travel.py)

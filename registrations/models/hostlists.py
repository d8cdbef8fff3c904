"""Visitor lists for the host of a site visit: the columns the host asked for, frozen, behind an expiring link.

A HostList is one frozen version: which visit, which columns (HOST_LIST_FIELDS keys), when it was
frozen and by whom, the link's token (256 bits), until when it works, and whether it was withdrawn.
Its HostListRow rows hold the values as they were at freezing: the plain columns as JSON, the
passport-derived ones (PASSPORT_FIELDS) encrypted with the travel-document keys (travel_crypto),
deleted with the travel documents. Every opening of the link is a HostListAccess row.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from registrations.core.travel_crypto import decrypt_json, encrypt_json
from registrations.models import ItineraryItem, Registration, new_token


@dataclass(frozen=True)
class HostListField:
    key: str
    label: Promise  # shown in English and Korean on the host's page (translation.override)
    from_passport: bool = False


# Every column a host may ask for, in the order they appear.
HOST_LIST_FIELDS = (
    HostListField("passport_name", _("Name (Latin letters, as in the passport)"), from_passport=True),
    HostListField("full_name", _("Name (as registered)")),
    HostListField("company", _("Company")),
    HostListField("job_title", _("Job title")),
    HostListField("sector", _("Field")),
    HostListField("nationality", _("Nationality"), from_passport=True),
    HostListField("passport_number", _("Passport number"), from_passport=True),
    HostListField("date_of_birth", _("Date of birth"), from_passport=True),
    HostListField("email", _("E-mail")),
    HostListField("phone", _("Mobile phone")),
)
FIELDS_BY_KEY = {field.key: field for field in HOST_LIST_FIELDS}
PASSPORT_FIELDS = frozenset(field.key for field in HOST_LIST_FIELDS if field.from_passport)
NAME_FIELDS = frozenset({"passport_name", "full_name"})


class HostList(models.Model):
    visit = models.ForeignKey(ItineraryItem, on_delete=models.CASCADE, related_name="host_lists", verbose_name=_("visit"))
    version = models.PositiveIntegerField(_("version"))
    fields = models.JSONField(_("columns"), default=list)  # HOST_LIST_FIELDS keys, in their order
    frozen_at = models.DateTimeField(_("frozen at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("frozen by"),
    )
    created_by_name = models.CharField(_("frozen by (user name)"), max_length=150, blank=True)  # kept when the user is deleted
    token = models.CharField(_("link token"), max_length=64, unique=True, default=new_token, editable=False)
    expires_at = models.DateTimeField(_("link works until"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by_name = models.CharField(_("withdrawn by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("host list")
        verbose_name_plural = _("host lists")
        ordering = ["visit", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "version"], name="host_list_version_unique_per_visit"),
        ]

    def __str__(self) -> str:
        return f"{self.visit} · v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("registrations:host_list", kwargs={"token": self.token})

    @property
    def columns(self) -> list[HostListField]:
        return [FIELDS_BY_KEY[key] for key in self.fields if key in FIELDS_BY_KEY]

    @property
    def has_passport_fields(self) -> bool:
        return bool(PASSPORT_FIELDS.intersection(self.fields))

    def is_open(self, now=None) -> bool:
        """The link works: not withdrawn, not expired."""
        return self.withdrawn_at is None and self.expires_at > (now or timezone.now())


class HostListRow(models.Model):
    """One visitor of a frozen host list: the chosen values as they were then."""

    host_list = models.ForeignKey(HostList, on_delete=models.CASCADE, related_name="rows", verbose_name=_("host list"))
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+", verbose_name=_("registration"))
    position = models.PositiveIntegerField(_("position"))
    values = models.JSONField(_("values"), default=dict)  # the chosen columns not from the passport
    protected = models.TextField(_("encrypted passport values"), blank=True, editable=False)

    class Meta:
        verbose_name = _("host list row")
        verbose_name_plural = _("host list rows")
        ordering = ["host_list", "position"]

    def __str__(self) -> str:
        return f"{self.host_list} #{self.position}"

    def cells(self) -> dict:
        """Every frozen value of the row, passport values decrypted (blank once purged)."""
        return {**self.values, **(decrypt_json(self.protected) if self.protected else {})}

    def set_passport_values(self, values: dict) -> None:
        self.protected = encrypt_json(values) if values else ""


class HostListAccess(models.Model):
    class What(models.TextChoices):
        PAGE = "page", _("Page")
        XLSX = "xlsx", _("XLSX download")
        PDF = "pdf", _("PDF download")
        REFUSED = "refused", _("Refused (expired or withdrawn)")

    host_list = models.ForeignKey(HostList, on_delete=models.CASCADE, related_name="accesses", verbose_name=_("host list"))
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    what = models.CharField(_("what"), max_length=10, choices=What.choices)
    # A keyed hash (HMAC with SECRET_KEY) of the client address: repeat visitors can be told apart, the address cannot be read.
    client_hash = models.CharField(_("client address (keyed hash)"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("host list access")
        verbose_name_plural = _("host list accesses")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.host_list} {self.get_what_display()} {self.at:%Y-%m-%d %H:%M}"

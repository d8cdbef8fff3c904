"""Travel documents (passport details) and the log of who looked at them.

Kept out of Registration so that nothing of them shows in the registration admin or its exports;
every travel field is stored encrypted (travel_crypto), readable only by users with the
``registrations.view_travel_documents`` permission, and every such reading is logged.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registrations.core.travel_crypto import decrypt_json, encrypt_json

VIEW_TRAVEL_DOCUMENTS = "registrations.view_travel_documents"

# The travel fields, all stored together in TravelDocument.data (encrypted).
TRAVEL_FIELDS = (
    "passport_name",
    "passport_number",
    "nationality",
    "date_of_birth",
    "passport_expires_on",
    "arrival_flight",
    "arrival_at",
    "departure_flight",
    "departure_at",
)

# Nationalities offered in the travel documents form (ISO 3166-1 alpha-3 codes, as in passports).
NATIONALITIES = [
    ("CHN", _("China")),
    ("HKG", _("Hong Kong, China")),
    ("MAC", _("Macao, China")),
    ("TWN", _("Taiwan, China")),
    ("KOR", _("Korea")),
    ("JPN", _("Japan")),
    ("SGP", _("Singapore")),
    ("MYS", _("Malaysia")),
    ("USA", _("United States")),
    ("GBR", _("United Kingdom")),
    ("DEU", _("Germany")),
    ("FRA", _("France")),
    ("CAN", _("Canada")),
    ("AUS", _("Australia")),
]


class TravelDocument(models.Model):
    registration = models.OneToOneField(
        "registrations.Registration",
        on_delete=models.CASCADE,
        related_name="travel_document",
        verbose_name=_("registration"),
    )
    # The consent, given before anything is entered: which text (version) naming whom, and when.
    consent_version = models.CharField(_("consent version"), max_length=40)
    consent_recipients = models.TextField(_("recipients named in the consent"))
    consent_given_at = models.DateTimeField(_("consent given at"), default=timezone.now)
    # Every travel field (TRAVEL_FIELDS) as JSON, encrypted with MultiFernet; empty until entered.
    data = models.TextField(_("encrypted travel details"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("travel document")
        verbose_name_plural = _("travel documents")
        default_permissions = ()
        permissions = [("view_travel_documents", _("Can view and export travel documents (passport details)"))]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"

    @property
    def details(self) -> dict:
        """The decrypted travel fields ({} when none entered yet)."""
        return decrypt_json(self.data) if self.data else {}

    def set_details(self, details: dict) -> None:
        self.data = encrypt_json({name: details.get(name) or "" for name in TRAVEL_FIELDS})


class TravelDocumentAccess(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        EXPORT_CSV = "export_csv", _("Exported (CSV)")
        EXPORT_XLSX = "export_xlsx", _("Exported (XLSX)")
        HOST_LIST = "host_list", _("Frozen into a host list")
        ARRIVALS = "arrivals", _("Viewed arrivals and departures")
        ARRIVALS_CSV = "arrivals_csv", _("Exported arrivals and departures (CSV)")
        ARRIVALS_XLSX = "arrivals_xlsx", _("Exported arrivals and departures (XLSX)")
        VISA_LETTERS = "visa_letters", _("Visa invitation letters generated")
        OWN_VISA_LETTER = "own_visa_letter", _("Own visa letter downloaded (private page)")
        BADGE_NAMES = "badge_names", _("Passport names printed on badges or table cards")
        ROOMING = "rooming", _("Viewed the rooming list with passport names")
        ROOMING_CSV = "rooming_csv", _("Exported the rooming list with passport names (CSV)")
        ROOMING_XLSX = "rooming_xlsx", _("Exported the rooming list with passport names (XLSX)")
        ROOMING_PDF = "rooming_pdf", _("Exported the rooming list with passport names (PDF)")
        ROOMING_PAIRING = "rooming_pairing", _("Passport names compared to pair roommates (not shown)")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, verbose_name=_("user"))
    username = models.CharField(_("user name"), max_length=150)  # kept when the user is deleted
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    delegation = models.ForeignKey(
        "registrations.Delegation",
        on_delete=models.SET_NULL,
        null=True,
        verbose_name=_("delegation"),
    )
    registration_ids = models.TextField(_("registrations (ids)"), blank=True)

    class Meta:
        verbose_name = _("travel document access")
        verbose_name_plural = _("travel document accesses")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.username} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"

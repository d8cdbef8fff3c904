"""Input validation and crispy layout. No business rules: those are in services."""

import re
import unicodedata

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .consent import CONSENT_TEXTS, CONSENT_VERSION
from .email_address import email_normalise
from .honeypot import HoneypotField
from .models import Delegation, Invitation, ItineraryItem, Registration, Sector
from .questions_forms import QuestionFieldsMixin
from .services import delegation_check_seats_and_lock, sector_check_cap_and_lock, visit_check_places_and_lock
from .services.questions import registration_questions

SOURCE_CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()\-]{5,24}$",
    _("Enter a mobile number with country code, for example +86 138 0000 0000."),
)


def is_valid_source_code(value: str) -> bool:
    return bool(SOURCE_CODE_RE.fullmatch(value or ""))


def refuse_control_characters(value: str, *, allow_newlines: bool = False) -> None:
    allowed = {"\n", "\r", "\t"} if allow_newlines else set()
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in value):
        raise ValidationError(_("Remove the invisible control characters from this field."), code="control_characters")


class RegistrationForm(QuestionFieldsMixin, forms.ModelForm):
    consent = forms.BooleanField(
        label=CONSENT_TEXTS[CONSENT_VERSION],
        required=True,
        error_messages={"required": _("Please tick this box so that we may process your registration.")},
    )
    source = forms.CharField(required=False, widget=forms.HiddenInput, max_length=32)
    website = HoneypotField()

    class Meta:
        model = Registration
        fields = ["full_name", "company", "job_title", "sector", "email", "phone", "wechat_id", "note"]
        # type / inputmode / autocomplete let phones show the right keyboard and fill in known details.
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name", "inputmode": "text", "enterkeyhint": "next"}),
            "company": forms.TextInput(attrs={"autocomplete": "organization", "inputmode": "text", "enterkeyhint": "next"}),
            "job_title": forms.TextInput(attrs={"autocomplete": "organization-title", "inputmode": "text", "enterkeyhint": "next"}),
            "sector": forms.RadioSelect,
            "email": forms.EmailInput(attrs={
                "autocomplete": "email", "inputmode": "email", "autocapitalize": "off", "spellcheck": "false",
                "enterkeyhint": "next",
            }),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel", "enterkeyhint": "next"}),
            "wechat_id": forms.TextInput(attrs={
                "autocomplete": "off", "inputmode": "text", "autocapitalize": "off", "spellcheck": "false",
                "enterkeyhint": "next",
            }),
            "note": forms.Textarea(attrs={"rows": 3, "autocomplete": "off", "inputmode": "text"}),
        }
        help_texts = {
            "phone": _("With country code, for example +86 138 0000 0000."),
            "wechat_id": _("Optional. Helps the organizers reach you during the trip."),
            "note": _("Optional. Dietary needs, the companies you hope to meet, anything we should know."),
        }

    def __init__(self, *args, delegation: Delegation, invitation: Invitation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.delegation = delegation
        sector_field = self.fields["sector"]
        sector_field.queryset = delegation.sectors.all()
        sector_field.empty_label = None
        sector_field.label = _("Your field")
        if invitation is not None:
            # The held seat is in the invitation's field, for the invited address: shown, not editable;
            # a disabled field ignores whatever is posted and keeps this value.
            self.initial.update(sector=invitation.sector_id, email=invitation.email)
            sector_field.disabled = self.fields["email"].disabled = True
            sector_field.help_text = _("Your invitation reserves a seat in this field.")
            self.fields["email"].help_text = _("Your invitation is for this address.")
        self.fields["phone"].validators.append(phone_validator)
        questions = self.add_question_fields(registration_questions(delegation=delegation))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field("full_name"), Field("company"), Field("job_title"), Field("sector"),
            Field("email"), Field("phone"), Field("wechat_id"), Field("note"), *[Field(name) for name in questions], Field("consent"),
            Field("website", wrapper_class="hp"),
        )
        # The submit button is in the template (register.html): its words depend on the seats left.

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str):
                try:
                    refuse_control_characters(value, allow_newlines=isinstance(self.fields[name].widget, forms.Textarea))
                except ValidationError as error:
                    self.add_error(name, error)
        self.clean_answers()
        return cleaned

    def error_summary(self) -> list[dict]:
        """Every error with the id of the input it belongs to, for the summary at the top of the page."""
        summary = [{"anchor": "", "text": message} for message in self.non_field_errors()]
        for field in self:
            widget = field.field.widget
            anchor = field.auto_id + ("_0" if isinstance(widget, forms.RadioSelect) else "")
            for message in field.errors:
                # A checkbox's label is a whole sentence: its message alone says what to do.
                text = message if isinstance(widget, forms.CheckboxInput) else _("%(label)s: %(message)s") % {
                    "label": field.label, "message": message}
                summary.append({"anchor": anchor, "text": text})
        return summary

    def clean_email(self) -> str:
        return email_normalise(self.cleaned_data["email"])

    def clean_source(self) -> str:
        value = (self.cleaned_data.get("source") or "").strip().lower()
        return value if is_valid_source_code(value) else ""

    def submission(self) -> dict:
        """The cleaned values as keyword arguments for ``services.registration_submit``."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["source"] = self.cleaned_data.get("source", "")
        data["answers"] = self.answers()
        return data


class DelegationAdminForm(forms.ModelForm):
    class Meta:
        model = Delegation
        fields = "__all__"

    def clean_seats(self) -> int:
        seats = self.cleaned_data["seats"]
        delegation_check_seats_and_lock(delegation=self.instance, seats=seats)
        return seats


class SectorAdminForm(forms.ModelForm):
    class Meta:
        model = Sector
        fields = "__all__"

    def clean_seat_cap(self) -> int | None:
        seat_cap = self.cleaned_data["seat_cap"]
        sector_check_cap_and_lock(sector=self.instance, seat_cap=seat_cap)
        return seat_cap
class ItineraryItemAdminForm(forms.ModelForm):
    """Places only on optional visits, never below the places taken (checked under the visit lock)."""

    class Meta:
        model = ItineraryItem
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        if "is_optional" in cleaned and "capacity" in cleaned:
            try:
                visit_check_places_and_lock(visit=self.instance, is_optional=cleaned["is_optional"], capacity=cleaned["capacity"])
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class EmailConfirmForm(forms.Form):
    """The 6-digit code from the "received" e-mail, typed on the private page (e.g. read on another device)."""

    code = forms.CharField(
        label=_("Confirmation code"), max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"}),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise ValidationError(_("Enter the 6 digits from the e-mail."))
        return code


class LostLinkForm(forms.Form):
    """"Lost your link?": the address a registration was made with."""

    email = forms.EmailField(
        label=_("Your e-mail address"), max_length=254,
        widget=forms.EmailInput(attrs={
            "autocomplete": "email", "inputmode": "email", "autocapitalize": "off", "spellcheck": "false",
        }),
    )

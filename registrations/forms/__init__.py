"""Input validation and crispy layout. No business rules: those are in services."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from registrations.consent import CONSENT_TEXTS, CONSENT_VERSION
from registrations.core.email_address import email_normalise
from registrations.core.honeypot import HoneypotField
from registrations.core.validators import phone_validator, refuse_control_characters
from registrations.forms.questions import QuestionFieldsMixin
from registrations.models import Delegation, Invitation, ItineraryItem, Registration, Sector, is_valid_source_code
from registrations.selectors.questions import registration_questions
from registrations.services import delegation_check_seats_and_lock, sector_check_cap_and_lock, visit_check_places_and_lock
from registrations.services.messages import Messages


class PersonFieldsMixin:
    """The rules of a person's fields, wherever they are typed (the form, the edit page, the admin): one definition."""

    MULTILINE_FIELDS = ("note",)

    def add_person_validators(self) -> None:
        if "phone" in self.fields and phone_validator not in self.fields["phone"].validators:
            self.fields["phone"].validators.append(phone_validator)

    def refuse_control_characters_in(self, cleaned: dict) -> None:
        for name, value in list(cleaned.items()):
            if isinstance(value, str):
                try:
                    multiline = name in self.MULTILINE_FIELDS or (name in self.fields and isinstance(self.fields[name].widget, forms.Textarea))
                    refuse_control_characters(value, allow_newlines=multiline)
                except ValidationError as error:
                    self.add_error(name, error)

    def clean_email(self) -> str:
        return email_normalise(self.cleaned_data["email"])

    def error_summary(self) -> list[dict]:
        """Every error with the id of the input it belongs to, for the summary at the top of the page."""
        summary = [{"anchor": "", "text": message} for message in self.non_field_errors()]
        for field in self:
            widget = field.field.widget
            anchor = field.auto_id + ("_0" if isinstance(widget, forms.RadioSelect) else "")
            for message in field.errors:
                # A checkbox's label is a whole sentence: its message alone says what to do.
                text = (
                    message if isinstance(widget, forms.CheckboxInput) else _("%(label)s: %(message)s") % {"label": field.label, "message": message}
                )
                summary.append({"anchor": anchor, "text": text})
        return summary


class _KnownSectorChoices(ModelChoiceIterator):
    """The choices of a SectorChoiceField from the sectors it was given (``known``), in their order: no query."""

    def __init__(self, field):
        self.field = field

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for sector in self.field.known.values():
            yield self.choice(sector)

    def __len__(self):
        return len(self.field.known) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.known)


class SectorChoiceField(forms.ModelChoiceField):
    """The delegation's sectors as radio choices; with ``known`` (the sectors already read, by id) a posted id is
    looked up there instead of by a query."""

    known: dict[str, Sector] | None = None
    sectors_of: Delegation | None = None

    def __deepcopy__(self, memo):
        # Each form gives its copy the delegation's sectors (use_sectors_of): the class's queryset is not cloned.
        result = forms.Field.__deepcopy__(self, memo)
        result._queryset = None
        return result

    def use_sectors_of(self, delegation: Delegation, sectors: list[Sector] | None = None) -> None:
        """The choices are ``delegation``'s sectors. With ``sectors`` (already read, in their order), the choices and
        the lookup of a posted id come from them, and the queryset is built only if something else reads it."""
        self.sectors_of, self._queryset = delegation, None
        if sectors is None:
            self.queryset = delegation.sectors.all()
        else:
            self.known = {str(sector.pk): sector for sector in sectors}
            self.iterator = _KnownSectorChoices
            self.widget.choices = self.choices

    def _get_queryset(self):
        if self._queryset is None and self.sectors_of is not None:
            self._queryset = self.sectors_of.sectors.all()
        return self._queryset

    queryset = property(_get_queryset, forms.ModelChoiceField._set_queryset)

    def to_python(self, value):
        if self.known is None or value in self.empty_values:
            return super().to_python(value)
        try:
            return self.known[str(getattr(value, "pk", value))]
        except KeyError:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None


class RegistrationForm(QuestionFieldsMixin, PersonFieldsMixin, forms.ModelForm):
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
        field_classes = {"sector": SectorChoiceField}
        # type / inputmode / autocomplete let phones show the right keyboard and fill in known details.
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name", "inputmode": "text", "enterkeyhint": "next"}),
            "company": forms.TextInput(attrs={"autocomplete": "organization", "inputmode": "text", "enterkeyhint": "next"}),
            "job_title": forms.TextInput(attrs={"autocomplete": "organization-title", "inputmode": "text", "enterkeyhint": "next"}),
            "sector": forms.RadioSelect,
            "email": forms.EmailInput(
                attrs={
                    "autocomplete": "email",
                    "inputmode": "email",
                    "autocapitalize": "off",
                    "spellcheck": "false",
                    "enterkeyhint": "next",
                }
            ),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel", "enterkeyhint": "next"}),
            "wechat_id": forms.TextInput(
                attrs={
                    "autocomplete": "off",
                    "inputmode": "text",
                    "autocapitalize": "off",
                    "spellcheck": "false",
                    "enterkeyhint": "next",
                }
            ),
            "note": forms.Textarea(attrs={"rows": 3, "autocomplete": "off", "inputmode": "text"}),
        }
        help_texts = {
            "phone": _("With country code, for example +86 138 0000 0000."),
            "wechat_id": _("Optional. Helps the organizers reach you during the trip."),
            "note": _("Optional. Dietary needs, the companies you hope to meet, anything we should know."),
        }

    def __init__(
        self,
        *args,
        delegation: Delegation,
        invitation: Invitation | None = None,
        sectors: list[Sector] | None = None,
        questions: list | None = None,
        **kwargs,
    ):
        """``sectors`` and ``questions``: the delegation's, when the caller has read them (selectors.form_content)."""
        super().__init__(*args, **kwargs)
        self.delegation = delegation
        sector_field = self.fields["sector"]
        sector_field.use_sectors_of(delegation, sectors)
        sector_field.empty_label = None
        sector_field.label = _("Your field")
        if invitation is not None:
            # The held seat is in the invitation's field, for the invited address: shown, not editable;
            # a disabled field ignores whatever is posted and keeps this value.
            self.initial.update(sector=invitation.sector_id, email=invitation.email)
            sector_field.disabled = self.fields["email"].disabled = True
            sector_field.help_text = _("Your invitation reserves a seat in this field.")
            self.fields["email"].help_text = _("Your invitation is for this address.")
        self.add_person_validators()
        self.question_names = self.add_question_fields(registration_questions(delegation=delegation) if questions is None else questions)

    @cached_property
    def helper(self) -> FormHelper:
        """crispy's layout, built only when the form is rendered (a valid POST is never rendered)."""
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        helper.layout = Layout(
            Field("full_name"),
            Field("company"),
            Field("job_title"),
            Field("sector"),
            Field("email"),
            Field("phone"),
            Field("wechat_id"),
            Field("note"),
            *[Field(name) for name in self.question_names],
            Field("consent"),
            Field("website", wrapper_class="hp"),
        )
        # The submit button is in the template (register.html): its words depend on the seats left.
        return helper

    def _get_validation_exclusions(self):
        # The sector was already looked up among the delegation's (the field's queryset): no second query to find it.
        return {*super()._get_validation_exclusions(), "sector"}

    def clean(self):
        cleaned = super().clean()
        self.refuse_control_characters_in(cleaned)
        self.clean_answers()
        return cleaned

    def clean_source(self) -> str:
        value = (self.cleaned_data.get("source") or "").strip().lower()
        return value if is_valid_source_code(value) else ""

    def submission(self) -> dict:
        """The cleaned values as keyword arguments for ``services.registration_submit``."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["source"] = self.cleaned_data.get("source", "")
        data["answers"] = self.answers()
        data["questions"] = self.questions  # read once, by this form
        return data


class DelegationAdminForm(forms.ModelForm):
    class Meta:
        model = Delegation
        fields = "__all__"
        widgets = {
            name: forms.Textarea(attrs={"rows": 3, "cols": 36})
            for name in ("letter_letterhead", "letter_letterhead_ko", "letter_address", "letter_address_ko", "letter_purpose", "letter_purpose_ko")
        } | {
            name: forms.TextInput(attrs={"size": 33})
            for name in ("letter_signatory_name", "letter_signatory_name_ko", "letter_signatory_title", "letter_signatory_title_ko")
        }
        help_texts = {"letter_letterhead": "", "letter_purpose": ""}  # said once, in the fieldset's description (the pairs stay side by side)

    def clean(self):
        cleaned = super().clean()
        letter = [cleaned.get(name) for field in Delegation.LETTER_FIELDS for name in (field, f"{field}_ko")]
        if any(value and value.strip() for value in letter):
            for name in ("letter_letterhead", "letter_signatory_name"):
                if not (cleaned.get(name) or "").strip() and name not in self.errors:
                    self.add_error(name, _("Needed for invitation letters (in English; the Korean text may stay empty)."))
        return cleaned

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
        reminder_at, starts_at = cleaned.get("reminder_at"), cleaned.get("starts_at", self.instance.starts_at)
        if reminder_at is not None and starts_at is not None and reminder_at >= starts_at:
            self.add_error("reminder_at", Messages.reminder_after_start())
        return cleaned


class EmailConfirmForm(forms.Form):
    """The 6-digit code from the "received" e-mail, typed on the private page (e.g. read on another device)."""

    code = forms.CharField(
        label=_("Confirmation code"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"}),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise ValidationError(_("Enter the 6 digits from the e-mail."))
        return code


class LostLinkForm(forms.Form):
    """ "Lost your link?": the address a registration was made with."""

    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(
            attrs={
                "autocomplete": "email",
                "inputmode": "email",
                "autocapitalize": "off",
                "spellcheck": "false",
            }
        ),
    )


class DetailsEditForm(PersonFieldsMixin, forms.ModelForm):
    """The delegate's "Edit my details" page: the registration form's fields and rules, without the e-mail address."""

    class Meta:
        model = Registration
        fields = ["full_name", "job_title", "sector", "phone", "wechat_id", "note"]
        widgets = RegistrationForm.Meta.widgets
        help_texts = RegistrationForm.Meta.help_texts

    def __init__(self, *args, registration: Registration, full_sectors: set[int], sector_changeable: bool, **kwargs):
        super().__init__(*args, instance=registration, **kwargs)
        if sector_changeable:
            sector_field = self.fields["sector"]
            sector_field.queryset = registration.delegation.sectors.all()
            sector_field.empty_label = None
            sector_field.label = _("Your field")
            full = full_sectors - {registration.sector_id}
            sector_field.label_from_instance = lambda sector: (
                _("%(sector)s (full)") % {"sector": sector.local.name} if sector.pk in full else sector.local.name
            )
            if full:
                sector_field.help_text = _("A field marked “full” has no seat left at the moment.")
        else:
            del self.fields["sector"]
        self.add_person_validators()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*(Field(name) for name in self.fields))

    def clean(self):
        cleaned = super().clean()
        self.refuse_control_characters_in(cleaned)
        return cleaned

    def changes(self) -> dict:
        """What the person changed, for ``services.registration_details_change``."""
        return {name: self.cleaned_data[name] for name in self.changed_data}

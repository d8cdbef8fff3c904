"""Forms of seat substitution: the colleague's details (delegate and organizer), the colleague's consent."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from registrations.consent import CONSENT_TEXTS, CONSENT_VERSION
from registrations.core.email_address import email_normalise
from registrations.core.validators import phone_validator, refuse_control_characters
from registrations.forms import RegistrationForm
from registrations.models import Registration

PERSON_FIELDS = ["full_name", "job_title", "email", "phone", "wechat_id"]


class ColleagueForm(forms.ModelForm):
    """The colleague who takes the seat, as the delegate types them on a phone (the company is the seat's)."""

    language = forms.ChoiceField(
        label=_("Their language for e-mails"),
        choices=settings.LANGUAGES,
        help_text=_("The e-mail asking them to accept the seat is written in it."),
    )

    class Meta:
        model = Registration
        fields = PERSON_FIELDS
        widgets = RegistrationForm.Meta.widgets
        labels = {"full_name": _("Colleague's full name"), "email": _("Colleague's e-mail"), "phone": _("Colleague's mobile phone")}
        help_texts = {
            "email": _("We e-mail a link to this address: the seat becomes theirs only when they accept it there."),
            "phone": RegistrationForm.Meta.help_texts["phone"],
            "wechat_id": _("Optional."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].validators.append(phone_validator)

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str):
                try:
                    refuse_control_characters(value)
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def clean_email(self) -> str:
        return email_normalise(self.cleaned_data["email"])

    def _post_clean(self):
        pass  # no model validation: the service checks the seat, the company and the address under the lock

    def new_person(self) -> dict:
        return {name: self.cleaned_data[name] for name in [*PERSON_FIELDS, "language"]}

    error_summary = RegistrationForm.error_summary


class OrganizerColleagueForm(ColleagueForm):
    """The organizer's version: the company is shown and can be corrected, with an explicit override for another one."""

    company = forms.CharField(label=_("Company"), max_length=200)
    allow_other_company = forms.BooleanField(
        label=_("Hand over even though the company name differs"),
        required=False,
        help_text=_(
            "Names are compared ignoring case, spaces, punctuation and “Co., Ltd.”. Tick only when it is the same company under another name."
        ),
    )

    class Meta(ColleagueForm.Meta):
        fields = ["full_name", "job_title", "email", "phone", "wechat_id"]

    field_order = ["full_name", "company", "allow_other_company", "job_title", "email", "phone", "wechat_id", "language"]

    def new_person(self) -> dict:
        return {**super().new_person(), "company": self.cleaned_data["company"]}


class HandoverAcceptForm(forms.Form):
    consent = forms.BooleanField(
        label=CONSENT_TEXTS[CONSENT_VERSION],
        required=True,
        error_messages={"required": _("Please tick this box: the seat can only become yours with your consent.")},
    )

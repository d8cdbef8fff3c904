"""Forms of the delegate's travel documents page (validation only; the services store)."""

import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from registrations.models.travel import NATIONALITIES

# Nationalities of the delegates this app serves; ISO 3166-1 alpha-3 as printed in passports.
LATIN_NAME = re.compile(r"^[A-Z]+(?:[ '\-][A-Z]+)*$")
PASSPORT_NUMBER = re.compile(r"^[A-Z0-9]{5,20}$")


class TravelConsentForm(forms.Form):
    consent = forms.BooleanField(label=_("I agree that my passport details are given to the recipients named above, for the purpose stated."))


class TravelDocumentForm(forms.Form):
    passport_name = forms.CharField(
        label=_("Name exactly as in the passport"),
        max_length=100,
        help_text=_("Latin letters only, as printed in the passport, e.g. ZHANG SAN."),
    )
    passport_number = forms.CharField(label=_("Passport number"), max_length=20)
    nationality = forms.ChoiceField(label=_("Nationality"), choices=[("", "---------"), *NATIONALITIES])
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    passport_expires_on = forms.DateField(label=_("Passport expiry date"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    arrival_flight = forms.CharField(label=_("Arrival flight (optional)"), max_length=20, required=False)
    arrival_at = forms.DateTimeField(
        label=_("Arrival time (optional)"),
        required=False,
        widget=forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"}),
    )
    departure_flight = forms.CharField(label=_("Departure flight (optional)"), max_length=20, required=False)
    departure_at = forms.DateTimeField(
        label=_("Departure time (optional)"),
        required=False,
        widget=forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"}),
    )

    def clean_passport_name(self) -> str:
        name = " ".join(self.cleaned_data["passport_name"].split()).upper()
        if not LATIN_NAME.match(name):
            raise forms.ValidationError(_("Use Latin letters only (A to Z), as printed in the passport."))
        return name

    def clean_passport_number(self) -> str:
        number = self.cleaned_data["passport_number"].replace(" ", "").upper()
        if not PASSPORT_NUMBER.match(number):
            raise forms.ValidationError(_("A passport number has 5 to 20 letters and digits."))
        return number

    def clean_date_of_birth(self) -> date:
        born = self.cleaned_data["date_of_birth"]
        if born >= date.today():
            raise forms.ValidationError(_("The date of birth must be in the past."))
        return born

    def details(self) -> dict:
        """The cleaned values as text, ready to be encrypted."""
        return {name: (value.isoformat() if hasattr(value, "isoformat") else value or "") for name, value in self.cleaned_data.items()}


def passport_expiry_warning(*, expires_on: date | None, trip_ends_on: date) -> bool:
    """True when the passport expires less than six months after the trip ends (entry may be refused)."""
    if expires_on is None:
        return False
    month = trip_ends_on.month + 6
    year = trip_ends_on.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    day = min(trip_ends_on.day, 28 if month == 2 else 30 if month in (4, 6, 9, 11) else 31)
    return expires_on < date(year, month, day)

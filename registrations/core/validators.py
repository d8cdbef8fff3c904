"""Rules for typed text that hold wherever it is typed (public forms, the edit page, admin, services)."""

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()\-]{5,24}$",
    _("Enter a mobile number with country code, for example +86 138 0000 0000."),
)


def refuse_control_characters(value: str, *, allow_newlines: bool = False) -> None:
    allowed = {"\n", "\r", "\t"} if allow_newlines else set()
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in value):
        raise ValidationError(_("Remove the invisible control characters from this field."), code="control_characters")

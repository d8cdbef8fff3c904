"""Rules for typed text that hold wherever it is typed (public forms, the edit page, admin, services)."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()\-]{5,24}$",
    _("Enter a mobile number with country code, for example +86 138 0000 0000."),
)


# Unicode's control characters (category Cc) are exactly U+0000-U+001F and U+007F-U+009F.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_NEWLINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def refuse_control_characters(value: str, *, allow_newlines: bool = False) -> None:
    if (_CONTROL_BUT_NEWLINES if allow_newlines else _CONTROL).search(value):
        raise ValidationError(_("Remove the invisible control characters from this field."), code="control_characters")

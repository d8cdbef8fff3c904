"""E-mail addresses as people type them: one spelling per mailbox.

Mail servers deliver ``"\\a\\l\\i\\c\\e"@Example.com`` to alice@example.com, so quoted local
parts (quotes or backslashes) are refused and the domain is lowercased before an address is
compared (one registration per address) or counted (the per-address rate limit).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_QUOTING = re.compile(r'["\\]')


def validate_plain_email(value: str) -> None:
    """Refuse a local part written with quotes or backslashes (field validator on every e-mail field)."""
    local, _at, _domain = (value or "").strip().rpartition("@")
    if _QUOTING.search(local):
        raise ValidationError(
            _("Write the e-mail address without quotation marks or backslashes, for example name@example.com."),
            code="quoted_email",
        )


def email_normalise(value: str) -> str:
    """The address stripped, its domain lowercased; quoted local parts refused (ValidationError)."""
    value = (value or "").strip()
    validate_plain_email(value)
    local, at, domain = value.rpartition("@")
    return f"{local}{at}{domain.lower()}" if at else value


def email_rate_key(value: str) -> str:
    """What the per-address rate limit counts: lowercased, quotes and backslashes dropped."""
    return _QUOTING.sub("", (value or "").strip()).lower()

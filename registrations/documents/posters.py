"""The words of a printed poster, in one or two languages, without touching the reader's own language.

A poster is bilingual by default (Chinese, then English). Each language's words are produced under
``translation.override``, so previewing a Korean poster never switches the organizer's admin language.
"""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from registrations.core.i18n import localized
from registrations.models import Delegation, Sector

BILINGUAL = "bilingual"
DEFAULT_POSTER = BILINGUAL
POSTER_CHOICES = [(BILINGUAL, gettext_lazy("Chinese + English")), *settings.LANGUAGES]


def poster_languages(choice: str | None) -> list[str]:
    """The languages of a poster choice: ["zh-hans", "en"] for bilingual (the default and any unknown value)."""
    codes = {code for code, _name in settings.LANGUAGES}
    return [choice] if choice in codes else ["zh-hans", "en"]


def poster_texts(*, delegation: Delegation, sectors: list[Sector], language: str) -> dict:
    """Every word of the poster in ``language`` (content in that language, English where it has none)."""
    with translation.override(language):
        closes = delegation.registration_closes_at
        return {
            "language": language,
            "organizer": localized(delegation, "organizer"),
            "title": localized(delegation, "title"),
            "when": f"{localized(delegation, 'city')} · {date_format(delegation.starts_on, 'DATE_FORMAT')} – "
            f"{date_format(delegation.ends_on, 'DATE_FORMAT')}",
            "sectors": [localized(sector, "name") for sector in sectors],
            "seats": ngettext("Limited to %(seats)s seat", "Limited to %(seats)s seats", delegation.seats) % {"seats": delegation.seats},
            "scan": _("Scan to register"),
            "qr_alt": _("QR code to register"),
            "closes": _("Registration closes %(when)s (Korea time).") % {"when": date_format(timezone.localtime(closes), "DATETIME_FORMAT")}
            if closes
            else "",
        }

"""The consent text people agree to, versioned. Each registration records the version and the
exact words it was shown (in the language it was shown in).

To change the wording: add a new version below, point CONSENT_VERSION at it, and keep the old
ones so that what earlier registrants agreed to can still be read.
"""

from django.utils.translation import gettext_lazy as _

CONSENT_TEXTS = {
    "2027-01": _("I agree that the organizers store and use these details to run this delegation."),
}
CONSENT_VERSION = "2027-01"


def consent_text(version: str = CONSENT_VERSION) -> str:
    """The consent text of ``version`` in the active language."""
    return str(CONSENT_TEXTS[version])

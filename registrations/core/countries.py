"""Countries and regions (ISO 3166-1 alpha-2) with their names in the site's languages.

Names come from the Unicode CLDR data shipped with Babel; the codes are stored (``"CN"``), names are
shown in the reader's language. Hong Kong, Macao and Taiwan are named as in the travel documents form.
"""

from functools import lru_cache

from babel import Locale
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from registrations.core.i18n import supported_language

# The 249 codes of ISO 3166-1.
CODES = tuple(
    """
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO
JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR
MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO
RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV
TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
""".split()
)
# Listed first: where the delegates and their hosts come from.
FIRST = ("CN", "HK", "MO", "TW", "KR")
OWN_NAMES = {"HK": _("Hong Kong, China"), "MO": _("Macao, China"), "TW": _("Taiwan, China")}
BABEL_LOCALES = {"en": "en", "zh-hans": "zh_Hans", "ko": "ko"}


@lru_cache(maxsize=8)
def _cldr_names(language: str) -> dict[str, str]:
    return dict(Locale.parse(BABEL_LOCALES.get(language, "en")).territories)


def country_name(code: str, language: str | None = None) -> str:
    """The name of a country code in ``language`` (default: the active one); the code itself when unknown."""
    if code in OWN_NAMES:
        return str(OWN_NAMES[code])
    return _cldr_names(supported_language(language or get_language())).get(code, code)


def country_choices() -> list[tuple[str, str]]:
    """(code, name) for every country, in the active language: the delegates' and hosts' first, then by name."""
    rest = sorted((code for code in CODES if code not in FIRST), key=lambda code: country_name(code))
    return [(code, country_name(code)) for code in (*FIRST, *rest)]

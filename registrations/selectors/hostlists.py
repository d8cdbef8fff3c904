"""Reads of host lists: a link's list by its token, the one table behind its page and downloads, a visit's versions.

``host_list_table`` is the single source of what a host sees: the page, the XLSX file and any
printed form (PDF) are drawn from its ``(columns, rows)``, each column titled in English and Korean.
"""

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from registrations.core.tokens import token_is_well_formed, token_matches
from registrations.models import ItineraryItem
from registrations.models.hostlists import HostList, HostListRow
from registrations.models.travel import NATIONALITIES

HOST_LANGUAGES = ("en", "ko")  # hosts are Korean companies: English, with Korean beside it
NUMBER_LABEL = _("No.")


def in_host_languages(text) -> tuple[str, str]:
    """A (lazy) text in English and in Korean, whatever the reader's or organizer's language."""
    words = []
    for language in HOST_LANGUAGES:
        with translation.override(language):
            words.append(str(text))
    return words[0], words[1]


@dataclass(frozen=True)
class HostListTable:
    columns: list[tuple[str, str]]  # (English, Korean) title of each column
    rows: list[list]  # the number (int), then text

    def header(self) -> list[str]:
        """One line per column title for a spreadsheet: "Company / 회사"."""
        return [english if english == korean else f"{english} / {korean}" for english, korean in self.columns]

    def labelled_rows(self) -> list[list[tuple[str, object]]]:
        """Each row as (English column title, value) pairs: phones show each value under its title."""
        return [[(english, cell) for (english, _korean), cell in zip(self.columns, row, strict=True)] for row in self.rows]


def _display(key: str, value: str) -> str:
    if key == "nationality" and value:
        names = dict(NATIONALITIES)
        with translation.override("en"):
            return f"{names[value]} ({value})" if value in names else value
    return value or ""


def host_list_table(*, host_list: HostList) -> HostListTable:
    """The frozen list as the host gets it: a number, then the chosen columns, one row per visitor."""
    keys = [field.key for field in host_list.columns]
    columns = [in_host_languages(NUMBER_LABEL), *(in_host_languages(field.label) for field in host_list.columns)]
    rows = []
    for row in HostListRow.objects.filter(host_list=host_list).order_by("position"):
        cells = row.cells()
        rows.append([row.position, *(_display(key, cells.get(key, "")) for key in keys)])
    return HostListTable(columns=columns, rows=rows)


def host_list_by_token(*, token: str) -> HostList | None:
    """The host list behind a link (open or not: the caller tells the host which), or None for an unknown token."""
    if not token_is_well_formed(token):
        return None
    host_list = HostList.objects.select_related("visit__delegation").filter(token=token).first()
    return host_list if host_list is not None and token_matches(host_list.token, token) else None


def host_lists_of_visit(*, visit: ItineraryItem) -> QuerySet[HostList]:
    """The visit's frozen versions, newest first, each with row_count and access_count (one query)."""
    return (
        HostList.objects.filter(visit=visit)
        .annotate(row_count=Count("rows", distinct=True), access_count=Count("accesses", distinct=True))
        .order_by("-version")
    )


def host_list_state(host_list: HostList, now=None) -> str:
    """ "open", "withdrawn" or "expired"."""
    if host_list.withdrawn_at is not None:
        return "withdrawn"
    return "open" if host_list.expires_at > (now or timezone.now()) else "expired"

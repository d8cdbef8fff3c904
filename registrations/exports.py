"""Spreadsheet exports. Cells that a spreadsheet would run as a formula are neutralised."""

import csv
import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Registration

# A cell starting with one of these is a formula in Excel, LibreOffice and Google Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def spreadsheet_safe(value: object) -> str:
    """The cell's text, with a leading apostrophe when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def _columns() -> list[tuple[str, object]]:
    return [
        (_("Delegation"), lambda r: r.delegation.title),
        (_("Status"), lambda r: r.get_status_display()),
        (_("Waiting-list position"), lambda r: r.waitlist_position or ""),
        (_("Full name"), lambda r: r.full_name),
        (_("Company"), lambda r: r.company),
        (_("Job title"), lambda r: r.job_title),
        (_("Field"), lambda r: r.sector.name),
        (_("E-mail"), lambda r: r.email),
        (_("Mobile phone"), lambda r: r.phone),
        (_("WeChat ID"), lambda r: r.wechat_id),
        (_("Note"), lambda r: r.note),
        (_("Source"), lambda r: r.source),
        (_("Registered at"), lambda r: timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M")),
    ]


def registrations_csv(registrations: Iterable[Registration]) -> str:
    """CSV of the registrations (select_related delegation and sector), every cell spreadsheet-safe."""
    columns = _columns()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([title for title, _value in columns])
    for registration in registrations:
        writer.writerow([spreadsheet_safe(value(registration)) for _title, value in columns])
    return out.getvalue()

"""Spreadsheet downloads for organizers (CSV and XLSX), safe to open in Excel, WPS or LibreOffice.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab / carriage return, which
some spreadsheets skip before looking) is read as a formula: a registrant could type
``=HYPERLINK(...)`` as their company name. ``csv_safe`` prefixes such text with an
apostrophe (the OWASP advice), so the cell shows as text. Numbers are left alone.
CSV files start with a UTF-8 byte-order mark so that spreadsheets read Chinese and
Korean names correctly.
"""

import csv
import io
from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from .models import Registration

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_safe(value: Any) -> Any:
    """The value as a spreadsheet will show it: text starting like a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_response(*, filename: str, header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> HttpResponse:
    """A CSV attachment (UTF-8 with BOM) with every cell passed through ``csv_safe``."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([csv_safe(cell) for cell in header])
    for row in rows:
        writer.writerow([csv_safe(cell) for cell in row])
    return response


def local_time_text(value) -> str:
    """A moment as Korea time, "2027-04-13 09:30", for spreadsheet cells."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


REGISTRATION_COLUMNS: list[tuple[str, Callable[[Registration], object]]] = [
    (_("Full name"), lambda r: r.full_name),
    (_("Company"), lambda r: r.company),
    (_("Job title"), lambda r: r.job_title),
    (_("Field"), lambda r: r.sector.name),
    (_("E-mail"), lambda r: r.email),
    (_("Mobile phone"), lambda r: r.phone),
    (_("WeChat ID"), lambda r: r.wechat_id),
    (_("Status"), lambda r: r.get_status_display()),
    (_("Waiting-list position"), lambda r: r.waitlist_position or ""),
    (_("Site visits"), lambda r: "; ".join(
        f"{b.visit.title} ({b.get_status_display()})" for b in r.visit_bookings.all()
    )),
    (_("Source"), lambda r: r.source),
    (_("Note"), lambda r: r.note),
    (_("Delegation"), lambda r: r.delegation.title),
    (_("Registered at"), lambda r: local_time_text(r.created_at)),
    (_("Status changed at"), lambda r: local_time_text(r.status_changed_at)),
]


def registration_table(registrations: Iterable[Registration]) -> tuple[list[str], Iterable[list]]:
    """The header and one row per registration, for CSV or XLSX."""
    header = [str(title) for title, _getter in REGISTRATION_COLUMNS]
    return header, ([getter(r) for _title, getter in REGISTRATION_COLUMNS] for r in registrations)


def xlsx_response(*, filename: str, header: Iterable, rows: Iterable[Iterable]) -> HttpResponse:
    """An Excel workbook; text that starts like a formula is neutralised as in CSV."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([csv_safe(cell) for cell in header])
    for row in rows:
        sheet.append([csv_safe(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response

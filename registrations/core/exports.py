"""Spreadsheet downloads for organizers (CSV and XLSX), safe to open in Excel, WPS or LibreOffice.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab / carriage return, which
some spreadsheets skip before looking) is read as a formula: a registrant could type
``=HYPERLINK(...)`` as their company name. ``csv_safe`` prefixes such text with an
apostrophe (the OWASP advice), so the cell shows as text. Numbers are left alone.
CSV files start with a UTF-8 byte-order mark so that spreadsheets read Chinese and
Korean names correctly.

XLSX needs no apostrophe: every text is written as a string cell, which a spreadsheet never runs
as a formula, so a phone number "+86 138..." reads as typed. Moments are real date cells in
local time (the time zone is named in the header); the header row is frozen and columns are
sized to their content. Every value is in the active language (translated names of fields,
visits and the delegation).
"""

import csv
import io
import unicodedata
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from registrations.models import Registration
from registrations.models.questions import Question

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_safe(value: Any) -> Any:
    """The value as a spreadsheet will show it: text starting like a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return local_time_text(value)
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


class Moment:
    """A column title whose cells are moments: the header names the time zone they are shown in."""

    def __init__(self, title):
        self.title = title


REGISTRATION_COLUMNS: list[tuple[Any, Callable[[Registration], object]]] = [
    (_("Full name"), lambda r: r.full_name),
    (_("Company"), lambda r: r.company),
    (_("Job title"), lambda r: r.job_title),
    (_("Field"), lambda r: r.sector.local.name),
    (_("E-mail"), lambda r: r.email),
    (_("Mobile phone"), lambda r: r.phone),
    (_("WeChat ID"), lambda r: r.wechat_id),
    (_("Status"), lambda r: r.get_status_display()),
    (_("Waiting-list position"), lambda r: r.waitlist_position or ""),
    (_("Site visits"), lambda r: "; ".join(f"{b.visit.local.title} ({b.get_status_display()})" for b in r.visit_bookings.all())),
    (_("Source"), lambda r: r.source),
    (_("Language"), lambda r: r.get_language_display()),
    (_("Note"), lambda r: r.note),
    (_("Delegation"), lambda r: r.delegation.local.title),
    (Moment(_("Registered at")), lambda r: r.created_at),
    (Moment(_("Status changed at")), lambda r: r.status_changed_at),
]


def _header(title) -> str:
    if isinstance(title, Moment):
        return f"{title.title} ({timezone.get_current_timezone_name()})"
    return str(title)


def registration_table(registrations: Iterable[Registration]) -> tuple[list[str], Iterable[list]]:
    """The header and one row per registration, for CSV or XLSX (moments as datetimes), then one column per question asked."""
    registrations = list(registrations)
    questions = list(Question.objects.filter(delegation__in={r.delegation_id for r in registrations}).order_by("delegation", "order", "pk"))
    header = [_header(title) for title, _getter in REGISTRATION_COLUMNS] + [question.local.text for question in questions]
    return header, ([getter(r) for _title, getter in REGISTRATION_COLUMNS] + _answer_cells(r, questions) for r in registrations)


def _answer_cells(registration: Registration, questions: list[Question]) -> list[str]:
    """The registration's answers as people read them (answers prefetched), blank where none or another delegation's."""
    values = {answer.question_id: answer.value for answer in registration.answers.all()}
    return [question.answer_text(values.get(question.pk, "")) for question in questions]


def _display_width(value: Any) -> int:
    """Roughly how many characters wide a value shows: Chinese and Korean characters count twice."""
    if isinstance(value, datetime):
        return 16
    text = str(value) if value is not None else ""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _xlsx_value(value: Any) -> Any:
    """A cell value for openpyxl: local naive datetimes, text without control characters, blanks as empty."""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def xlsx_response(*, filename: str, header: Iterable, rows: Iterable[Iterable]) -> HttpResponse:
    """An Excel workbook: text as string cells (never a formula), dates as date cells, header frozen, columns sized."""
    workbook = Workbook()
    sheet = workbook.active
    header = [str(cell) for cell in header]
    sheet.append(header)
    widths = [_display_width(title) for title in header]
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column, value=None)
            cell.value = _xlsx_value(value)
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would take "=..." for a formula: a string cell never runs
            elif isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            widths[column - 1] = max(widths[column - 1], _display_width(value))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 8), 50)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def file_response(*, filename: str, content_type: str, content: bytes) -> HttpResponse:
    """A generated file (PDF, ZIP) as an attachment, never kept by a cache (it may carry passport details)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response

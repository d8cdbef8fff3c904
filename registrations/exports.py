"""Registrations as CSV and XLSX files for organizers. Cells are neutralised against formula injection."""

import csv
import io
from collections.abc import Callable, Iterable

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from .models import Registration

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _when(value) -> str:
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
    (_("Source"), lambda r: r.source),
    (_("Note"), lambda r: r.note),
    (_("Delegation"), lambda r: r.delegation.title),
    (_("Registered at"), lambda r: _when(r.created_at)),
    (_("Status changed at"), lambda r: _when(r.status_changed_at)),
]


def table(rows: Iterable, columns: list[tuple[str, Callable]]) -> Iterable[list]:
    """The header, then one neutralised row per object."""
    yield [str(header) for header, _getter in columns]
    for row in rows:
        yield [safe_cell(getter(row)) for _header, getter in columns]


def csv_response(rows: Iterable[list], filename: str) -> HttpResponse:
    """UTF-8 with a byte-order mark, so Excel opens Chinese and Korean names correctly."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")
    csv.writer(response).writerows(rows)
    return response


def xlsx_response(rows: Iterable[list], filename: str) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response

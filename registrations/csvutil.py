"""CSV downloads that are safe to open in Excel, WPS or LibreOffice.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab / carriage return, which
some spreadsheets skip before looking) is read as a formula: a registrant could type
``=HYPERLINK(...)`` as their company name. ``csv_safe`` prefixes such text with an
apostrophe (the OWASP advice), so the cell shows as text. Numbers are left alone.
The file starts with a UTF-8 byte-order mark so that spreadsheets read Chinese and
Korean names correctly.
"""

import csv
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


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

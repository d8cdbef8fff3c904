import csv
import io

import pytest

from registrations.core.exports import csv_response, csv_safe


@pytest.mark.parametrize(
    "value, expected",
    [
        ('=HYPERLINK("http://evil","click")', '\'=HYPERLINK("http://evil","click")'),
        ("+86 138 0000 0000", "'+86 138 0000 0000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Samsung Biologics", "Samsung Biologics"),
        ("王小明", "王小明"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (-5, -5),
        (3.5, 3.5),
    ],
)
def test_csv_safe_neutralises_formula_prefixes_only(value, expected):
    assert csv_safe(value) == expected


def test_csv_response_is_an_excel_friendly_attachment():
    response = csv_response(
        filename="visit-1-attendees.csv", header=["Name", "Company"], rows=[["王小明", "=cmd|' /C calc'!A0"], ["Kim", "CJ Logistics"]]
    )

    body = response.content.decode("utf-8")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="visit-1-attendees.csv"'
    assert body.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(body.lstrip("\ufeff")))) == [["Name", "Company"], ["王小明", "'=cmd|' /C calc'!A0"], ["Kim", "CJ Logistics"]]

"""The XLSX export read back with openpyxl: text cells without apostrophes, real dates, frozen header,
widths, a language column, and every value in the admin's language."""

import csv
import io
from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from registrations import services
from tests.admin_forms import form_with
from tests.trip_helpers import apply, make_trip


def export(client, action, registrations, language=None):
    """Tick the rows on the changelist and run the export action, sending the whole changelist form."""
    if language:
        client.cookies["django_language"] = language
    url = reverse("admin:registrations_registration_changelist")
    form = form_with(client.get(url).content.decode(), form_id="changelist-form")
    data = form.data(action=action)
    data["_selected_action"] = [str(r.pk) for r in registrations]
    return client.post(url, data)


def sheet_of(response):
    return load_workbook(io.BytesIO(response.content)).active


def test_xlsx_phone_and_formula_like_text_are_plain_text_cells(admin_client, db):
    trip = make_trip(seats=5)
    person = apply(trip, phone="+86 138 0000 0000", company='=HYPERLINK("http://evil")')

    sheet = sheet_of(export(admin_client, "export_xlsx", [person]))

    phone, company = sheet.cell(row=2, column=6), sheet.cell(row=2, column=2)
    assert (phone.value, phone.data_type) == ("+86 138 0000 0000", "s")
    assert (company.value, company.data_type) == ('=HYPERLINK("http://evil")', "s")


def test_csv_stays_formula_safe(admin_client, db):
    person = apply(make_trip(seats=5), phone="+86 138 0000 0000")

    response = export(admin_client, "export_csv", [person])

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][5] == "'+86 138 0000 0000"
    assert rows[0][-2:] == ["Registered at (Asia/Seoul)", "Status changed at (Asia/Seoul)"]


def test_xlsx_dates_are_date_cells_with_the_time_zone_in_the_header(admin_client, db):
    person = apply(make_trip(seats=5))

    sheet = sheet_of(export(admin_client, "export_xlsx", [person]))

    header = [cell.value for cell in sheet[1]]
    column = header.index("Registered at (Asia/Seoul)") + 1
    cell = sheet.cell(row=2, column=column)
    expected = timezone.localtime(person.created_at).replace(tzinfo=None, second=0, microsecond=0)
    assert isinstance(cell.value, datetime) and cell.is_date
    assert cell.value.replace(second=0, microsecond=0) == expected
    assert cell.number_format == "yyyy-mm-dd hh:mm"


def test_xlsx_header_is_frozen_and_columns_are_sized(admin_client, db):
    person = apply(make_trip(seats=5), company="A company with a rather long name, Ltd.", note="")

    sheet = sheet_of(export(admin_client, "export_xlsx", [person]))

    assert sheet.freeze_panes == "A2"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABH"}
    assert widths == {"A": len(person.full_name) + 2, "B": 41, "H": 11}  # the widest value + 2


def test_xlsx_has_a_language_column(admin_client, db):
    person = apply(make_trip(seats=5), language="ko")

    sheet = sheet_of(export(admin_client, "export_xlsx", [person]))

    header = [cell.value for cell in sheet[1]]
    assert sheet.cell(row=2, column=header.index("Language") + 1).value == "Korean"


def test_xlsx_in_chinese_names_fields_visits_and_delegation_in_chinese(admin_client, db):
    trip = make_trip(seats=5)
    person = apply(trip)
    services.visit_join(registration=person, visits=[trip.itinerary.get()])

    sheet = sheet_of(export(admin_client, "export_xlsx", [person], language="zh-hans"))

    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert header[:4] == ["姓名", "公司", "职务", "领域"]
    assert row["领域"] == "生物技术"
    assert row["代表团"] == trip.title_zh_hans
    assert row["状态"] == "已确认"
    assert row["参访"] == "松岛生物园 (已预约)"
    assert row["语言"] == "英语"
    assert header[-2:] == ["报名时间 (Asia/Seoul)", "状态变更时间 (Asia/Seoul)"]

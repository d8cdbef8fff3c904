"""Arrivals and departures: grouping into Korea-time windows with exact counts, the admin page, downloads, permission, access log."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from registrations.models.travel import TravelDocumentAccess
from registrations.selectors.arrivals import travel_movements, window_label
from tests.conftest import submit
from tests.helpers import trip_time
from tests.hostlist_helpers import delegate_with_passport, staff, trip

pytestmark = pytest.mark.django_db


@pytest.fixture
def delegation():
    return trip()


@pytest.fixture
def travellers(delegation):
    day = lambda hour, minute=0: trip_time(0, hour, minute).isoformat()  # noqa: E731
    return [
        delegate_with_passport(
            delegation,
            full_name="Alpha",
            passport_name="ALPHA",
            passport_number="E10000001",
            arrival_flight="OZ334",
            arrival_at=day(8, 5),
            departure_flight="OZ333",
            departure_at=trip_time(3, 18).isoformat(),
        ),
        delegate_with_passport(
            delegation, full_name="Bravo", passport_name="BRAVO", passport_number="E10000002", arrival_flight="KE850", arrival_at=day(9, 55)
        ),
        delegate_with_passport(
            delegation, full_name="Charlie", passport_name="CHARLIE", passport_number="E10000003", arrival_flight="MU5041", arrival_at=day(10, 0)
        ),
        delegate_with_passport(
            delegation,
            full_name="Delta",
            passport_name="DELTA",
            passport_number="E10000004",
            arrival_flight="CA123",
            arrival_at=trip_time(0, 23, 40).astimezone().isoformat(),
        ),
        submit(delegation, full_name="Echo"),  # no travel documents yet
    ]


def summary(movements):
    return [(window_label(window), [t.full_name for t in window.travellers]) for window in movements.windows]


def test_arrivals_grouped_in_two_hour_windows_korea_time(delegation, travellers):
    read, (arrivals, departures) = travel_movements(delegation=delegation, hours=2)

    day = trip_time(0).strftime("%Y-%m-%d")
    assert summary(arrivals) == [
        (f"{day} 08:00–10:00", ["Alpha", "Bravo"]),
        (f"{day} 10:00–12:00", ["Charlie"]),
        (f"{day} 22:00–24:00", ["Delta"]),
    ]
    assert [window.count for window in arrivals.windows] == [2, 1, 1] and arrivals.count == 4
    assert [t.full_name for t in arrivals.unknown] == ["Echo"]
    assert summary(departures) == [(f"{trip_time(3).strftime('%Y-%m-%d')} 18:00–20:00", ["Alpha"])]
    assert [t.full_name for t in departures.unknown] == ["Bravo", "Charlie", "Delta", "Echo"]
    assert read == sorted(person.pk for person in travellers[:4])


def test_arrivals_window_size_is_configurable(delegation, travellers):
    _read, (arrivals, _departures) = travel_movements(delegation=delegation, hours=6)

    day = trip_time(0).strftime("%Y-%m-%d")
    assert summary(arrivals) == [(f"{day} 06:00–12:00", ["Alpha", "Bravo", "Charlie"]), (f"{day} 18:00–24:00", ["Delta"])]


def test_arrivals_page_needs_the_travel_document_permission(client, delegation, travellers):
    client.force_login(staff("view_registration", "view_delegation", "view_hostlist"))

    response = client.get(reverse("admin:registrations_traveldocument_arrivals", args=[delegation.pk]))

    assert response.status_code == 403
    assert not TravelDocumentAccess.objects.exists()


def test_arrivals_page_and_downloads_show_counts_and_are_logged(client, delegation, travellers):
    client.force_login(staff("view_travel_documents"))
    url = reverse("admin:registrations_traveldocument_arrivals", args=[delegation.pk])

    page = client.get(url, {"hours": "2"})
    xlsx = client.get(url, {"hours": "6", "format": "xlsx"})
    csv = client.get(url, {"hours": "bogus", "format": "csv"})

    html = page.content.decode()
    assert page.status_code == 200 and "OZ334" in html and "Arrivals (4)" in html and "Departures (1)" in html
    assert {"private", "no-store"} <= set(page["Cache-Control"].split(", "))
    rows = [[cell.value for cell in row] for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows()]
    day = trip_time(0).strftime("%Y-%m-%d")
    assert rows[0] == [
        "Direction",
        "Window (Korea time)",
        "People in the window",
        "Full name",
        "Company",
        "Mobile phone",
        "Flight",
        "Time (Korea time)",
    ]
    assert [row[:4] for row in rows[1:6]] == [
        ["Arrival", f"{day} 06:00–12:00", 3, "Alpha"],
        ["Arrival", f"{day} 06:00–12:00", 3, "Bravo"],
        ["Arrival", f"{day} 06:00–12:00", 3, "Charlie"],
        ["Arrival", f"{day} 18:00–24:00", 1, "Delta"],
        ["Arrival", "No time given", 1, "Echo"],
    ]
    assert len(rows) == 1 + 5 + 5
    assert f"Arrival,{day} 08:00–10:00,2,Alpha" in csv.content.decode("utf-8-sig")  # an unknown window size: 2 hours
    ids = ",".join(str(person.pk) for person in travellers[:4])
    log = list(TravelDocumentAccess.objects.order_by("pk").values_list("action", "registration_ids"))
    assert log == [("arrivals", ids), ("arrivals_xlsx", ids), ("arrivals_csv", ids)]

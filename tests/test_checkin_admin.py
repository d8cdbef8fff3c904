"""Check-in in admin: attendance per visit, CSV, manual check-in, undo, code rotation."""

import csv
import io

from django.urls import reverse

from registrations import services
from registrations.models import CheckIn
from tests.conftest import submit
from tests.test_checkin import people, staff, visits  # noqa: F401  (fixtures)

# --- Admin --------------------------------------------------------------------------------


def test_attendance_page_shows_checked_in_and_missing(admin_client, people, staff):
    opening = visits(people[0].delegation)[0]
    services.checkin_record(registration=people[0], item=opening, by=staff)

    page = admin_client.get(reverse("admin:registrations_checkin_attendance_item", args=[opening.pk])).content.decode()
    overview = admin_client.get(reverse("admin:registrations_checkin_attendance")).content.decode()

    assert "1 checked in / 2 expected" in page
    missing = page.split("Missing (1)")[1].split("Checked in (1)")[0]
    assert people[1].full_name in missing and "王小明" not in missing and people[2].full_name not in page
    assert "<td>1 / 2</td>" in overview and "<td>0 / 2</td>" in overview


def test_attendance_csv_lists_present_then_missing(admin_client, people, staff):
    opening = visits(people[0].delegation)[0]
    services.checkin_record(registration=people[0], item=opening, by=staff)

    response = admin_client.get(reverse("admin:registrations_checkin_attendance_csv", args=[opening.pk]))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert rows[0][:3] == ["Checked in", "Name", "Company"]
    assert [(row[0], row[1], row[8]) for row in rows[1:]] == [("yes", "王小明", "Minji Kim"), ("no", people[1].full_name, "")]


def test_attendance_csv_neutralises_formulas(admin_client, delegation, staff):
    submit(delegation, full_name='=HYPERLINK("http://x")')

    response = admin_client.get(reverse("admin:registrations_checkin_attendance_csv", args=[visits(delegation)[0].pk]))

    assert list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1][1].startswith("'=")


def test_attendance_manual_checkin_for_someone_without_a_phone(admin_client, people, admin_user):
    opening = visits(people[0].delegation)[0]

    response = admin_client.post(
        reverse("admin:registrations_checkin_attendance_item", args=[opening.pk]), {"registration": people[1].pk}, follow=True
    )
    refused = admin_client.post(
        reverse("admin:registrations_checkin_attendance_item", args=[opening.pk]), {"registration": people[2].pk}, follow=True
    )

    assert f"{people[1].full_name} is checked in." in response.content.decode()
    assert "Choose a person on the list." in refused.content.decode()  # not on the list: no details
    assert people[2].full_name not in refused.content.decode()
    assert list(CheckIn.objects.values_list("registration", "checked_in_by")) == [(people[1].pk, admin_user.pk)]


def test_admin_undo_action_keeps_the_record(admin_client, people, staff, admin_user):
    checkin, _ = services.checkin_record(registration=people[0], item=visits(people[0].delegation)[0], by=staff)

    response = admin_client.post(
        reverse("admin:registrations_checkin_changelist"), {"action": "undo_selected", "_selected_action": [checkin.pk]}, follow=True
    )

    checkin.refresh_from_db()
    assert "Undid 1 check-in." in response.content.decode()
    assert checkin.undone_by == admin_user
    assert CheckIn.objects.count() == 1


def test_admin_rotate_action_issues_new_codes(admin_client, people):
    old = people[0].checkin_code

    response = admin_client.post(
        reverse("admin:registrations_registration_changelist"), {"action": "rotate_checkin_codes", "_selected_action": [people[0].pk]}, follow=True
    )

    people[0].refresh_from_db()
    assert "Issued a new check-in code for 1 registration." in response.content.decode()
    assert people[0].checkin_code != old and len(people[0].checkin_code) == 43


def test_delegation_page_shows_attendance_per_visit(admin_client, people):
    page = admin_client.get(reverse("admin:registrations_delegation_change", args=[people[0].delegation.pk])).content.decode()

    assert "attendance per visit" in page.lower()
    assert reverse("admin:registrations_checkin_attendance_item", args=[visits(people[0].delegation)[0].pk]) in page

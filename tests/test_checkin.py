"""On-site check-in: the rule, the staff page, the registrant's QR code, permissions, admin."""

import logging
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from registrations import services
from registrations.models import CheckIn, ItineraryItem, Registration
from registrations.selectors import attendance, links
from tests.conftest import make_delegation, submit
from tests.test_qr import decode_png

Status = Registration.Status
SITE = "https://delegation.example.org"


def checkin_staff(username: str = "gate1"):
    """A staff member (admin login) with only the check-in permission."""
    user = get_user_model().objects.create_user(username, password="pw-for-tests-only", is_staff=True, first_name="Minji", last_name="Kim")
    user.user_permissions.add(Permission.objects.get(codename="check_in", content_type__app_label="registrations"))
    return user


@pytest.fixture
def staff(db):
    return checkin_staff()


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def people(delegation):
    """Two confirmed (the delegation has 2 seats) and one waitlisted registration."""
    return submit(delegation, full_name="王小明", company="Weihai Smart Logistics"), submit(delegation), submit(delegation)


def visits(delegation) -> list[ItineraryItem]:
    return list(delegation.itinerary.order_by("starts_at"))


def checkin_path(registration: Registration) -> str:
    return reverse("registrations:checkin", kwargs={"code": registration.checkin_code})


# --- The code ---------------------------------------------------------------------------


def test_checkin_code_is_random_and_not_the_private_token(people):
    codes = [r.checkin_code for r in people]

    assert all(len(code) == 43 for code in codes)  # 256 bits, URL-safe
    assert len(set(codes)) == 3
    assert all(r.checkin_code != r.token for r in people)


def test_checkin_code_does_not_open_the_private_page(client, people):
    assert client.get(f"/r/{people[0].checkin_code}/").status_code == 404


def test_checkin_code_rotate_invalidates_the_old_code(staff_client, people):
    registration = people[0]
    old_path = checkin_path(registration)

    services.checkin_code_rotate(registration=registration)

    assert staff_client.get(old_path).status_code == 404
    assert staff_client.get(checkin_path(registration)).status_code == 200


@override_settings(SITE_URL=SITE)
def test_links_checkin_url_is_absolute_under_site_url(people):
    assert links.checkin_url(people[0]) == f"{SITE}/c/{people[0].checkin_code}/"


# --- The rule and the record ------------------------------------------------------------


def test_checkin_refusal_reason_allows_confirmed_only(people):
    confirmed, _, waitlisted = people
    item = visits(confirmed.delegation)[0]

    assert services.checkin_refusal_reason(registration=confirmed, item=item) is None
    assert services.checkin_refusal_reason(registration=waitlisted, item=item) == (
        "Not checked in: this registration is “On the waiting list”. Only confirmed delegates can be checked in."
    )


def test_checkin_refusal_reason_refuses_another_delegations_visit(people):
    other_item = visits(make_delegation())[0]

    assert services.checkin_refusal_reason(registration=people[0], item=other_item) == ("Not checked in: this visit belongs to another delegation.")


def test_checkin_record_second_time_returns_the_first_unchanged(people, staff):
    item = visits(people[0].delegation)[0]
    first, created = services.checkin_record(registration=people[0], item=item, by=staff)

    again, created_again = services.checkin_record(registration=people[0], item=item, by=checkin_staff("gate2"))

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk and again.checked_in_by == staff
    assert CheckIn.objects.count() == 1


def test_checkin_record_is_per_visit(people, staff):
    opening, songdo = visits(people[0].delegation)

    services.checkin_record(registration=people[0], item=opening, by=staff)

    assert list(CheckIn.objects.values_list("item", flat=True)) == [opening.pk]
    assert attendance.active_checkins(registration=people[0]).keys() == {opening.pk}
    _, created = services.checkin_record(registration=people[0], item=songdo, by=staff)
    assert created is True


def test_checkin_record_refuses_cancelled(people, staff):
    registration = services.registration_cancel(registration=people[0])

    with pytest.raises(ValidationError) as error:
        services.checkin_record(registration=registration, item=visits(registration.delegation)[0], by=staff)

    assert "“Cancelled”" in error.value.messages[0]
    assert CheckIn.objects.count() == 0


def test_checkin_undo_keeps_the_row_and_allows_a_new_checkin(people, staff):
    item = visits(people[0].delegation)[0]
    checkin, _ = services.checkin_record(registration=people[0], item=item, by=staff)

    services.checkin_undo(checkin=checkin, by=staff)
    again, created = services.checkin_record(registration=people[0], item=item, by=staff)

    checkin.refresh_from_db()
    assert checkin.undone_by == staff and checkin.undone_at is not None
    assert created is True and again.pk != checkin.pk
    with pytest.raises(ValidationError):
        services.checkin_undo(checkin=checkin, by=staff)


def test_itinerary_item_now_prefers_the_visit_under_way_then_the_next(delegation):
    opening, songdo = visits(delegation)

    assert attendance.itinerary_item_now(delegation=delegation, now=opening.starts_at - timedelta(days=3)) == opening
    assert attendance.itinerary_item_now(delegation=delegation, now=opening.starts_at - timedelta(minutes=30)) == opening
    assert attendance.itinerary_item_now(delegation=delegation, now=opening.ends_at + timedelta(minutes=1)) == songdo
    assert attendance.itinerary_item_now(delegation=delegation, now=songdo.starts_at + timedelta(hours=1)) == songdo
    assert attendance.itinerary_item_now(delegation=delegation, now=songdo.ends_at + timedelta(days=1)) == songdo


# --- The staff page ---------------------------------------------------------------------


def test_staff_page_shows_the_person_and_the_button(staff_client, people):
    response = staff_client.get(checkin_path(people[0]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "王小明" in page and "Weihai Smart Logistics" in page and "Biotechnology" in page and "Confirmed" in page
    assert "Check in for Opening" in page
    assert response["Cache-Control"].startswith("private") or "no-store" in response["Cache-Control"]


def test_staff_page_defaults_to_the_visit_happening_now(staff_client, db):
    delegation = make_delegation()
    now = timezone.now()
    ItineraryItem.objects.create(
        delegation=delegation, title="Bus to Yeongjong", starts_at=now - timedelta(minutes=20), ends_at=now + timedelta(hours=2)
    )
    registration = submit(delegation)

    page = staff_client.get(checkin_path(registration)).content.decode()

    assert "Check in for Bus to Yeongjong" in page


def test_staff_checks_in_and_a_second_scan_says_when_and_by_whom(staff_client, people):
    item = visits(people[0].delegation)[1]
    path = checkin_path(people[0])

    first = staff_client.post(path, {"visit": item.pk}, follow=True)
    second = staff_client.post(path, {"visit": item.pk}, follow=True)

    checkin = CheckIn.objects.get()
    when = timezone.localtime(checkin.checked_in_at).strftime("%H:%M")
    assert (checkin.registration, checkin.item) == (people[0], item)
    assert "Checked in for Songdo Bio Industrial Park at" in first.content.decode()
    assert "Already checked in for Songdo Bio Industrial Park at" in second.content.decode()
    assert f"{when} (Korea time) by Minji Kim. Nothing changed." in second.content.decode()
    assert "Check in for Songdo Bio Industrial Park" not in second.content.decode()
    assert CheckIn.objects.count() == 1


def test_staff_page_per_visit_separation(staff_client, people):
    opening, songdo = visits(people[0].delegation)
    staff_client.post(checkin_path(people[0]), {"visit": opening.pk})

    page = staff_client.get(checkin_path(people[0]) + f"?visit={songdo.pk}").content.decode()

    assert "Check in for Songdo Bio Industrial Park" in page
    assert CheckIn.objects.filter(item=songdo).count() == 0


def test_staff_page_refuses_a_waitlisted_person_with_the_reason(staff_client, people):
    waitlisted = people[2]
    item = visits(waitlisted.delegation)[0]

    page = staff_client.get(checkin_path(waitlisted)).content.decode()
    response = staff_client.post(checkin_path(waitlisted), {"visit": item.pk}, follow=True)

    reason = "Only confirmed delegates can be checked in."
    assert reason in page and "Check in for" not in page
    assert reason in response.content.decode()
    assert CheckIn.objects.count() == 0


def test_staff_post_with_a_visit_of_another_delegation_is_400(staff_client, people):
    other_item = visits(make_delegation())[0]

    response = staff_client.post(checkin_path(people[0]), {"visit": other_item.pk})

    assert response.status_code == 400
    assert CheckIn.objects.count() == 0


@pytest.mark.parametrize("code, kind", [("A" * 43, "unknown"), ("short", "malformed"), ("x" * 43 + "%3Cscript%3E", "malformed")])
def test_tampered_code_is_refused_and_logged_without_personal_data(staff_client, people, caplog, code, kind):
    with caplog.at_level(logging.WARNING, logger="registrations.checkin"):
        response = staff_client.get(f"/c/{code}/")

    assert response.status_code == 404
    assert "This check-in code is not valid" in response.content.decode()
    ours = [record.getMessage() for record in caplog.records if record.name == "registrations.checkin"]
    assert [message.split(" (")[0] for message in ours] == [f"Check-in refused: {kind} code"]
    assert code not in ours[0] and "王小明" not in ours[0]


def test_anonymous_sees_no_personal_data_and_a_login_that_comes_back(client, people, staff):
    path = checkin_path(people[0])

    response = client.get(path)
    page = response.content.decode()
    login = client.post(f"/admin/login/?next={path}", {"username": "gate1", "password": "pw-for-tests-only", "next": path})

    assert response.status_code == 200
    assert "王小明" not in page and "Weihai" not in page and "Confirmed" not in page
    assert f"/admin/login/?next={path}" in page
    assert login.status_code == 302 and login["Location"] == path
    assert "Check in for Opening" in client.get(path).content.decode()


def test_anonymous_post_is_refused_and_checks_nobody_in(client, people):
    response = client.post(checkin_path(people[0]), {"visit": visits(people[0].delegation)[0].pk})

    assert response.status_code == 403
    assert CheckIn.objects.count() == 0


def test_staff_without_the_permission_is_refused(client, people, db):
    user = get_user_model().objects.create_user("helper", password="x", is_staff=True)
    client.force_login(user)

    response = client.get(checkin_path(people[0]))

    assert response.status_code == 403
    assert "王小明" not in response.content.decode()


# --- Permissions of a staff member with only the check-in permission --------------------


def test_checkin_only_staff_can_check_in_and_see_attendance_but_nothing_else(staff_client, people):
    item = visits(people[0].delegation)[0]

    checked = staff_client.post(checkin_path(people[0]), {"visit": item.pk})
    attendance_page = staff_client.get(reverse("admin:registrations_checkin_attendance_item", args=[item.pk]))
    csv_file = staff_client.get(reverse("admin:registrations_checkin_attendance_csv", args=[item.pk]))
    index = staff_client.get(reverse("admin:index"))
    today = staff_client.get(index["Location"]).content.decode()

    assert checked.status_code == 302 and CheckIn.objects.count() == 1
    assert attendance_page.status_code == 200 and csv_file.status_code == 200
    assert index.status_code == 302 and index["Location"] == reverse("registrations:checkin_today")
    assert "Attendance per visit" in today and "Registrations" not in today
    assert staff_client.get(reverse("admin:registrations_registration_changelist")).status_code == 403
    assert staff_client.get(reverse("admin:registrations_delegation_changelist")).status_code == 403
    assert staff_client.get(people[0].get_absolute_url()).status_code == 200  # the public private link, unchanged


def test_checkin_only_staff_cannot_undo(staff_client, people, staff):
    checkin, _ = services.checkin_record(registration=people[0], item=visits(people[0].delegation)[0], by=staff)

    staff_client.post(reverse("admin:registrations_checkin_changelist"), {"action": "undo_selected", "_selected_action": [checkin.pk]})

    checkin.refresh_from_db()
    assert checkin.undone_at is None


# --- The registrant's page --------------------------------------------------------------


@override_settings(SITE_URL=SITE)
def test_registrant_page_shows_the_checkin_qr_which_decodes_to_the_checkin_url(client, people):
    registration = people[0]

    page = client.get(registration.get_absolute_url()).content.decode()
    image = client.get(reverse("registrations:checkin_qr", kwargs={"token": registration.token}))

    assert reverse("registrations:checkin_qr", kwargs={"token": registration.token}) in page
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert "no-store" in image["Cache-Control"]
    assert decode_png(image.content) == f"{SITE}/c/{registration.checkin_code}/"


def test_registrant_page_of_waitlisted_has_no_checkin_qr(client, people):
    waitlisted = people[2]

    page = client.get(waitlisted.get_absolute_url()).content.decode()

    assert "checkin.png" not in page
    assert client.get(reverse("registrations:checkin_qr", kwargs={"token": waitlisted.token})).status_code == 404


def test_checkin_refused_on_a_limited_visit_without_a_booked_place(db):
    from registrations.services.checkin import checkin_refusal_reason
    from tests.conftest import make_delegation, submit
    from tests.visit_helpers import make_visit

    delegation = make_delegation(seats=5)
    visit = make_visit(delegation, capacity=1)
    booked, waiting, absent = submit(delegation), submit(delegation), submit(delegation)
    services.visit_join(registration=booked, visits=[visit])
    services.visit_join(registration=waiting, visits=[visit])

    assert checkin_refusal_reason(registration=booked, item=visit) is None
    assert "has limited places" in checkin_refusal_reason(registration=waiting, item=visit)
    assert "has limited places" in checkin_refusal_reason(registration=absent, item=visit)


def test_expected_on_a_limited_visit_is_the_people_booked(db):
    from registrations.selectors.attendance import checkin_expected, items_with_attendance
    from tests.conftest import make_delegation, submit
    from tests.visit_helpers import make_visit

    delegation = make_delegation(seats=5)
    visit = make_visit(delegation, capacity=2)
    people = [submit(delegation) for _ in range(3)]
    services.visit_join(registration=people[0], visits=[visit])

    assert list(checkin_expected(item=visit)) == [people[0]]
    counts = {item.pk: item.expected_count for item in items_with_attendance(delegation=delegation)}
    assert counts[visit.pk] == 1
    assert sorted(counts.values()) == [1, 3, 3]


def test_expected_on_an_optional_visit_without_a_limit_is_the_people_booked_as_in_the_attendee_list(db):
    from registrations.selectors import visit_attendees
    from registrations.selectors.attendance import checkin_expected, items_with_attendance
    from tests.conftest import make_delegation, submit
    from tests.visit_helpers import make_visit

    delegation = make_delegation(seats=5)
    visit = make_visit(delegation, capacity=None)
    people = [submit(delegation) for _ in range(3)]
    services.visit_join(registration=people[1], visits=[visit])

    assert list(checkin_expected(item=visit)) == [people[1]] == visit_attendees(visit=visit).attendees
    counts = {item.pk: item.expected_count for item in items_with_attendance(delegation=delegation)}
    assert counts[visit.pk] == 1
    assert services.checkin_refusal_reason(registration=people[0], item=visit) is None  # a walk-in is still checked in

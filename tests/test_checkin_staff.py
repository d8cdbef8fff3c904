"""Check-in staff: the group, the "Add check-in staff" page, where they land, their visits, Scan next, the result."""

import logging
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation

from registrations import services
from registrations.core.i18n import day_and_time_text
from registrations.models import CheckIn, ItineraryItem
from tests.checkin_helpers import PASSWORD, checkin_only_user, korea_today_at, organizer, person, trip

User = get_user_model()
ADD_STAFF = "/admin/registrations/checkin/staff/add/"


class FormFields(HTMLParser):
    """The fields of the page's POST form with the given class, as the browser would submit them."""

    def __init__(self, form_class: str):
        super().__init__()
        self.form_class, self.inside, self.fields = form_class, False, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.form_class in (attrs.get("class") or "").split():
            self.inside = True
        elif tag == "input" and self.inside and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def form_fields(html: str, form_class: str) -> dict[str, str]:
    parser = FormFields(form_class)
    parser.feed(html)
    return parser.fields


def add_staff(client, **values):
    fields = form_fields(client.get(ADD_STAFF).content.decode(), "checkin-staff-form")
    return client.post(ADD_STAFF, {**fields, **values})


# --- The group and the page to add staff ------------------------------------------------


def test_checkin_staff_group_has_only_the_checkin_permission(db):
    group = Group.objects.get(name="Check-in staff")

    assert list(group.permissions.values_list("content_type__app_label", "codename")) == [("registrations", "check_in")]


def test_organizer_adds_checkin_staff_and_sees_the_password_once(client, db, caplog):
    client.force_login(organizer())

    form = form_fields(client.get(ADD_STAFF).content.decode(), "checkin-staff-form")
    with caplog.at_level(logging.DEBUG):
        response = add_staff(client, username="gate7", display_name="Minji Kim (gate)")

    page = response.content.decode()
    user = User.objects.get(username="gate7")
    password = page.split('<code class="checkin-staff-password">')[1].split("</code>")[0]
    assert set(form) == {"csrfmiddlewaretoken", "username", "display_name"}
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert (user.is_active, user.is_staff, user.is_superuser, user.first_name) == (True, True, False, "Minji Kim (gate)")
    assert list(user.groups.values_list("name", flat=True)) == ["Check-in staff"]
    assert user.user_permissions.count() == 0
    assert len(password) == 19 and user.check_password(password) and password not in user.password
    assert all(password not in record.getMessage() for record in caplog.records)
    assert password not in client.get(ADD_STAFF).content.decode()


def test_add_checkin_staff_never_changes_an_existing_account(client, admin_user, db):
    client.force_login(organizer())
    before = User.objects.get(pk=admin_user.pk).password

    response = add_staff(client, username=admin_user.username.upper(), display_name="")

    admin_user.refresh_from_db()
    assert "This username is already taken." in response.content.decode()
    assert admin_user.password == before and admin_user.is_superuser
    assert User.objects.count() == 2


def test_add_checkin_staff_ignores_extra_fields_asking_for_more(client, db):
    client.force_login(organizer())

    add_staff(client, username="gate8", is_superuser="on", groups=str(Group.objects.get(name="Organizers").pk), user_permissions="1")

    user = User.objects.get(username="gate8")
    assert user.is_superuser is False and user.user_permissions.count() == 0
    assert list(user.groups.values_list("name", flat=True)) == ["Check-in staff"]


@pytest.mark.parametrize("username", ["", "has space", "a" * 151, "名字<script>"])
def test_add_checkin_staff_refuses_a_bad_username_beside_the_field(client, db, username):
    client.force_login(organizer())

    response = add_staff(client, username=username)

    assert response.status_code == 200 and 'class="errorlist' in response.content.decode()
    assert User.objects.filter(groups__name="Check-in staff").count() == 0


def test_add_checkin_staff_needs_the_add_user_permission(client, db):
    client.force_login(checkin_only_user())

    assert client.get(ADD_STAFF).status_code == 403
    assert client.post(ADD_STAFF, {"username": "sneaky"}).status_code == 403
    assert not User.objects.filter(username="sneaky").exists()


def test_admin_index_links_add_checkin_staff_for_organizers_and_hides_users(client, db):
    client.force_login(organizer())

    page = client.get(reverse("admin:index")).content.decode()

    assert f'<a href="{ADD_STAFF}">Add check-in staff</a>' in page
    assert "/admin/auth/user/" not in page


# --- Where staff land after logging in ---------------------------------------------------


def test_checkin_only_staff_land_on_the_visits_of_the_day_after_login(client, db):
    checkin_only_user("door1")

    login = client.post("/admin/login/", {"username": "door1", "password": PASSWORD, "next": "/admin/"}, follow=True)

    assert login.redirect_chain == [("/admin/", 302), ("/c/", 302)]
    assert login.status_code == 200


def test_organizers_still_land_on_the_admin_index(client, db):
    organizer("organizer9")

    login = client.post("/admin/login/", {"username": "organizer9", "password": PASSWORD, "next": "/admin/"}, follow=True)

    assert login.redirect_chain == [("/admin/", 302)]
    assert "Run the delegation" in login.content.decode()


def test_anonymous_visitor_of_the_visits_page_is_sent_to_the_login(client, db):
    response = client.get("/c/")

    assert response.status_code == 302 and response["Location"] == "/admin/login/?next=/c/"


# --- Today's visits and Scan next ---------------------------------------------------------


def test_visits_page_lists_today_with_scan_next_not_tomorrow(client, db):
    trip(visits=[("Morning bus", korea_today_at(0, 1)), ("Tomorrow's park", korea_today_at(10, days=1))])
    client.force_login(checkin_only_user())

    page = client.get("/c/").content.decode()

    today = timezone.localdate()
    assert f"Today’s visits · {today.day} {today:%B}" in page
    assert "Morning bus" in page and "Tomorrow's park" not in page
    item = ItineraryItem.objects.get(title="Morning bus")
    assert f'href="/c/visits/{item.pk}/">Scan next' in page


def test_visits_page_without_visits_today_shows_the_next_day_labelled(client, db):
    later = korea_today_at(9, days=3)
    trip(visits=[("Later park", later), ("Even later", korea_today_at(9, days=4))])
    client.force_login(checkin_only_user())

    page = client.get("/c/").content.decode()

    assert f"Next visits · {later.day} {later:%B}" in page and "No visits today." in page
    assert "Later park" in page and "Even later" not in page


def test_scan_next_then_a_camera_scan_checks_in_for_the_chosen_visit(client, db):
    delegation = trip(visits=[("Now visit", timezone.now()), ("Evening dinner", timezone.now() + timedelta(hours=5))])
    delegate = person(delegation)
    dinner = ItineraryItem.objects.get(title="Evening dinner")
    client.force_login(checkin_only_user())

    client.get(f"/c/visits/{dinner.pk}/")
    page = client.get(f"/c/{delegate.checkin_code}/").content.decode()
    client.post(f"/c/{delegate.checkin_code}/", {"visit": dinner.pk})

    assert "Check in for Evening dinner" in page
    assert list(CheckIn.objects.values_list("item__title", flat=True)) == ["Evening dinner"]


@pytest.mark.parametrize("typed", ["{code}", " {code} ", "http://testserver/c/{code}/"])
def test_scan_next_takes_a_code_or_link_typed_by_hand(client, db, typed):
    delegation = trip()
    delegate = person(delegation)
    item = delegation.itinerary.get()
    client.force_login(checkin_only_user())

    response = client.post(f"/c/visits/{item.pk}/", {"code": typed.format(code=delegate.checkin_code)})

    assert response.status_code == 302 and response["Location"] == f"/c/{delegate.checkin_code}/?visit={item.pk}"


def test_scan_next_refuses_an_unknown_code_beside_the_field(client, db):
    item = trip().itinerary.get()
    client.force_login(checkin_only_user())

    response = client.post(f"/c/visits/{item.pk}/", {"code": "A" * 43})

    assert response.status_code == 200
    assert '<div class="invalid-feedback" id="code-error">No delegate has this check-in code.' in response.content.decode()


# --- The result at the door -----------------------------------------------------------------


def test_result_is_green_once_then_amber_with_who_and_when(client, db):
    delegation = trip()
    delegate = person(delegation)
    item = delegation.itinerary.get()
    client.force_login(checkin_only_user("door1", first_name="Door One"))

    first = client.post(f"/c/{delegate.checkin_code}/", {"visit": item.pk}, follow=True).content.decode()
    again = client.get(f"/c/{delegate.checkin_code}/?visit={item.pk}").content.decode()

    when = timezone.localtime(CheckIn.objects.get().checked_in_at)
    assert "checkin-result-ok" in first and "Checked in now" in first and "checkin-result-already" not in first
    assert "checkin-result-already" in again and "ALREADY checked in" in again and "checkin-result-ok" not in again
    assert f"at {when.day} {when:%B}, {when:%H:%M} (Korea time) by Door One. Nothing changed." in again


def test_result_is_red_with_the_reason_for_a_waitlisted_delegate(client, db):
    delegation = trip(seats=1)
    person(delegation)
    waitlisted = person(delegation)
    client.force_login(checkin_only_user())

    page = client.get(f"/c/{waitlisted.checkin_code}/").content.decode()

    assert "checkin-result-refused" in page and "Not checked in" in page
    assert "Only confirmed delegates can be checked in." in page and "Check in for" not in page


def test_result_lists_the_delegates_booked_visits_only(client, db):
    delegation = trip(visits=[("Bus", timezone.now())])
    limited = ItineraryItem.objects.create(
        delegation=delegation,
        title="Lab tour",
        starts_at=timezone.now() + timedelta(hours=3),
        ends_at=timezone.now() + timedelta(hours=4),
        is_optional=True,
        capacity=1,
    )
    booked, other = person(delegation), person(delegation)
    services.visit_join(registration=booked, visits=[limited])
    client.force_login(checkin_only_user())

    with_tour = client.get(f"/c/{booked.checkin_code}/").content.decode().split("Their visits")[1]
    without = client.get(f"/c/{other.checkin_code}/").content.decode().split("Their visits")[1]

    assert "Bus" in with_tour and "Lab tour" in with_tour
    assert "Bus" in without and "Lab tour" not in without


# --- Dates and times in each language --------------------------------------------------------


@pytest.mark.parametrize(
    "language, hour, minute, expected",
    [
        ("zh-hans", 9, 30, "{month}月{day}日 09:30"),
        ("ko", 23, 59, "{month}월 {day}일 오후 11:59"),
        ("ko", 9, 5, "{month}월 {day}일 오전 9:05"),
        ("en", 9, 30, "{day} {month_name}, 09:30"),
    ],
)
def test_day_and_time_is_natural_in_each_language(language, hour, minute, expected):
    moment = korea_today_at(hour, minute, days=7)
    day = timezone.localdate(moment)

    with translation.override(language):
        text = day_and_time_text(moment)

    assert text == expected.format(month=day.month, day=day.day, month_name=f"{day:%B}")


def test_checkin_page_shows_day_and_time_in_korean(client, db):
    delegation = trip(visits=[("Evening", korea_today_at(23, 0, days=1))])
    delegate = person(delegation)
    client.force_login(checkin_only_user())
    day = timezone.localdate() + timedelta(days=1)

    page = client.get(f"/c/{delegate.checkin_code}/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()

    assert f"{day.month}월 {day.day}일 · 오후 11:00–오전 1:00" in page


def test_public_datetime_format_in_korean_puts_the_half_day_first(client, db):
    closes = korea_today_at(23, 59, days=5)
    delegation = trip()
    delegation.registration_closes_at = closes
    delegation.save()

    page = client.get(delegation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ko").content.decode()

    day = timezone.localdate(closes)
    assert f"{day.year}년 {day.month}월 {day.day}일 오후 11:59" in page


def test_empty_post_to_scan_next_shows_the_error_beside_the_field(client, db):
    item = trip().itinerary.get()
    client.force_login(checkin_only_user())

    response = client.post(f"/c/visits/{item.pk}/", {})

    assert 'id="code-error"' in response.content.decode()


def test_attendance_page_shows_day_and_time_in_chinese(client, db):
    starts = korea_today_at(9, 30, days=2)
    item = trip(visits=[("Bus", starts)]).itinerary.get()
    client.force_login(checkin_only_user())

    page = client.get(reverse("admin:registrations_checkin_attendance_item", args=[item.pk]), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()

    assert f"{starts.month}月{starts.day}日 09:30–11:30" in page


def test_checkins_list_links_add_checkin_staff_only_for_those_who_may(client, db):
    client.force_login(organizer())
    for_organizer = client.get(reverse("admin:registrations_checkin_changelist")).content.decode()
    client.force_login(checkin_only_user())
    for_staff = client.get(reverse("admin:registrations_checkin_changelist")).content.decode()

    assert f'<a href="{ADD_STAFF}">Add check-in staff</a>' in for_organizer
    assert ADD_STAFF not in for_staff

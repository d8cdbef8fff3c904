"""Real browser, issue 9's "Done when": one organizer at a 1366 px laptop runs the desk and the door,
by labels and visible text as a person would, and a check-in staff member works the door on a phone.

a. seats raised on a full first-come delegation's dashboard: the waiting person is offered the seat;
b. a visit's Chinese title edited on its own admin page shows on the Chinese public page at once;
c. the delegation switched to review; a pending application confirmed from its own page (2 clicks from the list);
d. a check-in staff member added on one page logs in on a phone, "Scan next", checks a delegate in: green.
Every admin page visited fits 1366 px without sideways scrolling. Dates are relative to now."""

import re

import pytest
from django.db import connections
from django.utils import timezone
from playwright.sync_api import expect

from registrations.models import CheckIn, Delegation, Registration
from tests.browser.checks import Watched
from tests.checkin_helpers import PASSWORD, korea_today_at, organizer, person, trip
from tests.trip_helpers import apply, make_trip

LAPTOP = {"viewport": {"width": 1366, "height": 900}}
STAFF_PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


@pytest.fixture(autouse=True)
def _close_connections():
    """Queries made while Playwright's loop runs use their own connection: close it, or PostgreSQL
    cannot drop the test database at the end."""
    yield
    connections.close_all()


@pytest.fixture
def contexts():
    opened = []
    yield opened
    for context in opened:
        context.close()


def new_tab(browser, server: str, options: dict, contexts: list, locale: str = "en-US") -> Watched:
    context = browser.new_context(locale=locale, **options)
    context.set_default_timeout(10_000)
    contexts.append(context)
    return Watched(page=context.new_page(), origin=server)


def fits(tab: Watched) -> None:
    """The admin page fits the laptop's width: no sideways scrolling, no error."""
    tab.page.wait_for_load_state("load")
    assert tab.page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), tab.page.url
    assert tab.errors == [], tab.errors


def log_in(tab: Watched, username: str, password: str) -> None:
    tab.goto("/admin/login/")
    tab.page.get_by_label("Username").fill(username)
    tab.page.get_by_label("Password").fill(password)
    tab.page.get_by_role("button", name="Log in").click()
    tab.page.wait_for_load_state("load")


def test_organizer_runs_the_desk_and_the_door(browser, server, contexts):
    desk_trip = make_trip(seats=1, slug="journey-desk", title="Songdo Bio Week")
    first = apply(desk_trip, full_name="Li Na")
    waiting = apply(desk_trip, full_name="Chen Wei")
    assert (first.status, waiting.status) == (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)
    visit = desk_trip.itinerary.get()
    door_trip = trip(visits=[("Incheon Free Economic Zone", korea_today_at(timezone.localtime().hour))])
    delegate = person(door_trip, full_name="Wang Xiaoming", company="Weihai Smart Logistics")
    assert delegate.status == Registration.Status.CONFIRMED
    organizer("organizer1")

    desk = new_tab(browser, server, LAPTOP, contexts)
    page = desk.page
    log_in(desk, "organizer1", PASSWORD)
    fits(desk)

    # a. The full first-come delegation's dashboard: two more seats, one goes to the waiting person at once.
    desk.goto(f"/admin/registrations/delegation/{desk_trip.pk}/dashboard/")
    fits(desk)
    page.get_by_label("Seats", exact=True).fill("3")
    page.get_by_role("button", name="Change seats").click()
    expect(page.locator(".messagelist")).to_contain_text("Seats set to 3.")
    expect(page.locator(".messagelist")).to_contain_text("1 person on the waiting list was offered a seat.")
    fits(desk)
    page.get_by_role("link", name="Registrations", exact=True).click()  # the admin's menu
    fits(desk)
    expect(page.get_by_role("row", name=re.compile("Chen Wei"))).to_contain_text("Seat offered")
    expect(page.get_by_role("row", name=re.compile("Li Na"))).to_contain_text("Confirmed")

    # b. The visit's Chinese title, edited on the item's own page, is on the Chinese public page on the next load.
    desk.goto(f"/admin/registrations/delegation/{desk_trip.pk}/change/")
    fits(desk)
    page.get_by_role("link", name="Songdo Bio Park").click()
    expect(page.get_by_role("heading", name="Text in Simplified Chinese")).to_be_visible()
    fits(desk)
    chinese = page.locator("fieldset", has=page.get_by_role("heading", name="Text in Simplified Chinese"))
    if chinese.locator("summary").count():  # a collapsed fieldset: open it as a person would
        chinese.locator("summary").first.click()
    chinese.get_by_label(re.compile("^Title")).fill("松岛生物园区参观")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    fits(desk)
    reader = new_tab(browser, server, {"viewport": {"width": 360, "height": 740}}, contexts, locale="zh-CN")
    reader.goto(f"/d/{desk_trip.slug}/")
    expect(reader.page.get_by_text("松岛生物园区参观")).to_be_visible()
    assert reader.page.get_by_text("松岛生物园", exact=True).count() == 0
    visit.refresh_from_db()
    assert visit.title_zh_hans == "松岛生物园区参观"

    # c. Switch to review on the dashboard; a new application waits; confirmed from its own page.
    desk.goto(f"/admin/registrations/delegation/{desk_trip.pk}/dashboard/")
    page.get_by_role("button", name="Switch to: Application review").click()
    expect(page.locator(".messagelist")).to_contain_text("Registration mode: Application review.")
    fits(desk)
    desk_trip.refresh_from_db()
    assert desk_trip.registration_mode == Delegation.Mode.REVIEW
    pending = apply(desk_trip, full_name="Zhao Qiang")
    assert pending.status == Registration.Status.PENDING
    page.get_by_role("link", name="Registrations", exact=True).click()  # the admin's menu
    fits(desk)
    clicks = 0
    page.get_by_role("link", name="Zhao Qiang", exact=True).click()
    clicks += 1
    expect(page.get_by_role("heading", level=2, name=re.compile("^Zhao Qiang"))).to_be_visible()
    fits(desk)
    page.get_by_role("button", name="Confirm", exact=True).click()
    clicks += 1
    expect(page.locator(".messagelist")).to_contain_text("Zhao Qiang: Confirmed 1 registration.")
    fits(desk)
    pending.refresh_from_db()
    assert (pending.status, clicks) == (Registration.Status.CONFIRMED, 2)

    # d. Add check-in staff on one page; the password is shown once.
    desk.goto("/admin/")
    page.get_by_role("link", name="Add check-in staff").click()
    fits(desk)
    page.get_by_label("Username").fill("gate1")
    page.get_by_label("Display name (optional)").fill("Gate One")
    page.get_by_role("button", name="Create account and show its password").click()
    expect(page.get_by_role("heading", name="Check-in staff account “gate1” created")).to_be_visible()
    password = page.locator(".checkin-staff-password").inner_text().strip()
    fits(desk)
    page.reload()
    expect(page.locator(".checkin-staff-password")).to_have_count(0)  # shown once only

    # The staff member on a phone: today's visits, "Scan next", the delegate's QR link, green.
    phone = new_tab(browser, server, STAFF_PHONE, contexts)
    log_in(phone, "gate1", password)
    expect(phone.page.get_by_role("heading", name="Today’s visits")).to_be_visible()
    assert phone.page.url == f"{server}/c/"
    phone.page.get_by_role("link", name="Scan next").click()
    expect(phone.page.get_by_role("heading", name="Incheon Free Economic Zone")).to_be_visible()
    phone.goto(f"/c/{delegate.checkin_code}/")
    phone.page.get_by_role("button", name="Check in for Incheon Free Economic Zone").click()
    expect(phone.page.locator(".checkin-result-ok")).to_contain_text("Checked in now")
    phone.assert_sound()
    assert list(CheckIn.objects.values_list("registration", "checked_in_by__username")) == [(delegate.pk, "gate1")]

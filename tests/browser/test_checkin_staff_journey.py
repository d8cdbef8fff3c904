"""Real browser: an organizer adds a check-in staff member on one page; that staff member logs in on a
phone, lands on today's visits, taps "Scan next" and checks a delegate in (green), then again (amber)."""

import os

import pytest
from django.db import connections
from django.utils import timezone
from playwright.sync_api import expect

from registrations.models import CheckIn
from tests.browser.checks import Watched
from tests.checkin_helpers import PASSWORD, korea_today_at, organizer, person, trip

ORGANIZER_SCREEN = {"viewport": {"width": 1366, "height": 900}}
STAFF_PHONE = {"viewport": {"width": 360, "height": 640}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
SHOTS = os.environ.get("SCREENSHOT_DIR", "/tmp")


@pytest.fixture(autouse=True)
def _close_connections():
    """Queries made while Playwright's loop runs use their own connection: close it, or PostgreSQL
    cannot drop the test database at the end."""
    yield
    connections.close_all()


def tab(browser, server: str, options: dict, contexts: list) -> Watched:
    context = browser.new_context(locale="en-US", **options)
    context.set_default_timeout(10_000)
    contexts.append(context)
    return Watched(page=context.new_page(), origin=server)


@pytest.fixture
def contexts():
    opened = []
    yield opened
    for context in opened:
        context.close()


def test_organizer_adds_checkin_staff_who_checks_a_delegate_in_on_a_phone(browser, server, contexts):
    delegation = trip(visits=[("Songdo Bio Industrial Park", korea_today_at(timezone.localtime().hour))])
    delegate = person(delegation, full_name="Wang Xiaoming", company="Weihai Smart Logistics")
    organizer("organizer1")

    # The organizer, on a laptop: admin index -> "Add check-in staff" -> username -> create (2 clicks).
    desk = tab(browser, server, ORGANIZER_SCREEN, contexts)
    desk.goto("/admin/login/")
    desk.page.get_by_label("Username").fill("organizer1")
    desk.page.get_by_label("Password").fill(PASSWORD)
    desk.page.get_by_role("button", name="Log in").click()
    desk.page.get_by_role("link", name="Add check-in staff").click()
    desk.page.get_by_label("Username").fill("gate1")
    desk.page.get_by_label("Display name (optional)").fill("Gate One")
    desk.page.get_by_role("button", name="Create account and show its password").click()
    expect(desk.page.get_by_role("heading", name="Check-in staff account “gate1” created")).to_be_visible()
    password = desk.page.locator(".checkin-staff-password").inner_text()
    desk.page.screenshot(path=f"{SHOTS}/checkin-add-staff-1366.png", full_page=True)
    assert desk.sideways_scroll() == 0 and desk.errors == []

    # The staff member, on a phone: log in, land on today's visits.
    phone = tab(browser, server, STAFF_PHONE, contexts)
    phone.goto("/admin/login/")
    assert phone.small_tap_targets() == []
    phone.page.screenshot(path=f"{SHOTS}/checkin-login-360.png", full_page=True)
    phone.page.get_by_label("Username").fill("gate1")
    phone.page.get_by_label("Password").fill(password)
    phone.page.get_by_role("button", name="Log in").click()
    expect(phone.page.get_by_role("heading", name="Today’s visits")).to_be_visible()
    assert phone.page.url == f"{server}/c/"
    phone.page.screenshot(path=f"{SHOTS}/checkin-today-360.png", full_page=True)
    phone.assert_sound()

    # "Scan next", then the phone's camera opens the delegate's QR link.
    phone.page.get_by_role("link", name="Scan next").click()
    expect(phone.page.get_by_role("heading", name="Songdo Bio Industrial Park")).to_be_visible()
    phone.page.screenshot(path=f"{SHOTS}/checkin-scan-360.png", full_page=True)
    phone.assert_sound()
    phone.goto(f"/c/{delegate.checkin_code}/")
    phone.page.get_by_role("button", name="Check in for Songdo Bio Industrial Park").click()

    expect(phone.page.locator(".checkin-result-ok")).to_contain_text("Checked in now")
    assert phone.page.locator(".checkin-result-ok").bounding_box()["width"] >= 320
    phone.page.screenshot(path=f"{SHOTS}/checkin-green-360.png", full_page=True)
    phone.assert_sound()

    # The same badge again, typed by hand on "Scan next": amber, with when and by whom.
    phone.page.get_by_role("link", name="Scan next").click()
    phone.page.get_by_label("Check-in code or link").fill(delegate.checkin_code)
    phone.page.get_by_role("button", name="Find the delegate").click()

    expect(phone.page.locator(".checkin-result-already")).to_contain_text("Already checked in for Songdo Bio Industrial Park")
    expect(phone.page.locator(".checkin-result-already")).to_contain_text("by Gate One")
    phone.page.screenshot(path=f"{SHOTS}/checkin-amber-360.png", full_page=True)
    phone.assert_sound()
    assert list(CheckIn.objects.values_list("registration", "checked_in_by__username")) == [(delegate.pk, "gate1")]

"""Real browser (Debian's Chromium via Playwright): the printed poster scans, a badge QR checks in.

Skipped when Playwright or /usr/bin/chromium is missing. Never downloads a browser.
"""

import io
import os
from pathlib import Path

import pytest
import zxingcpp
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import Client
from PIL import Image

from registrations.models import CheckIn, Source, SourceScan
from tests.conftest import make_delegation, submit
from tests.test_checkin import checkin_staff

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = "/usr/bin/chromium"
PHONE_WECHAT = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Mobile/15E148 MicroMessenger/8.0.47 NetType/WIFI Language/zh_CN"
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's Chromium is not installed"),
]


def decode_screenshot(png: bytes) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


@pytest.fixture(autouse=True)
def _close_connections():
    """Queries made while Playwright's loop runs use their own connection: close it, or
    PostgreSQL cannot drop the test database at the end."""
    yield
    connections.close_all()


def phone(browser, locale: str = "zh-CN"):
    return browser.new_context(
        viewport={"width": 360, "height": 640}, device_scale_factor=2, is_mobile=True, has_touch=True, user_agent=PHONE_WECHAT, locale=locale
    )


def only_local(page, base_url: str) -> list[str]:
    """Record every request the page makes, to assert that no third-party host is contacted."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    return requests


@pytest.mark.django_db(transaction=True)
def test_printed_poster_qr_scans_from_a_screenshot_and_leads_to_the_form(live_server, settings, browser):
    settings.SITE_URL = live_server.url
    delegation = make_delegation(seats=30)
    source = Source.objects.create(delegation=delegation, name="Weihai forum poster", code="weihai-forum")
    admin = get_user_model().objects.create_superuser("organizer", "o@example.com", "pw-for-tests-only")
    django_client = Client()
    django_client.force_login(admin)
    session = django_client.cookies["sessionid"].value

    desk = browser.new_context(viewport={"width": 900, "height": 1270})
    desk.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page = desk.new_page()
    requests = only_local(page, live_server.url)
    page.goto(f"{live_server.url}/admin/registrations/source/{source.pk}/poster/")
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    assert not page.is_visible(".poster-toolbar")
    assert page.get_by_text("Scan to register").is_visible()
    decoded = decode_screenshot(page.screenshot(full_page=True))

    assert decoded == [f"{live_server.url}/q/weihai-forum"]
    assert all(url.startswith(live_server.url) for url in requests)

    scan = phone(browser).new_page()
    scan.goto(decoded[0])
    assert scan.url == f"{live_server.url}/d/{delegation.slug}/register/?src=weihai-forum"
    assert scan.locator('input[name="source"]').input_value() == "weihai-forum"
    assert list(SourceScan.objects.values_list("source", "device", "in_wechat")) == [(source.pk, "phone", True)]


@pytest.mark.django_db(transaction=True)
def test_staff_scans_a_badge_logs_in_and_checks_the_delegate_in(live_server, settings, browser):
    settings.SITE_URL = live_server.url
    delegation = make_delegation(seats=5)
    registration = submit(delegation, full_name="王小明", company="Weihai Smart Logistics")
    checkin_staff("gate1")

    delegate = phone(browser, locale="en-US").new_page()
    delegate.goto(f"{live_server.url}{registration.get_absolute_url()}")
    delegate.get_by_role("img", name="Check-in QR code").scroll_into_view_if_needed()
    delegate.wait_for_load_state("networkidle")
    decoded = decode_screenshot(delegate.screenshot(full_page=True))
    assert decoded == [f"{live_server.url}/c/{registration.checkin_code}/"]

    staff = phone(browser, locale="en-US").new_page()
    requests = only_local(staff, live_server.url)
    staff.goto(decoded[0])
    assert "王小明" not in staff.content()
    staff.get_by_role("link", name="Staff: log in to check in").click()
    staff.get_by_label("Username").fill("gate1")
    staff.get_by_label("Password").fill("pw-for-tests-only")
    staff.get_by_role("button", name="Log in").click()
    assert staff.url == decoded[0]
    assert staff.get_by_role("heading", name="王小明").is_visible()
    staff.get_by_role("button", name="Check in for Opening").click()

    assert staff.get_by_text("Checked in for Opening at").is_visible()
    assert list(CheckIn.objects.values_list("registration", "item__title")) == [(registration.pk, "Opening")]
    assert all(url.startswith(live_server.url) for url in requests)
    if os.environ.get("SCREENSHOT_DIR"):
        staff.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], "checkin-phone.png"), full_page=True)

"""An organizer freezes a host list on a 1366 px laptop and copies its link; the host opens it on a laptop and a phone.

Clicks, from the visit's admin page: "Visitor lists for the host" (1), tick the columns (one per change
from the last version), "Freeze the list now" (1), "Copy link" (1). Screenshots: /tmp/hostlists-*.png
with HOSTLIST_SCREENSHOTS=1.
"""

import os

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from registrations.models.hostlists import HostList
from tests.helpers import trip_time
from tests.hostlist_helpers import delegate_with_passport, songdo, trip

LAPTOP = {"viewport": {"width": 1366, "height": 900}}
PHONE = {"viewport": {"width": 360, "height": 640}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
WIDER_THAN_SCREEN_JS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _shot(page, name: str) -> None:
    if os.environ.get("HOSTLIST_SCREENSHOTS"):
        page.screenshot(path=f"/tmp/hostlists-{name}.png", full_page=True)


def _organizer_tab(browser, server):
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("organizer", "o@example.com", "pw-for-tests-only"))
    context = browser.new_context(locale="en-US", **LAPTOP)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server}])
    return context


def _people(delegation):
    names = [("欧阳王小明", "OUYANG WANGXIAOMING", "EA1234567"), ("李小龙", "LI XIAOLONG", "E87654321"), ("张三丰", "ZHANG SANFENG", "E12345678")]
    for number, (name, latin, passport) in enumerate(names):
        delegate_with_passport(
            delegation,
            full_name=name,
            passport_name=latin,
            passport_number=passport,
            arrival_flight=f"OZ33{number}",
            arrival_at=trip_time(0, 8 + number * 2).isoformat(),
        )


def test_organizer_freezes_a_host_list_and_the_host_reads_it_on_a_laptop_and_a_phone(server, browser):
    delegation = trip()
    _people(delegation)
    visit = songdo(delegation)
    context = _organizer_tab(browser, server)
    page = context.new_page()

    page.goto(server + reverse("admin:registrations_itineraryitem_change", args=[visit.pk]))
    page.get_by_role("link", name="Visitor lists for the host").click()
    page.get_by_label("Passport number").check()
    page.get_by_label("Name (as registered)").uncheck()
    page.get_by_role("button", name="Freeze the list now").click()

    expect(page.get_by_text("Version 1 frozen with 3 visitors.")).to_be_visible()
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_text("Link copied.")).to_be_visible()
    assert page.evaluate(WIDER_THAN_SCREEN_JS) <= 0
    _shot(page, "admin")
    link = page.get_by_label("Link for the host").input_value()
    assert link == server + HostList.objects.get().get_absolute_url()

    host = browser.new_context(locale="ko-KR", **LAPTOP).new_page()
    host.goto(link)
    expect(host.get_by_role("cell", name="OUYANG WANGXIAOMING")).to_be_visible()
    expect(host.get_by_text("여권 번호")).to_be_visible()
    assert host.get_by_text("欧阳王小明").count() == 0
    assert host.evaluate(WIDER_THAN_SCREEN_JS) <= 0
    _shot(host, "host-laptop")

    phone = browser.new_context(locale="ko-KR", **PHONE).new_page()
    phone.goto(link)
    expect(phone.get_by_text("EA1234567")).to_be_visible()
    assert phone.evaluate(WIDER_THAN_SCREEN_JS) <= 0
    _shot(phone, "host-phone")

    page.get_by_role("button", name="Withdraw").click()
    expect(page.get_by_text("The link of version 1 is withdrawn: it no longer opens.")).to_be_visible()
    phone.reload()
    expect(phone.get_by_role("heading", name="This visitor list link is not valid")).to_be_visible()
    _shot(phone, "host-withdrawn")
    context.close()


def test_arrivals_page_fits_a_laptop(server, browser):
    delegation = trip()
    _people(delegation)
    context = _organizer_tab(browser, server)
    page = context.new_page()

    page.goto(server + reverse("admin:registrations_traveldocument_changelist"))
    page.get_by_role("link", name="Arrivals and departures").click()

    expect(page.get_by_role("heading", name="Arrivals (3)")).to_be_visible()
    expect(page.get_by_role("rowheader", name=f"{trip_time(0):%Y-%m-%d} 08:00–10:00")).to_be_visible()
    assert page.evaluate(WIDER_THAN_SCREEN_JS) <= 0
    _shot(page, "arrivals")
    context.close()

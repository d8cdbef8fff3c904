"""Real browser, a 1366 px laptop: an organizer decides applications from the review list in two clicks
each (open, Confirm; then one), and the review list, a registration's page and the dashboard never
scroll sideways, in English and in Chinese."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect

from registrations.models import Delegation, Registration
from tests.browser.checks import Watched
from tests.trip_helpers import apply, make_trip

LAPTOP = {"viewport": {"width": 1366, "height": 768}}
LONG_NOTE = "我们公司专注于细胞治疗和生物制药，希望在松岛与三星生物制剂及当地初创企业建立合作关系。" * 3


def organizer_tab(browser, server, language: str) -> Watched:
    admin = get_user_model().objects.create_superuser("organizer", "o@example.com", "pw-for-tests-only")
    client = Client()
    client.force_login(admin)
    context = browser.new_context(**LAPTOP)
    context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server},
            {"name": "django_language", "value": language, "url": server},
        ]
    )
    context.set_default_timeout(10_000)
    return Watched(page=context.new_page(), origin=server)


@pytest.mark.parametrize(
    ("language", "review_link", "confirm"), [("en", "Review 3 pending applications", "Confirm"), ("zh-hans", "审核 3 份待审核申请", "确认")]
)
def test_organizer_decides_from_the_review_list_at_1366_px(browser, server, language, review_link, confirm):
    trip = make_trip(seats=5, mode=Delegation.Mode.REVIEW)
    people = [
        apply(
            trip,
            full_name=f"王小明 {n}",
            company="威海智慧物流科技股份有限公司（山东）",
            note=LONG_NOTE,
            email=f"a.very.long.address.for.the.applicant.number.{n}@weihai-smart-logistics.example.com",
            language="zh-hans",
        )
        for n in range(3)
    ]
    tab = organizer_tab(browser, server, language)
    page = tab.page

    tab.goto(f"/admin/registrations/delegation/{trip.pk}/dashboard/")
    page.wait_for_load_state("load")
    assert tab.sideways_scroll() == 0
    page.get_by_role("link", name=review_link).click()
    expect(page.locator("td.field-short_note").first).to_be_visible()
    page.wait_for_load_state("load")
    assert tab.sideways_scroll() == 0
    assert page.locator("#changelist .results").evaluate("r => r.scrollWidth - r.clientWidth") == 0

    page.get_by_role("link", name=people[0].full_name, exact=True).click()  # click 1
    expect(page.get_by_role("heading", level=2, name=f"{people[0].full_name} (")).to_be_visible()
    page.wait_for_load_state("load")
    assert tab.sideways_scroll() == 0
    page.get_by_role("button", name=confirm, exact=True).click()  # click 2
    expect(page.get_by_role("heading", level=2, name=f"{people[1].full_name} (")).to_be_visible()
    page.get_by_role("button", name=confirm, exact=True).click()  # the next one: one click

    expect(page.get_by_role("heading", level=2, name=f"{people[2].full_name} (")).to_be_visible()
    statuses = list(Registration.objects.order_by("created_at", "pk").values_list("status", flat=True))
    assert statuses == ["confirmed", "confirmed", "pending"]
    assert tab.errors == [] and tab.foreign_requests() == []

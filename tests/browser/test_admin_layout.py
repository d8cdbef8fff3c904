"""Admin at the desk on a 1366 x 900 laptop: no page of the demo data scrolls sideways, and the busy
changelists show their columns without scrolling inside the table either."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.admin.sites import site
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from registrations import services
from registrations.models import Announcement, Delegation
from tests.conftest import submission
from tests.helpers import registration_submit_confirmed

LAPTOP = {"viewport": {"width": 1366, "height": 900}}
# Set ADMIN_SCREENSHOTS=/tmp/admin to keep a PNG of every page checked.
SCREENSHOTS = os.environ.get("ADMIN_SCREENSHOTS", "")
# The changelists organizers work in all day: their tables must fit, not scroll inside their box.
BUSY_CHANGELISTS = {"delegation", "registration", "invitation", "itineraryitem", "announcement"}

WIDER_THAN_SCREEN_JS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
# For the failure message: the outermost elements that stick out past the right edge.
STICKING_OUT_JS = """() => {
  const width = document.documentElement.clientWidth, found = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > width + 1)) {
      found.push(`${el.tagName.toLowerCase()}.${[...el.classList].join(".")}#${el.id} in #${(el.closest("[id]") || {}).id} ${Math.round(box.width)}px`);
    }
  }
  return found.slice(0, 5);
}"""
TABLE_OVERFLOW_JS = """() => {
  const box = document.querySelector("#changelist .results");
  return box ? box.scrollWidth - box.clientWidth : 0;
}"""


@pytest.fixture
def demo_desk(server, browser):
    """The demo delegation with people, a visit booking, a check-in and an invitation; an organizer's tab."""
    call_command("seed_demo", verbosity=0)
    delegation = Delegation.objects.get(slug="incheon-tech-week")
    organizer = get_user_model().objects.create_superuser("organizer", "o@example.com", "pw-for-tests-only")
    sectors = list(delegation.sectors.all())
    people = [
        registration_submit_confirmed(
            **submission(
                delegation,
                full_name=f"Long Company Representative Name {n}",
                company="Shenzhen Clean Energy Group Holdings Co., Ltd.",
                job_title="Chief Executive Officer and Chairman",
                sector=sectors[n % len(sectors)],
                email=f"a.very.long.email.address.{n}@example-company-domain.com",
            )
        )
        for n in range(6)
    ]
    services.visit_join(registration=people[0], visits=[delegation.itinerary.filter(is_optional=True).first()])
    services.registration_details_change(registration=people[0], changes={"phone": "+86 139 1111 2222", "job_title": "CEO"})
    services.checkin_record(registration=people[0], item=delegation.itinerary.first(), by=organizer)
    services.invitation_create(
        delegation=delegation,
        full_name="Invited Guest With A Long Name",
        email="invited.guest@example-company-domain.com",
        sector=sectors[0],
        company="Suzhou Biomedical Technology Co., Ltd.",
        expires_at=timezone.now() + timedelta(days=5),
        by=organizer,
    )
    host_list = services.host_list_freeze(
        visit=delegation.itinerary.order_by("pk").first(),
        user=organizer,
        fields=["passport_name", "full_name", "company", "job_title", "nationality", "passport_number"],
        expires_at=timezone.now() + timedelta(days=5),
    )
    Client().get(host_list.get_absolute_url())  # an access in the log
    announcement = Announcement.objects.create(
        delegation=delegation,
        audience=Announcement.Audience.CONFIRMED,
        subject="The bus leaves the hotel at 07:30 every morning",
        subject_zh_hans="每天早上07:30大巴从酒店出发",
        body="Meet in the lobby at 07:15.\n\n" + "A long line of practical details. " * 12,
        body_zh_hans="请于07:15在大堂集合。" * 8,
    )
    services.announcement_send(announcement=services.announcement_schedule(announcement=announcement, by=organizer))
    django_client = Client()
    django_client.force_login(organizer)
    context = browser.new_context(locale="en-US", **LAPTOP)
    context.add_cookies([{"name": "sessionid", "value": django_client.cookies["sessionid"].value, "url": server}])
    yield delegation, context.new_page()
    context.close()


def admin_pages(delegation: Delegation):
    """(name, path) of every changelist and of one change page per registered model."""
    for model in site._registry:
        info = model._meta.app_label, model._meta.model_name
        yield f"{info[1]}-list", reverse("admin:%s_%s_changelist" % info)
        obj = delegation if model is Delegation else model._default_manager.order_by("pk").first()
        if obj is not None:
            yield f"{info[1]}-change", reverse("admin:%s_%s_change" % info, args=[obj.pk])
    item = delegation.itinerary.order_by("pk").first()
    yield "itineraryitem-add", reverse("admin:registrations_itineraryitem_add") + f"?delegation={delegation.pk}"
    yield "delegation-add", reverse("admin:registrations_delegation_add")
    yield "delegation-dashboard", reverse("admin:registrations_delegation_dashboard", args=[delegation.pk])
    yield "itineraryitem-attendees", reverse("admin:registrations_itineraryitem_attendees", args=[item.pk])
    yield "checkin-attendance", reverse("admin:registrations_checkin_attendance")
    yield "itineraryitem-host-lists", reverse("admin:registrations_itineraryitem_host_lists", args=[item.pk])
    yield "traveldocument-arrivals", reverse("admin:registrations_traveldocument_arrivals", args=[delegation.pk])
    announcement = Announcement.objects.order_by("pk").first()
    yield "announcement-preview", reverse("admin:registrations_announcement_preview", args=[announcement.pk])
    yield "announcement-add", reverse("admin:registrations_announcement_add") + f"?delegation={delegation.pk}&audience=visit&visit={item.pk}"


def test_admin_pages_fit_a_1366_px_screen(server, demo_desk):
    delegation, page = demo_desk
    too_wide = []
    for name, path in admin_pages(delegation):
        page.goto(server + path)
        if "-change" in name:  # folded sections open: a wide text or table inside must fit too
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        if SCREENSHOTS:
            Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)
        overflow = page.evaluate(WIDER_THAN_SCREEN_JS)
        if overflow > 0:
            too_wide.append(f"{name}: page {overflow}px wider than the screen: {page.evaluate(STICKING_OUT_JS)}")
        if name.removesuffix("-list") in BUSY_CHANGELISTS and page.evaluate(TABLE_OVERFLOW_JS) > 0:
            too_wide.append(f"{name}: table scrolls {page.evaluate(TABLE_OVERFLOW_JS)}px sideways")

    assert too_wide == [], "\n".join(too_wide)


# Words of the name column that the browser broke across two lines ("Emily Zhan|g"): a word split over lines has two boxes.
SPLIT_NAMES_JS = """() => {
  const split = [];
  for (const cell of document.querySelectorAll("#result_list .field-full_name")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/[A-Za-z]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        if (new Set([...range.getClientRects()].map(box => Math.round(box.top))).size > 1) split.push(match[0]);
      }
    }
  }
  return split;
}"""


def test_registration_list_never_breaks_a_name_inside_a_word(server, demo_desk):
    delegation, page = demo_desk
    registration_submit_confirmed(**submission(delegation, full_name="Emily Zhang", email="emily.zhang@example.com"))

    page.goto(server + reverse("admin:registrations_registration_changelist"))

    assert page.evaluate(SPLIT_NAMES_JS) == []
    assert page.evaluate(WIDER_THAN_SCREEN_JS) <= 0 and page.evaluate(TABLE_OVERFLOW_JS) <= 0

"""Real browser, a 1366 px laptop: an organizer writes and sends an announcement to one visit's attendees
in four clicks (Itinerary, Write to them, Save, Send now), and exactly those people get it, once, each in
their language."""

from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from registrations.models import OutboxEmail
from tests.announcement_helpers import make_trip
from tests.browser.checks import Watched

LAPTOP = {"viewport": {"width": 1366, "height": 900}}


def organizer_tab(browser, server) -> Watched:
    admin = get_user_model().objects.create_superuser("organizer", "o@example.com", "pw-for-tests-only")
    client = Client()
    client.force_login(admin)
    context = browser.new_context(locale="en-US", **LAPTOP)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server}])
    context.set_default_timeout(10_000)
    return Watched(page=context.new_page(), origin=server)


def test_organizer_writes_and_sends_to_one_visits_attendees_in_four_clicks(browser, server):
    trip = make_trip()
    mail.outbox.clear()
    tab = organizer_tab(browser, server)
    page = tab.page
    tab.goto("/admin/")

    page.get_by_role("link", name="Itinerary", exact=True).click()  # 1
    page.locator("tr", has_text="Songdo bio park tour").get_by_role("link", name="Write to them").click()  # 2
    page.get_by_label("Subject:", exact=True).fill("The bus leaves at 07:30")
    page.get_by_label("Message:", exact=True).fill("Meet in the hotel lobby at 07:15.")
    page.get_by_label("Subject (Simplified Chinese):").fill("大巴07:30出发")
    page.get_by_label("Message (Simplified Chinese):").fill("请于07:15在酒店大堂集合。")
    page.get_by_role("button", name="Save", exact=True).click()  # 3
    page.get_by_text("2 people (Simplified Chinese: 1 · Korean: 1 · English: 0)").wait_for()
    assert tab.sideways_scroll() == 0
    page.get_by_role("button", name="Send now to 2 people").click()  # 4
    page.get_by_text("Sent to 2 people").wait_for()

    sent = sorted(
        (message.to[0], message.subject)
        for message in mail.outbox
        if message.extra_headers.get("X-Outbox-Id")
        and OutboxEmail.objects.get(pk=message.extra_headers["X-Outbox-Id"]).kind == OutboxEmail.Kind.ANNOUNCEMENT
    )
    assert sent == sorted([(trip.zh.email, "大巴07:30出发"), (trip.ko.email, "The bus leaves at 07:30")])
    assert tab.sideways_scroll() == 0

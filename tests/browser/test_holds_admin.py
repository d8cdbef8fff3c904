"""Organizers and e-mail confirmation holds in a real browser: counters, the burst filter, confirming by hand."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from registrations import services
from registrations.management.demo_content import SLUG
from registrations.models import Delegation, Registration
from tests.conftest import submission

pytestmark = pytest.mark.browser


def test_organizer_sees_holds_and_confirms_one_by_hand_without_sideways_scrolling(open_tab, server):
    call_command("seed_demo", verbosity=0)
    delegation = Delegation.objects.get(slug=SLUG)
    get_user_model().objects.create_superuser(username="organizer", email="", password="correct horse battery staple")
    hall = [services.registration_submit(**submission(delegation, full_name=f"Hall {n}"), client_address="198.51.100.1") for n in range(6)]
    tab = open_tab(locale="en-US", desktop=True)
    page = tab.page
    tab.goto("/admin/")
    page.get_by_label("Username").fill("organizer")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()

    tab.goto("/admin/registrations/delegation/")
    expect(page.locator("td.field-unconfirmed")).to_have_text("6")
    assert tab.sideways_scroll() == 0

    tab.goto("/admin/registrations/registration/?burst=yes")
    assert page.locator("td.field-burst_count").all_inner_texts() == ["6"] * 6
    assert tab.sideways_scroll() == 0
    page.get_by_role("row", name="Hall 0").get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option("confirm_email_by_hand")
    page.get_by_role("button", name="Go").click()

    expect(page.get_by_text("Confirmed the e-mail address of 1 registration.")).to_be_visible()
    assert Registration.objects.get(pk=hall[0].pk).status == Registration.Status.CONFIRMED
    assert tab.errors == []

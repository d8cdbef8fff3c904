"""The registrant's own pages in a real Chromium on a phone (WeChat's user agent), in Chinese:
"Lost your link?", typed values kept across a language switch, the private link to copy, and
screenshots of each page (saved in /tmp/registrant-shots for a person to look at)."""

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from registrations.models import Registration
from registrations.services.outbox import outbox_send_due
from tests.trip_helpers import apply, make_trip

SHOTS = Path("/tmp/registrant-shots")
PHONE_360 = {"width": 360, "height": 740}


def shoot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.set_viewport_size(PHONE_360)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def trip(server):
    return make_trip(seats=1, summary="Four days of site visits in Songdo.")


def test_lost_link_in_chinese_sends_the_link_and_answers_the_same(open_tab, trip, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    registration = apply(trip, email="wang@example.cn", language="zh-hans")
    mail.outbox = []
    tab = open_tab(locale="zh-CN")
    page = tab.page

    tab.goto(trip.get_absolute_url())
    page.get_by_role("link", name="找不到您的链接？").click()
    expect(page.get_by_role("heading", level=1, name="找不到您的链接？")).to_be_visible()
    shoot(page, "lost-link")
    page.get_by_label("您的电子邮箱").fill("wang@example.cn")
    page.get_by_role("button", name="把链接发到我的邮箱").click()
    expect(page.get_by_role("heading", level=1, name="请查看您的邮箱")).to_be_visible()
    registered = page.locator("main").inner_text()
    shoot(page, "lost-link-sent")

    page.go_back()
    page.get_by_label("您的电子邮箱").fill("nobody@example.cn")
    page.get_by_role("button", name="把链接发到我的邮箱").click()
    expect(page.get_by_role("heading", level=1, name="请查看您的邮箱")).to_be_visible()

    assert page.locator("main").inner_text() == registered
    outbox_send_due()
    assert [(message.to, registration.get_absolute_url() in message.body) for message in mail.outbox] == [(["wang@example.cn"], True)]
    tab.assert_sound()


def test_language_switch_keeps_what_was_typed(open_tab, trip):
    tab = open_tab(locale="zh-CN")
    page = tab.page
    tab.goto(f"/d/{trip.slug}/register/")
    page.get_by_label("姓名").fill("王小明")
    page.get_by_label("公司").fill("威海智慧物流有限公司")
    page.get_by_label("清洁能源").check()
    page.get_by_label("电子邮箱").fill("wang@example.cn")

    page.get_by_role("button", name="한국어").click()
    page.wait_for_load_state()

    assert tab.html_lang() == "ko"
    expect(page.get_by_label("성명")).to_have_value("王小明")
    expect(page.get_by_label("회사")).to_have_value("威海智慧物流有限公司")
    expect(page.get_by_label("이메일")).to_have_value("wang@example.cn")
    assert page.locator("input[name=sector]:checked").get_attribute("value") == str(trip.sectors.get(name="Clean energy").pk)
    assert page.evaluate("Object.keys(sessionStorage).length") == 0  # removed once restored
    page.reload()
    expect(page.get_by_label("성명")).to_have_value("")  # not kept beyond the switch


def test_private_page_copy_link_in_wechat(open_tab, trip, server):
    registration = apply(trip, language="zh-hans")
    tab = open_tab(locale="zh-CN")
    page = tab.page
    tab.page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)

    tab.goto(registration.get_absolute_url())
    link = page.locator("#private-link")
    expect(link).to_have_value(server + registration.get_absolute_url())
    page.get_by_role("button", name="复制链接").click()
    expect(page.locator("#copy-status")).to_have_text(re.compile("链接已复制|链接已选中"))
    shoot(page, "private-page")
    tab.assert_sound()


def test_screenshots_of_full_form_and_decline_confirmation_in_chinese(open_tab, trip):
    first, waiting = apply(trip), apply(trip, language="zh-hans")
    tab = open_tab(locale="zh-CN")
    page = tab.page

    tab.goto(f"/d/{trip.slug}/register/")
    expect(page.get_by_role("button", name="加入候补名单")).to_be_visible()
    shoot(page, "register-full")
    tab.goto(trip.get_absolute_url())
    shoot(page, "delegation-full")

    from registrations import services

    services.registration_cancel(registration=first)
    tab.goto(waiting.get_absolute_url())
    page.get_by_role("link", name=re.compile("放弃")).click()
    expect(page.get_by_role("heading", level=1, name="放弃这个名额？")).to_be_visible()
    shoot(page, "decline-confirm")
    assert Registration.objects.get(pk=waiting.pk).status == Registration.Status.OFFERED

"""A confirmed delegate corrects their phone number on a 360 px phone in WeChat, in Chinese."""

import os

from playwright.sync_api import expect

from registrations.models import DetailChange, Registration
from tests.trip_helpers import apply, make_trip

SHOTS = os.environ.get("DETAILS_SCREENSHOTS")  # a path prefix: /tmp/selfedit writes /tmp/selfedit-*.png


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}-{name}.png", full_page=True)


def test_delegate_edits_their_phone_number_on_a_phone_in_chinese(open_tab, server):
    trip = make_trip(contact_email="desk@asianfin.example", contact_wechat_id="AsianFin_Delegation")
    registration = apply(trip, phone="+86 138 0000 0000")
    assert registration.status == Registration.Status.CONFIRMED
    tab = open_tab(locale="zh-CN")
    page = tab.page

    tab.goto(registration.get_absolute_url())
    page.get_by_role("link", name="修改我的信息").click()
    expect(page.get_by_role("heading", name="修改我的信息")).to_be_visible()
    tab.assert_sound()
    shot(page, "edit")
    page.get_by_label("手机").fill("138")
    page.get_by_role("button", name="保存我的信息").click()
    expect(page.get_by_label("手机")).to_have_attribute("aria-invalid", "true")
    shot(page, "edit-errors")
    page.get_by_label("手机").fill("+86 139 1111 2222")
    page.get_by_role("button", name="保存我的信息").click()

    expect(page.get_by_text("您的信息已保存。")).to_be_visible()
    expect(page.get_by_text("+86 139 1111 2222")).to_be_visible()
    tab.assert_sound()
    registration.refresh_from_db()
    assert registration.phone == "+86 139 1111 2222"
    assert list(DetailChange.objects.filter(registration=registration).values_list("field", "new_value")) == [("phone", "+86 139 1111 2222")]


def test_register_form_and_privacy_notice_on_a_phone_in_chinese(open_tab, server):
    trip = make_trip(
        includes="Hotel, 4 nights",
        includes_zh_hans="松岛酒店4晚\n机场接送及全程大巴",
        costs="9,800 CNY",
        costs_zh_hans="参团费：每人9,800元人民币",
        contact_wechat_id="AsianFin_Delegation",
        travel_data_recipients_zh_hans="仁川格兰德酒店（办理入住）",
        travel_data_recipients="Incheon Grand Hotel",
    )
    tab = open_tab(locale="zh-CN")
    page = tab.page

    tab.goto(f"/d/{trip.slug}/register/")
    expect(page.get_by_text("参团费：每人9,800元人民币")).to_be_visible()
    tab.assert_sound()
    shot(page, "register")
    page.get_by_role("link", name="我们如何处理您的个人信息（隐私声明）").click()

    expect(page.get_by_role("heading", name="隐私声明", level=1)).to_be_visible()
    expect(page.get_by_text("仁川格兰德酒店（办理入住）")).to_be_visible()
    tab.assert_sound()
    shot(page, "privacy")

"""A confirmed delegate enters passport details on a 360 px phone, in Chinese."""

import os
from datetime import timedelta

from playwright.sync_api import expect

from registrations.models import Registration
from registrations.models.travel import TravelDocument
from tests.trip_helpers import apply, make_trip


def test_travel_documents_entered_on_a_phone_in_chinese(open_tab, server):
    trip = make_trip(travel_data_recipients="Incheon Grand Hotel", travel_data_recipients_zh_hans="仁川格兰德酒店（办理入住）")
    registration = apply(trip)
    assert registration.status == Registration.Status.CONFIRMED
    tab = open_tab(locale="zh-CN")
    page = tab.page

    tab.goto(registration.get_absolute_url())
    page.get_by_role("link", name="填写或查看我的旅行证件").click()
    expect(page.get_by_text("仁川格兰德酒店（办理入住）")).to_be_visible()
    if os.environ.get("TRAVEL_SCREENSHOT"):
        page.screenshot(path=os.environ["TRAVEL_SCREENSHOT"] + ".consent.png", full_page=True)
    tab.assert_sound()
    page.get_by_label("我同意将我的护照信息提供给上述接收方").check()
    page.get_by_role("button", name="我同意，继续").click()

    page.get_by_label("与护照完全一致的姓名").fill("wang xiaoming")
    page.get_by_label("护照号码").fill("E12345678")
    page.get_by_label("国籍").select_option("CHN")
    page.get_by_label("出生日期").fill("1975-03-02")
    page.get_by_label("护照有效期至").fill((trip.ends_on + timedelta(days=900)).isoformat())
    page.get_by_role("button", name="保存旅行证件").click()

    expect(page.get_by_text("您的旅行证件已保存。您可以在下方修改。")).to_be_visible()
    expect(page.get_by_label("出生日期")).to_have_value("1975-03-02")
    expect(page.get_by_label("与护照完全一致的姓名")).to_have_value("WANG XIAOMING")
    tab.assert_sound()
    if os.environ.get("TRAVEL_SCREENSHOT"):
        page.screenshot(path=os.environ["TRAVEL_SCREENSHOT"], full_page=True)
    assert TravelDocument.objects.get(registration=registration).details["passport_number"] == "E12345678"


def test_travel_documents_admin_list_fits_a_laptop(open_tab, server, browser):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from registrations import services

    trip = make_trip(travel_data_recipients="Incheon Grand Hotel")
    registration = apply(trip, full_name="Long Company Representative Name With Many Words")
    services.travel_consent_give(registration=registration, recipients="Incheon Grand Hotel")
    services.travel_document_save(
        registration=registration,
        details={
            "passport_name": "OUYANG WANGXIAOMING",
            "passport_number": "EA1234567890",
            "nationality": "CHN",
            "date_of_birth": "1975-03-02",
            "passport_expires_on": "2031-01-01",
            "arrival_flight": "OZ334",
            "arrival_at": "2027-05-01T10:30",
            "departure_flight": "OZ333",
            "departure_at": "2027-05-05T18:30",
        },
    )
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("organizer", "o@example.com", "pw-for-tests-only"))
    context = browser.new_context(locale="en-US", viewport={"width": 1366, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server}])
    page = context.new_page()

    page.goto(f"{server}/admin/registrations/traveldocument/?delegation={trip.pk}")

    expect(page.get_by_text("EA1234567890")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    if os.environ.get("TRAVEL_SCREENSHOT"):
        page.screenshot(path=os.environ["TRAVEL_SCREENSHOT"] + ".admin.png", full_page=True)
    context.close()

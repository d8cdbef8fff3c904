"""A delegate hands their seat to a colleague on a 360 px phone, in Chinese; the colleague accepts on theirs; the organizer's form at 1366 px."""

import os

from playwright.sync_api import expect

from registrations.models import Registration, SeatHandover
from tests.trip_helpers import apply, make_trip

SHOTS = os.environ.get("SUBSTITUTE_SCREENSHOTS", "")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}-{name}.png", full_page=True)


def test_seat_handed_to_a_colleague_on_phones_in_chinese(open_tab, server):
    trip = make_trip()
    registration = apply(trip, company="威海智慧物流有限公司", full_name="张三")
    old_url = registration.get_absolute_url()
    tab = open_tab(locale="zh-CN")
    page = tab.page

    tab.goto(old_url)
    page.get_by_role("link", name="将我的席位转让给同事").click()
    tab.assert_sound()
    _shot(page, "delegate-form")
    page.get_by_role("button", name="继续").click()
    expect(page.locator("#error-summary")).to_be_visible()
    _shot(page, "delegate-errors")
    page.get_by_label("同事姓名").fill("李四")
    page.get_by_label("职务").fill("首席运营官")
    page.get_by_label("同事电子邮箱").fill("li.si@example.cn")
    page.get_by_label("同事手机号码").fill("+86 139 0000 0000")
    page.get_by_role("button", name="继续").click()
    expect(page.get_by_text("您本人无法撤销此操作。", exact=False)).to_be_visible()
    tab.assert_sound()
    _shot(page, "delegate-confirm")
    page.get_by_role("button", name="确认，将我的席位转让给 李四").click()
    expect(page.get_by_text("我们已向 李四 发送接受您席位的链接。", exact=False)).to_be_visible()

    handover = SeatHandover.objects.get()
    colleague = open_tab(locale="zh-CN")
    colleague.goto(f"/s/{handover.token}/")
    colleague.assert_sound()
    _shot(colleague.page, "colleague-accept")
    colleague.page.get_by_label("我同意主办方为组织本次代表团而保存和使用以上信息。").check()
    colleague.page.get_by_role("button", name="接受席位").click()
    expect(colleague.page.get_by_text("欢迎：席位已归您所有并已确认。", exact=False)).to_be_visible()
    colleague.assert_sound()
    _shot(colleague.page, "colleague-private-page")

    seat = Registration.objects.get(pk=registration.pk)
    assert (seat.full_name, seat.company, seat.status) == ("李四", "威海智慧物流有限公司", Registration.Status.CONFIRMED)
    assert page.goto(server + old_url).status == 404


def test_organizer_handover_form_fits_a_laptop(browser, server):
    from django.contrib.auth import get_user_model
    from django.test import Client

    trip = make_trip()
    registration = apply(trip, company="Weihai Smart Logistics Co., Ltd.", full_name="Zhang San")
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("organizer", "o@example.com", "pw-for-tests-only"))
    context = browser.new_context(locale="en-US", viewport={"width": 1366, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server}])
    page = context.new_page()

    page.goto(f"{server}/admin/registrations/registration/{registration.pk}/change/")
    page.get_by_role("link", name="Hand this seat to a colleague").click()
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    expect(page.locator("#id_company")).to_have_value("Weihai Smart Logistics Co., Ltd.")
    page.locator("#id_full_name").fill("Li Si")
    page.locator("#id_job_title").fill("COO")
    page.locator("#id_email").fill("li.si@example.cn")
    page.locator("#id_phone").fill("+86 139 0000 0000")
    page.locator("#id_company").fill("CJ Logistics")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("The seat stays with Weihai Smart Logistics Co., Ltd.", exact=False)).to_be_visible()
    _shot(page, "admin-form-error")
    page.locator("#id_company").fill("WEIHAI SMART LOGISTICS")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("We e-mailed Li Si a link to accept the seat", exact=False)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    _shot(page, "admin-change-page")
    assert SeatHandover.objects.get().full_name == "Li Si"
    context.close()

"""The journeys of the issue, in a real Chromium: a registrant scans the QR code on a phone in Chinese,
the next one lands on the waiting list in Korean, and an organizer finds the registration in admin."""

import io
import re
import urllib.request
from datetime import timedelta

import pytest
import zxingcpp
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from registrations import services
from registrations.models import Delegation, OutboxEmail, Question, Registration
from registrations.services.codes import email_confirm_code
from tests.browser.checks import PAGE_WEIGHT_BUDGET
from tests.conftest import make_delegation, submission

Status = Registration.Status
SLUG = "incheon-tech-week"


def scan_qr_code(server: str, path: str) -> str:
    """Fetch the QR PNG as a poster printer would, and decode it as a phone camera would."""
    with urllib.request.urlopen(server + path) as response:
        png = response.read()
    (code,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return code.text


@pytest.fixture
def incheon(server) -> Delegation:
    """The real demo delegation (three languages) with a single seat."""
    call_command("seed_demo", "--seats", "1", verbosity=0)
    return Delegation.objects.get(slug=SLUG)


def test_scan_journey_in_chinese_on_a_phone(open_tab, server, incheon):
    url = scan_qr_code(server, f"/d/{SLUG}/qr.png?src=poster")
    assert url == f"{server}/q/poster"  # the poster source's short link: counts the scan, then opens the form
    tab = open_tab(locale="zh-CN")

    tab.goto(url)
    page = tab.page
    assert page.url == f"{server}/d/{SLUG}/register/?src=poster"
    assert tab.html_lang() == "zh-hans"
    assert page.get_by_role("heading", level=1).inner_text() == "报名参加代表团"
    weight = tab.transfer_bytes()
    print(f"registration page transfer: {weight} bytes")
    assert weight <= PAGE_WEIGHT_BUDGET
    tab.assert_sound()

    page.get_by_label("姓名").fill("王小明")
    page.get_by_label("公司").fill("威海智慧物流有限公司")
    page.get_by_label("职务").fill("首席执行官")
    page.get_by_label("智慧物流").check()
    page.get_by_label("电子邮箱").fill("wang.xiaoming@example.cn")
    page.get_by_label("手机").fill("+86 138 0000 0000")
    page.get_by_label("微信号").fill("wang_xm")
    page.get_by_label("我同意主办方").check()
    page.get_by_role("button", name="报名", exact=True).click()

    page.wait_for_url(re.compile(r"/r/[\w-]{43}/$"))
    expect(page.get_by_role("heading", level=2, name="等待邮件确认")).to_be_visible()
    tab.assert_sound()
    code = email_confirm_code(Registration.objects.get())  # read in the e-mail on another device, typed here
    assert f"或在您的专属页面输入此确认码：{code}" in OutboxEmail.objects.get(kind=OutboxEmail.Kind.RECEIVED).body_text
    page.get_by_label("确认码").fill(code)
    page.get_by_role("button", name="确认我的电子邮箱").click()
    page.wait_for_url(re.compile(r"/r/[\w-]{43}/$"))
    expect(page.get_by_role("heading", level=2, name="已确认")).to_be_visible()
    expect(page.get_by_text("您在代表团中的名额已确认。")).to_be_visible()
    expect(page.get_by_text("智慧物流", exact=True)).to_be_visible()
    tab.assert_sound()
    registration = Registration.objects.get()
    assert (registration.full_name, registration.status, registration.source, registration.language) == (
        "王小明",
        Status.CONFIRMED,
        "poster",
        "zh-hans",
    )


def test_waiting_list_journey_in_korean_with_errors_first(open_tab, server, incheon):
    services.registration_submit(**submission(incheon))  # the only seat is taken
    tab = open_tab(locale="ko-KR")
    page = tab.page

    tab.goto(f"/d/{SLUG}/")
    assert tab.html_lang() == "ko"
    expect(page.get_by_text("송도 바이오산업단지 및 삼성바이오로직스")).to_be_visible()
    tab.assert_sound()
    page.get_by_role("link", name="대기자 명단에 등록").click()
    page.get_by_role("button", name="대기자 명단에 등록", exact=True).click()

    summary = page.get_by_role("alert")
    assert summary.get_by_role("link").count() == 7
    assert page.evaluate("document.activeElement.id") == "id_full_name"
    tab.assert_sound()
    summary.get_by_role("link", name=re.compile("소속 분야")).click()
    assert page.evaluate("document.activeElement.id") == "id_sector_0"

    page.get_by_label("성명").fill("김민준")
    page.get_by_label("회사").fill("인천스마트물류")
    page.get_by_label("직함").fill("대표이사")
    page.get_by_label("바이오테크놀로지").check()
    page.get_by_label("이메일").fill("minjun.kim@example.kr")
    page.get_by_label("휴대전화").fill("+82 10 1234 5678")
    page.get_by_label("동의합니다").check()
    page.get_by_role("button", name="대기자 명단에 등록", exact=True).click()

    page.wait_for_url(re.compile(r"/r/[\w-]{43}/$"))
    expect(page.get_by_role("heading", level=2, name="대기 중")).to_be_visible()
    expect(page.get_by_text("대기 순번은 1번입니다.")).to_be_visible()
    tab.assert_sound()
    registration = Registration.objects.get(email="minjun.kim@example.kr")
    assert (registration.status, registration.waitlist_position, registration.language) == (Status.WAITLISTED, 1, "ko")


def test_registration_by_keyboard_only(open_tab, server, incheon):
    tab = open_tab(locale="en-US", desktop=True)
    page = tab.page
    tab.goto(f"/d/{SLUG}/register/")

    def focused() -> str:
        return page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")

    page.keyboard.press("Tab")
    assert focused() == "Skip to content"
    page.keyboard.press("Enter")
    for _ in range(5):  # past the links back to the delegation, to the organizer's e-mail and to the privacy notice
        page.keyboard.press("Tab")
        if focused() == "id_full_name":
            break
    order = []
    # the demo's three optional questions on the form (hotel, diet, room type): one tab stop per radio group, left unanswered
    questions = [f"id_q_{pk}_0" for pk in Question.objects.filter(stage="registration").order_by("order", "pk").values_list("pk", flat=True)]
    for keys in ["Emily Zhang", "Shanghai Mobility", "COO", " ", "emily@example.com", "+86 139 0000 0000", "", "", *[""] * len(questions), " "]:
        order.append(focused())
        if keys.strip():
            page.keyboard.type(keys)
        elif keys == " ":
            page.keyboard.press("Space")
        page.keyboard.press("Tab")
    assert order == [
        "id_full_name",
        "id_company",
        "id_job_title",
        "id_sector_0",
        "id_email",
        "id_phone",
        "id_wechat_id",
        "id_note",
        *questions,
        "id_consent",
    ]
    assert len(questions) == 3
    assert focused() == "submit-id-submit"
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/r/[\w-]{43}/(#main)?$"))  # the skip link's #main stays through the redirect
    expect(page.get_by_role("heading", level=2, name="Awaiting e-mail confirmation")).to_be_visible()  # the demo asks for it
    assert Registration.objects.get().sector.name == "Biotechnology"


def test_language_switcher_works_without_javascript_and_is_remembered(open_tab, server, incheon):
    tab = open_tab(locale="en-US", javascript=False)
    page = tab.page

    tab.goto(f"/d/{SLUG}/register/?src=poster")
    assert tab.html_lang() == "en"
    page.get_by_role("button", name="简体中文").click()

    assert page.url == f"{server}/d/{SLUG}/register/?src=poster"
    assert tab.html_lang() == "zh-hans"
    assert page.get_by_role("heading", level=1).inner_text() == "报名参加代表团"
    tab.goto(f"/d/{SLUG}/")
    assert tab.html_lang() == "zh-hans"
    assert page.get_by_role("heading", level=1).inner_text() == "AsianFin全球商业领袖俱乐部：仁川科技周企业家代表团"
    page.get_by_role("button", name="한국어").click()
    assert tab.html_lang() == "ko"
    assert page.get_by_role("button", name="한국어").get_attribute("aria-current") == "true"
    assert tab.errors == [] and tab.foreign_requests() == []


def test_registration_without_javascript_shows_the_error_summary(open_tab, server, incheon):
    tab = open_tab(locale="zh-CN", javascript=False)
    page = tab.page

    tab.goto(f"/d/{SLUG}/register/")
    page.get_by_label("姓名").fill("王小明")
    page.get_by_role("button", name="报名", exact=True).click()

    summary = page.get_by_role("alert")
    assert summary.get_by_role("link").count() == 6
    assert summary.get_by_role("link", name="电子邮箱：这个字段是必填项。").get_attribute("href") == "#id_email"
    assert page.get_by_label("姓名").input_value() == "王小明"
    assert Registration.objects.count() == 0


def test_organizer_finds_and_confirms_the_application_in_admin(open_tab, server, incheon):
    call_command("seed_demo", "--review", verbosity=0)
    incheon.refresh_from_db()
    get_user_model().objects.create_superuser(username="organizer", email="", password="correct horse battery staple")
    services.registration_submit(**submission(incheon, full_name="王小明", company="威海智慧物流有限公司"), language="zh-hans")
    tab = open_tab(locale="en-US", desktop=True)
    page = tab.page

    tab.goto("/admin/")
    page.get_by_label("Username").fill("organizer")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Registrations", exact=True).first.click()
    page.get_by_role("textbox", name="Search").fill("王小明")
    page.get_by_role("textbox", name="Search").press("Enter")
    page.get_by_role("link", name="王小明").click()

    expect(page.get_by_role("heading", level=2, name="王小明 (威海智慧物流有限公司)")).to_be_visible()
    expect(page.locator(".field-language").get_by_text("Simplified Chinese")).to_have_count(1)  # waits, as the lines around it
    expect(page.locator(".field-status").get_by_text("Application received")).to_be_visible()

    page.go_back()
    page.get_by_role("row", name="王小明").get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option("confirm_selected")
    page.get_by_role("button", name="Go").click()

    expect(page.get_by_text("Confirmed 1 registration.")).to_be_visible()
    expect(page.get_by_role("row", name="王小明").get_by_text("Confirmed")).to_be_visible()
    assert tab.errors == [] and tab.foreign_requests() == []


@pytest.mark.parametrize("locale", ["zh-CN", "ko-KR", "en-US"])
def test_every_public_page_is_sound_on_a_phone(open_tab, server, incheon, locale):
    """Only our host, no console error, no sideways scroll, 44 px tap targets, no serious axe violation."""
    confirmed = services.registration_submit(**submission(incheon))
    waitlisted = services.registration_submit(**submission(incheon))
    closed = make_delegation(slug="closed", registration_closes_at=timezone.now() - timedelta(days=1))
    tab = open_tab(locale=locale)
    pages = [
        "/",
        f"/d/{SLUG}/",
        f"/d/{SLUG}/register/",
        confirmed.get_absolute_url(),
        waitlisted.get_absolute_url(),
        f"/r/{waitlisted.token}/cancel/",
        f"/d/{closed.slug}/register/",
    ]
    error_pages = {"/d/no-such-delegation/": (404, "Not Found"), f"/d/{SLUG}/register/?src=NOT%20VALID": (400, "Bad Request")}
    for path in pages + list(error_pages):
        tab.goto(path)
        if path in error_pages:  # the page itself is the expected error, nothing else may fail
            status, reason = error_pages.pop(path)
            assert sorted(tab.errors) == [
                f"Failed to load resource: the server responded with a status of {status} ({reason})",
                f"HTTP {status} {server}{path}",
            ]
            tab.errors.clear()
        assert (path, tab.html_lang()) == (path, {"zh-CN": "zh-hans", "ko-KR": "ko", "en-US": "en"}[locale])
        tab.assert_sound()

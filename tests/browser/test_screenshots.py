"""`make screenshots`: the key screens for the README, saved into docs/screenshots/.

Marked ``screenshots``, so the normal test run leaves it out (pytest.ini)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from registrations import services
from registrations.models import Delegation, Registration
from registrations.services.codes import email_confirm_code
from tests.checkin_helpers import korea_today_at, trip
from tests.conftest import submission
from tests.helpers import registration_submit_confirmed

OUT = Path(settings.BASE_DIR) / "docs" / "screenshots"
SLUG = "incheon-tech-week"
PEOPLE = [
    ("王小明", "威海智慧物流有限公司", "首席执行官", "zh-hans"),
    ("李娜", "苏州生物医药科技有限公司", "副总裁", "zh-hans"),
    ("陈伟", "深圳清洁能源集团", "董事长", "zh-hans"),
    ("Emily Zhang", "Shanghai Autonomous Mobility Ltd.", "COO", "en"),
    ("박서준", "송도바이오텍", "상무", "ko"),
]

pytestmark = pytest.mark.screenshots


@pytest.fixture(autouse=True, scope="module")
def cjk_fonts():
    """Without a Chinese/Korean font Chromium draws boxes instead of text."""
    for language in ("zh-cn", "ko"):
        found = shutil.which("fc-list") and subprocess.run(["fc-list", f":lang={language}"], capture_output=True, text=True).stdout
        if not found:
            pytest.fail(f"No {language} font for the screenshots: apt-get install fonts-noto-cjk")


@pytest.fixture
def demo(server) -> Delegation:
    call_command("seed_demo", verbosity=0)
    delegation = Delegation.objects.get(slug=SLUG)
    sectors = list(delegation.sectors.all())
    for number, (name, company, title, language) in enumerate(PEOPLE):
        registration = services.registration_submit(
            **submission(
                delegation, full_name=name, company=company, job_title=title, sector=sectors[number % 4], email=f"person{number}@example.com"
            ),
            language=language,
        )
        if registration.status == Registration.Status.UNCONFIRMED:  # the demo asks for e-mail confirmation
            services.registration_email_confirm(registration=registration, code=email_confirm_code(registration))
    return delegation


def shoot(tab, name: str) -> None:
    """Save the visible screen as docs/screenshots/<name>.png; a screen that scrolls sideways is refused."""
    tab.page.wait_for_load_state("load")
    assert tab.sideways_scroll() == 0, name
    OUT.mkdir(parents=True, exist_ok=True)
    tab.page.screenshot(path=str(OUT / f"{name}.png"))


def test_phone_screens(open_tab, demo):
    for locale, code in [("zh-CN", "zh"), ("ko-KR", "ko"), ("en-US", "en")]:
        tab = open_tab(locale=locale)
        tab.goto(f"/d/{SLUG}/")
        shoot(tab, f"delegation-{code}")

    tab = open_tab(locale="zh-CN")
    tab.goto(f"/d/{SLUG}/register/?src=poster")
    tab.page.get_by_label("姓名").fill("赵强")
    tab.page.get_by_label("电子邮箱").fill("zhao.qiang@")
    tab.page.get_by_role("button", name="报名", exact=True).click()
    tab.page.get_by_role("alert").wait_for()
    tab.page.evaluate("window.scrollTo(0, 0)")
    shoot(tab, "form-errors-zh")

    registration = demo.registrations.get(full_name="王小明")
    tab.goto(registration.get_absolute_url())
    shoot(tab, "private-page-zh")


def organizer_tab(open_tab):
    """A 1366 px laptop, logged in as the organizer (a superuser)."""
    get_user_model().objects.create_superuser(username="organizer", email="", password="correct horse battery staple")
    tab = open_tab(locale="en-US", desktop=True)
    tab.page.set_viewport_size({"width": 1366, "height": 800})
    tab.goto("/admin/")
    tab.page.get_by_label("Username").fill("organizer")
    tab.page.get_by_label("Password").fill("correct horse battery staple")
    tab.page.get_by_role("button", name="Log in").click()
    tab.page.wait_for_url(re.compile(r"/admin/$"))
    return tab


def test_admin_screens(open_tab, demo):
    tab = organizer_tab(open_tab)

    tab.goto(f"/admin/registrations/delegation/{demo.pk}/dashboard/")
    shoot(tab, "admin-dashboard")
    tab.goto("/admin/registrations/delegation/")
    shoot(tab, "admin-delegations")
    tab.goto("/admin/registrations/registration/")
    shoot(tab, "admin-registrations")
    tab.goto(f"/admin/registrations/delegation/{demo.pk}/change/")
    for language in ("Simplified Chinese", "Korean"):  # folded in desk order: opened as a person would
        tab.page.get_by_text(f"Text in {language}", exact=True).click()
    tab.page.get_by_role("heading", name="Text in Simplified Chinese").evaluate(
        "heading => window.scrollTo(0, heading.getBoundingClientRect().top + window.scrollY - 16)"
    )
    shoot(tab, "admin-delegation-languages")


def test_desk_and_door_screens(open_tab, demo):
    """Issue 9's pages: quick controls, the delegation in desk order, a review decision, adding check-in
    staff, and the staff member's green result on a phone."""
    services.delegation_set_seats(delegation=demo, seats=5)  # full: the next person waits
    registration_submit_confirmed(
        **submission(demo, full_name="赵强", company="宁波港智能装备有限公司", job_title="总经理", sector=demo.sectors.last()), language="zh-hans"
    )
    tab = organizer_tab(open_tab)
    tab.goto(f"/admin/registrations/delegation/{demo.pk}/dashboard/")
    tab.page.get_by_label("Seats", exact=True).fill("6")
    tab.page.get_by_role("button", name="Change seats").click()
    tab.page.locator(".messagelist").wait_for()
    shoot(tab, "admin-dashboard-controls")
    tab.goto(f"/admin/registrations/delegation/{demo.pk}/change/")
    shoot(tab, "admin-delegation-desk")

    tab.goto(f"/admin/registrations/delegation/{demo.pk}/dashboard/")
    tab.page.get_by_role("button", name="Switch to: Application review").click()
    tab.page.locator(".messagelist").wait_for()
    sector = demo.sectors.first()
    for name, company in [("刘洋", "杭州新能源汽车零部件有限公司"), ("张敏", "青岛港口物流集团")]:
        services.registration_submit(
            **submission(
                demo, full_name=name, company=company, job_title="总经理", sector=sector, note="希望参观松岛生物园区，并与当地企业洽谈合作。"
            ),
            language="zh-hans",
        )
    pending = demo.registrations.get(full_name="刘洋")
    tab.goto(f"/admin/registrations/registration/{pending.pk}/change/")
    shoot(tab, "admin-review")

    tab.goto("/admin/")
    tab.page.get_by_role("link", name="Add check-in staff").click()
    tab.page.get_by_label("Username").fill("gate1")
    tab.page.get_by_label("Display name (optional)").fill("Gate One")
    tab.page.evaluate("document.activeElement.blur()")
    shoot(tab, "admin-checkin-staff-add")
    tab.page.get_by_role("button", name="Create account and show its password").click()
    password = tab.page.locator(".checkin-staff-password").inner_text().strip()

    door = trip(visits=[("Songdo Bio Industrial Park", korea_today_at(timezone.localtime().hour))])
    door.title_zh_hans = "仁川科技周"
    door.save()
    visit = door.itinerary.get()
    visit.title_zh_hans = "松岛生物产业园"
    visit.save()
    sector = door.sectors.get(name="Smart logistics")
    sector.name_zh_hans = "智慧物流"
    sector.save()
    delegate = services.registration_submit(
        **submission(door, full_name="王小明", company="威海智慧物流有限公司", job_title="首席执行官", sector=sector), language="zh-hans"
    )
    phone = open_tab(locale="zh-CN")
    phone.goto("/admin/login/")
    phone.page.locator("#id_username").fill("gate1")
    phone.page.locator("#id_password").fill(password)
    phone.page.locator("#login-form [type=submit]").click()
    phone.page.wait_for_url(re.compile(r"/c/$"))
    phone.goto(f"/c/{delegate.checkin_code}/")
    phone.page.get_by_role("button", name="签到：松岛生物产业园").click()
    phone.page.locator(".checkin-result-ok").wait_for()
    shoot(phone, "checkin-green-zh")


def test_announcement_screen(open_tab, demo):
    """Issue 12: "Preview and send" of an announcement to one visit's attendees, at 1366 px."""
    from registrations.models import Announcement

    visit = demo.itinerary.get(order=2)  # Songdo Bio Industrial Park and Samsung Biologics (optional)
    for name in ("王小明", "李娜", "Emily Zhang", "박서준"):
        services.visit_join(registration=demo.registrations.get(full_name=name), visits=[visit])
    announcement = Announcement.objects.create(
        delegation=demo,
        audience=Announcement.Audience.VISIT,
        visit=visit,
        subject="Samsung Biologics visit: the bus leaves at 13:30",
        subject_zh_hans="三星生物制剂参访：大巴13:30出发",
        subject_ko="삼성바이오로직스 방문: 버스 13:30 출발",
        body="The bus to Songdo Bio Industrial Park leaves from the north exit of Songdo Convensia at 13:30.\n\n"
        "Please bring your passport: the host's security desk checks it.",
        body_zh_hans="前往松岛生物产业园区的大巴13:30从松岛会展中心北出口出发。\n\n请携带护照：接待方安检处将核验。",
        body_ko="송도 바이오산업단지행 버스는 13:30에 송도컨벤시아 북쪽 출구에서 출발합니다.\n\n여권을 지참하세요. 주최 측 보안 데스크에서 확인합니다.",
    )
    tab = organizer_tab(open_tab)
    tab.goto(f"/admin/registrations/announcement/{announcement.pk}/preview/")
    shoot(tab, "admin-announcement-preview")

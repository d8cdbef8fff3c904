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

from registrations import services
from registrations.models import Delegation, Registration
from registrations.services.codes import email_confirm_code

from ..conftest import submission

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
        registration = services.registration_submit(**submission(
            delegation, full_name=name, company=company, job_title=title, sector=sectors[number % 4],
            email=f"person{number}@example.com"), language=language)
        if registration.status == Registration.Status.UNCONFIRMED:  # the demo asks for e-mail confirmation
            services.registration_email_confirm(registration=registration, code=email_confirm_code(registration))
    return delegation


def shoot(tab, name: str) -> None:
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


def test_admin_screens(open_tab, demo):
    get_user_model().objects.create_superuser(username="organizer", email="", password="correct horse battery staple")
    tab = open_tab(locale="en-US", desktop=True)
    tab.goto("/admin/")
    tab.page.get_by_label("Username").fill("organizer")
    tab.page.get_by_label("Password").fill("correct horse battery staple")
    tab.page.get_by_role("button", name="Log in").click()
    tab.page.wait_for_url(re.compile(r"/admin/$"))

    tab.goto(f"/admin/registrations/delegation/{demo.pk}/dashboard/")
    shoot(tab, "admin-dashboard")
    tab.goto("/admin/registrations/delegation/")
    shoot(tab, "admin-delegations")
    tab.goto("/admin/registrations/registration/")
    shoot(tab, "admin-registrations")
    tab.goto(f"/admin/registrations/delegation/{demo.pk}/change/")
    tab.page.get_by_role("heading", name="Text in Simplified Chinese").evaluate("heading => heading.scrollIntoView()")
    shoot(tab, "admin-delegation-languages")

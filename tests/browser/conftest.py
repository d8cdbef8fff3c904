"""Real-browser fixtures: Debian's Chromium driven by Playwright against a live server.

The server serves static files the way production does: collected by ``collectstatic`` (which writes
gzip copies) and served by WhiteNoise, so the page weight measured here is what a phone downloads.
Chromium is never downloaded: the tests use /usr/bin/chromium (``apt-get install chromium``).
"""

import os
import shutil
from collections.abc import Callable, Iterator

import pytest
from django.core.management import call_command
from django.test.testcases import LiveServerThread
from django.test.utils import override_settings

from tests.browser.checks import Watched

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# WeChat's in-app browser on Android: the registrants' usual browser.
WECHAT_ANDROID_UA = (
    "Mozilla/5.0 (Linux; Android 14; V2309A Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/130.0.6723.103 Mobile Safari/537.36 XWEB/1300289 MMWEBSDK/20241103 MMWEBID/2586 "
    "MicroMessenger/8.0.55.2780(0x2800373B) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64"
)
PHONE = {"viewport": {"width": 360, "height": 640}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}


def pytest_collection_modifyitems(config, items):
    """Every test in this folder is a browser test; without Chromium they are skipped (or fail in CI)."""
    here = os.path.dirname(__file__)
    missing = not os.path.exists(CHROMIUM)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.browser)
            if missing and not os.environ.get("REQUIRE_BROWSER"):
                item.add_marker(pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"))


def _passthrough(application):
    """Instead of the test server's own static handler: WhiteNoise in the middleware serves /static/."""
    return application


@pytest.fixture(scope="session")
def site_server(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[str]:
    """A live server on 127.0.0.1 serving collected, compressed static files through WhiteNoise; yields its URL."""
    static_root = tmp_path_factory.mktemp("staticfiles")
    # MEDIA_URL: the test server would otherwise serve every path from the working directory as media.
    with override_settings(STATIC_ROOT=static_root, MEDIA_URL="/media/", MEDIA_ROOT=str(static_root / "media")):
        call_command("collectstatic", interactive=False, verbosity=0)
        thread = LiveServerThread("127.0.0.1", _passthrough, port=0)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        yield f"http://127.0.0.1:{thread.port}"
        thread.terminate()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls of the tests are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def server(site_server, transactional_db, settings) -> str:
    """The live server's URL, also written into QR codes (SITE_URL)."""
    settings.SITE_URL = site_server
    return site_server


@pytest.fixture
def open_tab(browser, server) -> Iterator[Callable[..., Watched]]:
    """Open a watched tab: ``open_tab(locale="zh-CN")`` is a phone in WeChat, ``desktop=True`` a laptop."""
    contexts = []

    def open_(*, locale: str = "zh-CN", desktop: bool = False, javascript: bool = True) -> Watched:
        options = DESKTOP if desktop else {**PHONE, "user_agent": WECHAT_ANDROID_UA}
        context = browser.new_context(locale=locale, java_script_enabled=javascript, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return Watched(page=context.new_page(), origin=server)

    yield open_
    for context in contexts:
        context.close()

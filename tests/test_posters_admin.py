"""Printable posters: bilingual (Chinese + English) by default, one language on request, organizer line in the
poster's language, and previewing a language never switches the organizer's admin language."""

from django.urls import reverse

from registrations.models import Source
from tests.trip_helpers import make_trip


def poster_url(delegation, lang=None) -> str:
    url = reverse("admin:registrations_source_delegation_poster", args=[delegation.pk])
    return f"{url}?lang={lang}" if lang else url


def article(page: str) -> str:
    return page[page.index('<article class="poster"') : page.index("</article>")]


def test_poster_is_bilingual_by_default(admin_client, db):
    trip = make_trip(seats=20)

    poster = article(admin_client.get(poster_url(trip)).content.decode())

    assert 'lang="zh-hans"' in poster
    assert trip.title_zh_hans in poster and trip.title in poster
    assert "钛媒体全球商业领袖俱乐部" in poster and "AsianFin Global Business Leaders Club" in poster
    assert "生物技术" in poster and "Biotechnology" in poster
    assert "扫码报名" in poster and "Scan to register" in poster


def test_poster_in_korean_has_the_organizer_line_in_korean(admin_client, db):
    trip = make_trip(seats=20, organizer_ko="에이시안핀 글로벌 비즈니스 리더스 클럽", title_ko="인천 대표단")

    poster = article(admin_client.get(poster_url(trip, "ko")).content.decode())

    assert "에이시안핀 글로벌 비즈니스 리더스 클럽" in poster and "인천 대표단" in poster
    assert "스캔하여 등록하기" in poster
    assert "AsianFin Global Business Leaders Club" not in poster and "钛媒体" not in poster


def test_poster_preview_does_not_switch_the_admin_language(admin_client, db):
    trip = make_trip(seats=20)

    response = admin_client.get(poster_url(trip, "zh-hans"))
    admin_page = admin_client.get(reverse("admin:index")).content.decode()

    page = response.content.decode()
    assert "django_language" not in response.cookies and "django_language" not in admin_client.cookies
    assert reverse("set_language") not in page  # no site language switcher on the poster page
    assert "Print (A4)" in page  # the toolbar stays in the admin's language
    assert trip.title_zh_hans in article(page) and trip.title not in article(page)
    assert "<title>Run the delegation | Delegation admin</title>" in admin_page


def test_poster_in_english_for_an_admin_in_chinese(admin_client, db):
    trip = make_trip(seats=20)
    source = Source.objects.create(delegation=trip, name="Forum poster", code="forum")
    admin_client.cookies["django_language"] = "zh-hans"

    page = admin_client.get(reverse("admin:registrations_source_poster", args=[source.pk]) + "?lang=en").content.decode()

    assert "打印（A4）" in page
    assert "Scan to register" in article(page) and "扫码报名" not in article(page)
    assert "Limited to 20 seats" in article(page)
    assert admin_client.cookies["django_language"].value == "zh-hans"

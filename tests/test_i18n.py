"""Languages: Accept-Language, the switcher's cookie, <html lang>, multilingual content with English
fallback, and the registrant's language."""

import pytest
from django.urls import reverse
from django.utils import translation

from registrations import services
from registrations.core.i18n import field_name, localized, supported_language
from registrations.models import Registration
from tests.conftest import make_delegation, submission
from tests.helpers import form_data, register_url, trip_day


@pytest.fixture
def trilingual(db):
    delegation = make_delegation(
        seats=2,
        title="Delegation to Incheon Tech Week",
        title_zh_hans="仁川科技周代表团",
        title_ko="인천 테크위크 대표단",
        city="Incheon",
        city_zh_hans="仁川",
        city_ko="",
    )
    delegation.sectors.filter(name="Biotechnology").update(name_zh_hans="生物技术", name_ko="바이오테크놀로지")
    return delegation


@pytest.mark.parametrize(
    "accept, lang, heading",
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh-hans", "报名参加代表团"),
        ("zh-TW", "zh-hans", "报名参加代表团"),
        ("ko-KR,ko;q=0.9", "ko", "대표단 참가 등록"),
        ("en-GB", "en", "Register for the delegation"),
        ("fr-FR,de;q=0.8", "en", "Register for the delegation"),
        ("", "en", "Register for the delegation"),
    ],
)
def test_language_follows_accept_language(client, trilingual, accept, lang, heading):
    response = client.get(register_url(trilingual), HTTP_ACCEPT_LANGUAGE=accept)

    page = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in page
    assert f'<h1 class="h3">{heading}</h1>' in page
    assert "Accept-Language" in response["Vary"]


def test_switcher_choice_is_kept_in_a_cookie_and_beats_accept_language(client, trilingual):
    url = register_url(trilingual) + "?src=poster"

    response = client.post(reverse("set_language"), {"language": "ko", "next": url}, HTTP_ACCEPT_LANGUAGE="zh-CN")

    assert response.status_code == 302 and response["Location"] == url
    assert response.cookies["django_language"].value == "ko"
    assert response.cookies["django_language"]["max-age"] == 365 * 24 * 60 * 60
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert '<html lang="ko">' in page and "대표단 참가 등록" in page


@pytest.mark.parametrize("name", ["home", "delegation", "register", "private", "cancel", "closed", "not_found", "bad_request"])
def test_every_public_page_has_the_language_switcher(client, trilingual, name):
    registration = services.registration_submit(**submission(trilingual))
    closed = make_delegation(registration_closes_at=trilingual.created_at)
    path = {
        "home": "/",
        "delegation": trilingual.get_absolute_url(),
        "register": register_url(trilingual),
        "private": registration.get_absolute_url(),
        "cancel": f"/r/{registration.token}/cancel/",
        "closed": register_url(closed),
        "not_found": "/d/nothing-here/",
        "bad_request": register_url(trilingual) + "?src=%20",
    }[name]

    page = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()

    assert '<nav class="language-switcher" aria-label="语言">' in page
    assert f'<input type="hidden" name="next" value="{path}">' in page
    for code, label in [("zh-hans", "简体中文"), ("ko", "한국어"), ("en", "English")]:
        assert f'name="language" value="{code}" lang="{code}"' in page and f">{label}</button>" in page
    assert 'value="zh-hans" lang="zh-hans" aria-current="true"' in page


@pytest.mark.parametrize("language", ["zh-hans", "ko", "en"])
def test_qr_register_url_has_no_language_prefix_and_works_in_every_language(client, trilingual, language):
    client.cookies["django_language"] = language

    response = client.get(f"/d/{trilingual.slug}/register/?src=poster")

    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()


def test_content_in_the_active_language_with_english_fallback(client, trilingual):
    chinese = client.get(trilingual.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    korean = client.get(trilingual.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ko").content.decode()

    assert '<h1 class="h3">仁川科技周代表团</h1>' in chinese and "仁川 ·" in chinese
    assert "<li>生物技术</li>" in chinese and "<li>Clean energy</li>" in chinese  # no translation: English
    assert '<h1 class="h3">인천 테크위크 대표단</h1>' in korean and "Incheon ·" in korean  # empty city_ko
    assert "<li>바이오테크놀로지</li>" in korean


def test_localized_reads_the_translation_or_the_english_text(trilingual):
    assert localized(trilingual, "title", "zh-hans") == "仁川科技周代表团"
    assert localized(trilingual, "city", "ko") == "Incheon"
    assert localized(trilingual, "title", "en") == "Delegation to Incheon Tech Week"
    assert localized(trilingual, "title", "zh-CN") == "仁川科技周代表团"
    with translation.override("ko"):
        assert (str(trilingual), trilingual.local.title, trilingual.local.city) == ("인천 테크위크 대표단", "인천 테크위크 대표단", "Incheon")
    with pytest.raises(AttributeError):
        trilingual.local.slug  # noqa: B018  (only content fields are translated)


def test_field_name_and_supported_language():
    assert [field_name("title", code) for code in ["zh-hans", "ko", "en", "fr"]] == ["title_zh_hans", "title_ko", "title", "title"]
    assert [supported_language(code) for code in ["zh-CN", "zh-Hans", "ko-KR", "en-US", "ja", "", None]] == [
        "zh-hans",
        "zh-hans",
        "ko",
        "en",
        "en",
        "en",
        "en",
    ]


@pytest.mark.parametrize("accept, stored", [("zh-CN,zh;q=0.9", "zh-hans"), ("ko-KR", "ko"), ("en-US", "en"), ("ja-JP", "en")])
def test_registration_remembers_the_language_of_the_form(client, trilingual, accept, stored):
    client.post(register_url(trilingual), form_data(trilingual), HTTP_ACCEPT_LANGUAGE=accept)

    assert Registration.objects.get().language == stored


def test_registration_submit_normalises_the_language(trilingual):
    first = services.registration_submit(**submission(trilingual), language="zh-CN")
    second = services.registration_submit(**submission(trilingual))

    assert (first.language, second.language) == ("zh-hans", "en")


def test_errors_are_translated_and_listed_with_links_to_their_fields(client, trilingual):
    response = client.post(register_url(trilingual), {"email": "wrong"}, HTTP_ACCEPT_LANGUAGE="zh-CN")

    page = response.content.decode()
    assert '<a href="#id_full_name">姓名：这个字段是必填项。</a>' in page
    assert '<a href="#id_sector_0">您所在的领域：这个字段是必填项。</a>' in page and 'id="id_sector_0"' in page
    assert '<a href="#id_email">电子邮箱：输入一个有效的 Email 地址。</a>' in page
    assert '<a href="#id_consent">请勾选此项，以便我们处理您的报名。</a>' in page
    assert "<title>错误： 报名 · 仁川科技周代表团</title>" in page
    assert Registration.objects.count() == 0


def test_service_refusal_is_translated(client, trilingual):
    services.registration_submit(**submission(trilingual, email="wang@example.cn"))

    page = client.post(register_url(trilingual), form_data(trilingual), HTTP_ACCEPT_LANGUAGE="ko").content.decode()

    assert "이 주소가 이미 신청되어 있다면 개인 링크를 그 주소로 보냈습니다." in page


def test_private_page_status_in_chinese_and_korean(client, trilingual):
    services.registration_submit(**submission(trilingual)), services.registration_submit(**submission(trilingual))
    waitlisted = services.registration_submit(**submission(trilingual))

    chinese = client.get(waitlisted.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    korean = client.get(waitlisted.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ko").content.decode()

    assert "候补中" in chinese and "您在候补名单上排第 1 位。" in chinese
    assert "대기 중" in korean and "대기 순번은 1번입니다." in korean


@pytest.mark.parametrize("accept, text", [("zh-CN", "我们找不到该页面"), ("ko", "페이지를 찾을 수 없습니다"), ("en", "We could not find that page")])
def test_404_page_is_translated(client, db, accept, text):
    response = client.get("/d/nothing-here/", HTTP_ACCEPT_LANGUAGE=accept)

    assert response.status_code == 404 and text in response.content.decode()


def test_500_page_is_translated_with_html_lang(rf, db):
    from registrations.views.public import server_error

    with translation.override("ko"):
        page = server_error(rf.get("/")).content.decode()

    assert '<html lang="ko">' in page and "저희 쪽에서 문제가 발생했습니다" in page


def test_itinerary_ics_in_the_active_language(client, trilingual):
    trilingual.itinerary.filter(title="Opening").update(title_zh_hans="开幕式")

    ics = client.get(f"/d/{trilingual.slug}/itinerary.ics", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()

    assert "SUMMARY:开幕式" in ics and "SUMMARY:Songdo Bio Industrial Park" in ics
    assert "X-WR-CALNAME:仁川科技周代表团" in ics


def test_itinerary_day_headings_follow_the_language(client, trilingual):
    page = client.get(trilingual.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()

    day = trip_day(0)
    assert f'<h3 class="h6 day-heading">{day.year}年{day.month}月{day.day}日 星期{"一二三四五六日"[day.weekday()]}</h3>' in page

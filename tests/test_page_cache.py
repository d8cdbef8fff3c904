"""Cached parts of the public pages: never stale after any edit, nothing of one visitor shown to another,
constant queries. The content comes from fragments keyed on the delegation's content version."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from registrations.models import Delegation
from tests.conftest import make_delegation
from tests.helpers import register_url, rendered_form
from tests.test_serving import use_cache

LANGUAGES = {"zh-hans": "zh-CN,zh;q=0.9", "ko": "ko-KR,ko;q=0.9", "en": "en-GB"}


def pages_in_every_language(client, delegation) -> dict[str, str]:
    """The delegation page and the blank form in each language, joined per language."""
    pages = {}
    for language, accept in LANGUAGES.items():
        detail = client.get(delegation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=accept)
        form = client.get(register_url(delegation), HTTP_ACCEPT_LANGUAGE=accept)
        assert detail.status_code == 200 and form.status_code == 200
        assert f'<html lang="{language}">' in detail.content.decode()
        pages[language] = detail.content.decode() + form.content.decode()
    return pages


def titled(text: str) -> dict:
    return {"title": f"{text} EN", "title_zh_hans": f"{text} 中文", "title_ko": f"{text} 한국어"}


@pytest.mark.parametrize("backend", ["database", "memory", "redis"])
def test_page_cache_itinerary_edit_through_the_orm_shows_at_once_in_every_language(client, db, settings, backend):
    use_cache(settings, backend)
    delegation = make_delegation()
    pages_in_every_language(client, delegation)  # every fragment now cached
    item = delegation.itinerary.get(order=2)

    for name, value in titled("Renamed visit").items():
        setattr(item, name, value)
    item.save()
    pages = pages_in_every_language(client, delegation)

    assert "Renamed visit 中文" in pages["zh-hans"] and "Songdo Bio Industrial Park" not in pages["zh-hans"]
    assert "Renamed visit 한국어" in pages["ko"] and "Songdo Bio Industrial Park" not in pages["ko"]
    assert "Renamed visit EN" in pages["en"] and "Songdo Bio Industrial Park" not in pages["en"]


@pytest.mark.parametrize("backend", ["database", "memory", "redis"])
def test_page_cache_itinerary_item_deleted_or_added_shows_at_once(client, db, settings, backend):
    use_cache(settings, backend)
    delegation = make_delegation()
    pages_in_every_language(client, delegation)
    opening = delegation.itinerary.get(order=1)

    delegation.itinerary.get(order=2).delete()
    delegation.itinerary.create(title="Closing dinner", starts_at=opening.starts_at, ends_at=opening.ends_at, order=3)
    pages = pages_in_every_language(client, delegation)

    assert all("Songdo Bio Industrial Park" not in page and "Closing dinner" in page for page in pages.values())


def test_page_cache_itinerary_edit_on_its_own_admin_page_shows_at_once_in_every_language(admin_client, db, settings):
    use_cache(settings, "memory")
    delegation = make_delegation()
    visitor = Client()
    pages_in_every_language(visitor, delegation)
    item = delegation.itinerary.get(order=2)
    url = reverse("admin:registrations_itineraryitem_change", args=[item.pk])

    data = rendered_form(admin_client.get(url).content.decode(), "itineraryitem_form", title="Edited in admin")
    response = admin_client.post(url, data)
    pages = pages_in_every_language(visitor, delegation)

    assert response.status_code == 302
    # no translation entered: every language shows the English title
    assert all("Edited in admin" in page and "Songdo Bio Industrial Park" not in page for page in pages.values())


def test_page_cache_sector_and_delegation_text_edited_in_the_delegation_admin_show_at_once(admin_client, db, settings):
    use_cache(settings, "memory")
    delegation = make_delegation()
    visitor = Client()
    pages_in_every_language(visitor, delegation)
    url = reverse("admin:registrations_delegation_change", args=[delegation.pk])
    page = admin_client.get(url).content.decode()
    sector_index = [sector.name for sector in delegation.sectors.all()].index("Clean energy")

    data = rendered_form(page, "delegation_form", **{f"sectors-{sector_index}-name": "Hydrogen", "story": "A new story"})
    response = admin_client.post(url, data)
    pages = pages_in_every_language(visitor, delegation)

    assert response.status_code == 302
    # no translation entered: every language shows the English text
    assert all("Hydrogen" in page and "A new story" in page and "Clean energy" not in page for page in pages.values())


@pytest.mark.parametrize("backend", ["database", "redis"])
def test_page_cache_sector_and_delegation_edits_through_the_orm_show_at_once(client, db, settings, backend):
    use_cache(settings, backend)
    delegation = make_delegation()
    pages_in_every_language(client, delegation)

    sector = delegation.sectors.get(name="Smart logistics")
    sector.name, sector.name_zh_hans, sector.name_ko = "Ports EN", "港口", "항만"
    sector.save()
    fresh = Delegation.objects.get(pk=delegation.pk)
    fresh.story, fresh.story_zh_hans, fresh.story_ko = "Story EN", "故事", "이야기"
    fresh.save(update_fields=["story", "story_zh_hans", "story_ko"])
    pages = pages_in_every_language(client, delegation)

    assert "港口" in pages["zh-hans"] and "故事" in pages["zh-hans"]
    assert "항만" in pages["ko"] and "이야기" in pages["ko"]
    assert "Ports EN" in pages["en"] and "Story EN" in pages["en"]


def csrf_token_in(page: str) -> str:
    return page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]


@pytest.mark.parametrize("page", ["delegation", "register"])
def test_page_cache_second_visitor_gets_nothing_of_the_first_visitors_url(db, page):
    delegation = make_delegation()
    url = delegation.get_absolute_url() if page == "delegation" else register_url(delegation)
    first, second = Client(), Client()

    first_page = first.get(url + "?src=poster").content.decode()
    second_page = second.get(url).content.decode()

    assert f'name="next" value="{url}?src=poster"' in first_page
    assert f'name="next" value="{url}"' in second_page
    assert "poster" not in second_page and "?src=" not in second_page
    assert csrf_token_in(first_page) != csrf_token_in(second_page)
    if page == "register":
        assert 'name="source" value="poster"' in first_page and 'name="source" value=""' in second_page


def test_page_cache_second_visitor_switching_language_is_not_counted_under_the_first_visitors_source(db):
    delegation = make_delegation()
    url = register_url(delegation)
    first, second = Client(), Client()
    first.get(url + "?src=poster")

    page = second.get(url).content.decode()
    switch = rendered_form(page.replace('<form action="/i18n/setlang/"', '<form id="switcher" action="/i18n/setlang/"'), "switcher", language="ko")
    response = second.post(reverse("set_language"), switch)

    assert response.status_code == 302 and response["Location"] == url


@pytest.mark.parametrize("registrations", [0, 40])
@pytest.mark.parametrize("page", ["delegation", "register"])
def test_page_cache_queries_are_constant_with_the_database_cache(client, db, django_assert_num_queries, registrations, page, settings):
    from tests.test_serving import grow

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache", "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    }
    delegation = make_delegation(seats=30)
    grow(delegation, registrations)
    url = delegation.get_absolute_url() if page == "delegation" else register_url(delegation)
    client.get(url)

    # The delegation row with its seat counts (on SQLite, PRAGMA data_version while nothing changed); the page from the memo
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("backend", ["django.core.cache.backends.redis.RedisCache", "registrations.core.shared_cache.RedisCache"])
@pytest.mark.parametrize("page", ["delegation", "register"])
def test_page_cache_unreachable_cache_still_serves_current_pages(client, db, settings, page, backend):
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": "redis://127.0.0.1:1/0"}}
    delegation = make_delegation()
    url = delegation.get_absolute_url() if page == "delegation" else register_url(delegation)
    client.get(url)
    item = delegation.itinerary.get(order=1)
    item.title = "Opening, moved"
    item.save()

    response = client.get(url)

    assert response.status_code == 200
    assert ("Opening, moved" in response.content.decode()) is (page == "delegation")
    assert ('name="full_name"' in response.content.decode()) is (page == "register")


def test_page_cache_redis_backend_reuses_one_client_per_pool():
    from registrations.core.shared_cache import RedisCache
    from tests.test_ratelimit import REDIS_URL, redis_available

    if not redis_available():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    backend = RedisCache(REDIS_URL, {"KEY_PREFIX": "test-client-reuse"})

    backend.set("answer", {"seats": 30}, timeout=5)

    assert backend.get("answer") == {"seats": 30}
    assert backend._cache.get_client(write=True) is backend._cache.get_client(write=True)
    backend.delete("answer")


def test_page_cache_visit_places_changed_through_the_service_show_at_once(client, db, settings):
    from registrations import services

    use_cache(settings, "database")
    delegation = make_delegation()
    item = delegation.itinerary.get(order=2)
    pages_in_every_language(client, delegation)
    services.visit_set_places(visit=item, is_optional=True, capacity=7)
    assert "Optional visit · 7 places" in pages_in_every_language(client, delegation)["en"]


def redis_backend(prefix: str):
    from registrations.core.shared_cache import RedisCache
    from tests.test_ratelimit import REDIS_URL, redis_available

    if not redis_available():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    return RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})


def test_page_cache_key_watch_changes_with_any_clients_write_under_its_prefix_only():
    import redis

    from tests.test_ratelimit import REDIS_URL

    backend = redis_backend(f"test-watch-{uuid.uuid4().hex}")
    watch = backend.key_watch("seats:")
    other = redis.Redis.from_url(REDIS_URL)  # another process, on this machine or another
    quiet = watch.generation()

    unchanged = [watch.generation(), other.set(backend.make_key("fragments:1"), b"x") and other.ping() and watch.generation()]
    other.set(backend.make_key("seats:a"), b"1", px=5000)
    other.ping()  # answered once Redis has written the notice of the command before
    after_set = watch.generation()
    other.delete(backend.make_key("seats:a"))
    other.ping()
    after_delete = watch.generation()

    assert quiet is not None and unchanged == [quiet, quiet]
    assert quiet != after_set != after_delete
    assert backend.key_watch("seats:") is watch


def test_page_cache_a_delete_with_its_notices_flushed_is_seen_by_every_watch_when_it_returns():
    """The DEL and its PING in one message (one round trip): the notice is in the watch's socket on return."""
    backend = redis_backend(f"test-watch-{uuid.uuid4().hex}")
    writer = redis_backend(backend.key_prefix)  # another process's cache, same prefix
    watch = backend.key_watch("seats:")
    for attempt in range(20):  # each time: set, then deleted with its notices flushed, then asked once, no waiting
        writer.set(f"seats:{attempt}", b"1", timeout=5)
        writer.notifications_flushed()
        before = watch.generation()
        writer.delete_now([f"seats:{attempt}"], notices_flushed=True)
        assert watch.generation() != before


def test_page_cache_key_watch_says_unknown_while_disconnected_then_starts_a_new_generation(monkeypatch):
    import redis

    from registrations.core.shared_cache import KeyWatch
    from tests.test_ratelimit import REDIS_URL

    monkeypatch.setattr(KeyWatch, "RETRY_SECONDS", 0)
    backend = redis_backend(f"test-watch-{uuid.uuid4().hex}")
    watch = backend.key_watch("seats:")
    before = watch.generation()

    redis.Redis.from_url(REDIS_URL).client_kill_filter(_id=watch.client_id)
    while_lost = watch.generation()
    reconnected = watch.generation()

    assert before is not None and while_lost is None
    assert reconnected is not None and reconnected != before

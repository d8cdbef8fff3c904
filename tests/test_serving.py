"""The production stack: gunicorn config, WhiteNoise with hashed compressed files, constant queries."""

import runpy
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from registrations.models import Registration
from tests.conftest import make_delegation, submit

ROOT = Path(__file__).resolve().parent.parent


def gunicorn_config(monkeypatch, **env) -> dict:
    for key in ("WEB_CONCURRENCY", "GUNICORN_BIND", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_gunicorn_workers_come_from_web_concurrency(monkeypatch):
    config = gunicorn_config(monkeypatch, WEB_CONCURRENCY="4", GUNICORN_BIND="127.0.0.1:8105")

    assert config["workers"] == 4
    assert config["bind"] == "127.0.0.1:8105"
    assert config["preload_app"] is True and config["control_socket_disable"] is True


def test_gunicorn_defaults_listen_on_loopback_only(monkeypatch):
    config = gunicorn_config(monkeypatch)

    assert config["bind"] == "127.0.0.1:8000"
    assert config["workers"] >= 3
    assert "%(h)s" not in config["access_log_format"] and "%(q)s" not in config["access_log_format"]


def test_static_files_get_hashed_compressed_names_served_by_whitenoise(tmp_path, settings, db):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    settings.WHITENOISE_USE_FINDERS = False
    call_command("collectstatic", "--noinput", verbosity=0)
    delegation = make_delegation()

    page = Client().get(delegation.get_absolute_url()).content.decode()
    css = next(line.split('href="')[1].split('"')[0] for line in page.splitlines() if "site." in line and ".css" in line)
    response = Client().get(css, HTTP_ACCEPT_ENCODING="gzip")

    assert css.startswith("/static/css/site.") and css.count(".") == 2  # site.<hash>.css
    assert (tmp_path / css.removeprefix("/static/")).with_suffix(".css.gz").exists()
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"]


# --- Query counts stay constant, whatever the number of registrations or itinerary items -------------


def grow(delegation, registrations: int) -> None:
    for _ in range(registrations):
        submit(delegation)


@pytest.mark.parametrize("registrations", [0, 40])
def test_delegation_page_queries_are_constant(client, db, django_assert_num_queries, registrations, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}  # count only the app's queries
    delegation = make_delegation(seats=30)
    grow(delegation, registrations)
    client.get(delegation.get_absolute_url())

    with django_assert_num_queries(0):  # the seat state and the page both come from the shared cache
        assert client.get(delegation.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("registrations", [0, 40])
def test_registration_form_queries_are_constant(client, db, django_assert_num_queries, registrations, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    delegation = make_delegation(seats=30)
    grow(delegation, registrations)
    url = reverse("registrations:register", kwargs={"slug": delegation.slug})
    client.get(url)

    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("registrations", [1, 40])
def test_private_page_queries_are_constant(client, db, django_assert_num_queries, registrations):
    delegation = make_delegation(seats=30)
    grow(delegation, registrations)
    registration = Registration.objects.first()

    # the registration with its delegation and sector, itinerary, seat counts (two), visit choices;
    # confirmed delegates: also what they still have to give (questions, travel documents), in one
    expected = 6 if registration.status == Registration.Status.CONFIRMED else 5
    with django_assert_num_queries(expected):
        assert client.get(registration.get_absolute_url()).status_code == 200


def test_admin_changelist_queries_do_not_grow_with_registrations(admin_client, db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    delegation = make_delegation(seats=30)
    url = reverse("admin:registrations_registration_changelist")
    counts = []
    for more in (5, 55):
        grow(delegation, more)
        admin_client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]


@pytest.mark.parametrize("registrations", [0, 40])
def test_a_cold_delegation_page_takes_one_query_for_the_seats(client, db, django_assert_num_queries, registrations, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    delegation = make_delegation(seats=30)
    grow(delegation, registrations)
    client.get(delegation.get_absolute_url())
    from registrations.selectors.seat_state import forget_seat_state

    forget_seat_state(delegation_id=delegation.pk)

    with django_assert_num_queries(1):  # the delegation with both counts, in one statement
        assert client.get(delegation.get_absolute_url()).status_code == 200


def use_cache(settings, backend: str) -> None:
    """Point the default cache at ``backend`` (a fresh key prefix each time)."""
    if backend == "redis":
        from tests.test_ratelimit import REDIS_URL, redis_available

        if not redis_available():
            pytest.skip("Redis is not running on 127.0.0.1:6379")
        settings.CACHES = {
            "default": {"BACKEND": "registrations.core.shared_cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
        }
    elif backend == "memory":
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}}


@pytest.mark.parametrize("backend", ["database", "memory", "redis"])
@pytest.mark.parametrize("transactional", [False, True])
def test_seats_shown_are_fresh_right_after_a_registration_or_cancellation(client, request, settings, transactional, backend):
    request.getfixturevalue("transactional_db" if transactional else "db")
    use_cache(settings, backend)
    delegation = make_delegation(seats=2)
    register = reverse("registrations:register", kwargs={"slug": delegation.slug})
    assert "2 seats left of 2" in client.get(delegation.get_absolute_url()).content.decode()

    first = submit(delegation)
    after_one = client.get(delegation.get_absolute_url()).content.decode()
    submit(delegation)
    full_form = client.get(register).content.decode()
    from registrations import services

    services.registration_cancel(registration=first)
    after_cancel = client.get(delegation.get_absolute_url()).content.decode()

    assert "1 seat left of 2" in after_one
    assert "All seats are taken" in full_form
    assert "1 seat left of 2" in after_cancel


@pytest.mark.parametrize("backend", ["database", "memory", "redis"])
def test_an_unpublished_delegation_disappears_from_the_public_page_at_once(client, db, settings, backend):
    use_cache(settings, backend)
    delegation = make_delegation()
    assert client.get(delegation.get_absolute_url()).status_code == 200

    delegation.is_published = False
    delegation.save()

    assert client.get(delegation.get_absolute_url()).status_code == 404


def test_a_shared_page_carries_each_visitors_own_csrf_token_and_source(db):
    from django.test import Client as BrowserClient

    delegation = make_delegation()
    url = reverse("registrations:register", kwargs={"slug": delegation.slug})
    first, second = BrowserClient(), BrowserClient()

    page_one = first.get(url + "?src=poster").content.decode()
    page_two = second.get(url + "?src=article").content.decode()

    token = lambda page: page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]  # noqa: E731
    assert 'name="source" value="poster"' in page_one and 'name="source" value="article"' in page_two
    assert token(page_one) != token(page_two) and "LIVEmark" not in page_one + page_two
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value


def test_a_message_for_one_visitor_is_never_shown_to_another(db):
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpResponse
    from django.test import Client as BrowserClient
    from django.test import RequestFactory

    delegation = make_delegation()
    anyone, messaged = BrowserClient(), BrowserClient()
    anyone.get(delegation.get_absolute_url())  # the shared page is now cached
    storage, response = CookieStorage(RequestFactory().get("/")), HttpResponse()
    storage.add(20, "Only for you: a private note.")
    storage.update(response)
    messaged.cookies[CookieStorage.cookie_name] = response.cookies[CookieStorage.cookie_name].value

    mine = messaged.get(delegation.get_absolute_url()).content.decode()
    theirs = anyone.get(delegation.get_absolute_url()).content.decode()

    assert "Only for you: a private note." in mine
    assert "Only for you: a private note." not in theirs


def test_pages_rendered_with_other_static_names_are_never_served(tmp_path, settings, db):
    """`make run` (plain names) and production (hashed names) sharing one cache get different page keys."""
    from registrations.views.page_shells import release_token

    release_token.cache_clear()
    plain = release_token()
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    call_command("collectstatic", "--noinput", verbosity=0)
    release_token.cache_clear()
    try:
        hashed = release_token()
    finally:
        release_token.cache_clear()

    assert plain != hashed

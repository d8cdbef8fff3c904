"""The production stack: gunicorn config, WhiteNoise with hashed compressed files, constant queries."""

import runpy
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from registrations.models import Registration

from .conftest import make_delegation, submit  # noqa: F401

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

    with django_assert_num_queries(1):  # the delegation with its seat counts (the fixed parts come from the cache)
        assert client.get(delegation.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("registrations", [0, 40])
def test_registration_form_queries_are_constant(client, db, django_assert_num_queries, registrations, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    delegation = make_delegation(seats=30)
    grow(delegation, registrations)
    url = reverse("registrations:register", kwargs={"slug": delegation.slug})
    client.get(url)

    with django_assert_num_queries(1):  # the delegation with its seat counts (the blank form comes from the cache)
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("registrations", [1, 40])
def test_private_page_queries_are_constant(client, db, django_assert_num_queries, registrations):
    delegation = make_delegation(seats=30)
    grow(delegation, registrations)
    registration = Registration.objects.first()

    with django_assert_num_queries(3):  # the registration with its delegation and sector, itinerary, seat counts
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

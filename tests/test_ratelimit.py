"""Rate limits on public POSTs, counted in the shared cache; honeypot; admin login lockout."""

import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse

from registrations.models import Registration
from tests.conftest import make_delegation, submit
from tests.helpers import register_url

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = "redis://127.0.0.1:6379/0"


def person(delegation, number: int, **overrides) -> dict:
    return {
        "full_name": f"Hall Person {number}",
        "company": "Forum Co.",
        "job_title": "CEO",
        "sector": str(delegation.sectors.first().pk),
        "email": f"hall{number}@example.cn",
        "phone": "+86 138 0000 0000",
        "consent": "on",
        **overrides,
    }


def test_posts_over_the_address_limit_get_a_friendly_429(client, delegation, settings):
    settings.RATELIMIT_PER_ADDRESS = "3/600"

    statuses = [client.post(register_url(delegation), {"full_name": "x"}).status_code for _ in range(4)]
    refused = client.post(register_url(delegation), person(delegation, 1))

    assert statuses == [200, 200, 200, 429]
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert 0 < int(refused["Retry-After"]) <= 600
    assert Registration.objects.count() == 0


def test_get_is_never_rate_limited(client, delegation, settings):
    settings.RATELIMIT_PER_ADDRESS = "1/600"

    assert {client.get(register_url(delegation)).status_code for _ in range(5)} == {200}


def test_the_limit_is_per_address(client, delegation, settings):
    settings.RATELIMIT_PER_ADDRESS = "2/600"
    for _ in range(2):
        client.post(register_url(delegation), {"full_name": "x"}, REMOTE_ADDR="203.0.113.1")

    blocked = client.post(register_url(delegation), {"full_name": "x"}, REMOTE_ADDR="203.0.113.1")
    other = client.post(register_url(delegation), {"full_name": "x"}, REMOTE_ADDR="203.0.113.2")

    assert blocked.status_code == 429 and other.status_code == 200


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit(client, delegation, settings):
    settings.RATELIMIT_PER_ADDRESS = "1/600"
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    post = lambda forwarded: (
        client.post(
            register_url(delegation),
            {"full_name": "x"},
            REMOTE_ADDR="127.0.0.1",  # noqa: E731
            HTTP_X_FORWARDED_FOR=forwarded,
        ).status_code
    )

    assert [post("198.51.100.1"), post("198.51.100.2"), post("198.51.100.1"), post("6.6.6.6, 198.51.100.2")] == [200, 200, 429, 429]


def test_the_email_limit_is_strict_whatever_the_address(client, delegation, settings):
    settings.RATELIMIT_PER_EMAIL = "2/3600"
    data = person(delegation, 1, phone="wrong")  # refused by the form, so each try is a new attempt

    statuses = [
        client.post(register_url(delegation), {**data, "email": email}, REMOTE_ADDR=f"203.0.113.{n}").status_code
        for n, email in enumerate(["Same@Example.cn", "same@example.cn ", "SAME@example.cn"])
    ]

    assert statuses == [200, 200, 429]


def test_a_hall_of_100_people_behind_one_address_can_all_register_with_the_default_limits(client, db):
    delegation = make_delegation(seats=60)
    for number in range(100):  # a third of them get a field wrong first, then correct it
        if number % 3 == 0:
            client.post(register_url(delegation), person(delegation, number, phone="?"))
        client.post(register_url(delegation), person(delegation, number))
    cancel = Registration.objects.order_by("pk").first()

    response = client.post(reverse("registrations:registration_cancel", kwargs={"token": cancel.token}))

    assert response.status_code == 302
    assert Registration.objects.count() == 100
    assert Registration.objects.filter(status__in=["confirmed", "offered"]).count() == 60  # the freed seat is offered on


def test_staff_are_not_rate_limited(admin_client, delegation, settings):
    settings.RATELIMIT_PER_ADDRESS = "1/600"

    statuses = {admin_client.post(register_url(delegation), {"full_name": "x"}).status_code for _ in range(3)}

    assert statuses == {200}


def test_rate_limit_fails_open_when_the_cache_is_down(client, delegation, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}

    page = client.get(delegation.get_absolute_url())
    form = client.get(register_url(delegation))
    response = client.post(register_url(delegation), person(delegation, 1))

    assert page.status_code == 200 and form.status_code == 200
    assert response.status_code == 302
    assert Registration.objects.count() == 1


def _test_database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:  # any failure: skip the Redis variant
        return False


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("cache", ["database", "redis"])
def test_the_limit_is_shared_across_two_processes(cache):
    if cache == "redis" and not redis_available():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    delegation = make_delegation()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "incheon_delegation.settings",
        "DATABASE_URL": _test_database_url(),
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "RATELIMIT_PER_ADDRESS": "5/600",
        "CACHE_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        "REDIS_URL": REDIS_URL if cache == "redis" else "",
    }
    run = lambda: json.loads(
        subprocess.run(  # noqa: E731
            [sys.executable, "-m", "tests.post_worker", register_url(delegation), "4"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout
    )

    first, second = run(), run()

    assert first == [200, 200, 200, 200]
    assert second == [200, 429, 429, 429]


# --- Honeypot --------------------------------------------------------------------------------


def test_the_honeypot_is_rendered_off_screen_and_left_empty_by_people(client, delegation):
    page = client.get(register_url(delegation)).content.decode()

    assert 'name="website"' in page and 'tabindex="-1"' in page
    assert re.search(r'id="div_id_website" class="[^"]*\bhp\b', page)


def test_a_filled_honeypot_stores_nothing(client, delegation):
    response = client.post(register_url(delegation), person(delegation, 1, website="http://spam.example"))

    assert response.status_code == 200
    assert Registration.objects.count() == 0


# --- Admin login lockout (django-axes, in the database) --------------------------------------------


@pytest.mark.django_db
def test_admin_login_locks_out_after_failures_even_with_the_right_password(client, settings):
    from axes.models import AccessAttempt

    get_user_model().objects.create_superuser(username="organizer", email="", password="correct-horse-battery")
    login = reverse("admin:login")
    failures = [client.post(login, {"username": "organizer", "password": f"wrong-{n}"}).status_code for n in range(settings.AXES_FAILURE_LIMIT)]

    locked = client.post(login, {"username": "organizer", "password": "correct-horse-battery"})

    assert failures[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert failures[-1] == 429 and locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    # The attempt with the right password during the lockout counts as one more failure.
    assert AccessAttempt.objects.get(username="organizer").failures_since_start == settings.AXES_FAILURE_LIMIT + 1
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_admin_login_works_below_the_limit(client, settings):
    get_user_model().objects.create_superuser(username="organizer", email="", password="correct-horse-battery")
    login = reverse("admin:login")
    client.post(login, {"username": "organizer", "password": "wrong"})

    response = client.post(login, {"username": "organizer", "password": "correct-horse-battery"})

    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_submitted_registration_is_not_rate_limited_by_the_private_page(client, delegation, settings):
    settings.RATELIMIT_PER_ADDRESS = "1/600"
    registration = submit(delegation)

    assert client.get(registration.get_absolute_url()).status_code == 200

"""Security: deploy check, headers on every page type, CSRF, CSP, private pages, tokens, logs."""

import logging
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from registrations.core.client_address import client_address
from registrations.core.log_filters import RedactPersonalData
from registrations.core.tokens import token_is_well_formed, token_matches
from registrations.models import Registration
from tests.conftest import submit

ROOT = Path(__file__).resolve().parent.parent


def manage(*arguments: str, **env: str) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "SITE_URL"))}
    return subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120)


def test_check_deploy_passes_with_no_finding():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        SITE_URL="https://delegation.example.com",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        EMAIL_HOST="smtp.example.com",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_start_without_secret_key_when_debug_off_fails_with_clear_message():
    result = manage("check", DJANGO_DEBUG="0")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


# --- Headers on every page type ----------------------------------------------------------


def page_urls(delegation, registration) -> dict[str, str]:
    slug = delegation.slug
    return {
        "delegation page": f"/d/{slug}/",
        "registration form": f"/d/{slug}/register/",
        "private page": f"/r/{registration.token}/",
        "cancel page": f"/r/{registration.token}/cancel/",
        "itinerary": f"/d/{slug}/itinerary.ics",
        "qr png": f"/d/{slug}/qr.png",
        "404": "/d/no-such-delegation/",
        "400": f"/d/{slug}/register/?src=%3Cbad%3E",
        "health": "/healthz",
        "admin login": "/admin/login/",
    }


def assert_security_headers(response) -> None:
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp and "default-src 'self'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "microphone=()" in response["Permissions-Policy"]


def test_security_headers_on_every_page_type(client, admin_client, delegation):
    registration = submit(delegation)
    for name, url in page_urls(delegation, registration).items():
        response = client.get(url)
        assert response.status_code in {200, 400, 404}, name
        assert_security_headers(response)
    for url in [
        "/admin/",
        reverse("admin:registrations_registration_changelist"),
        reverse("admin:registrations_registration_change", args=[registration.pk]),
    ]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response)
        assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_csp_headers_are_django_csps_own_and_follow_the_settings(client, delegation, settings):
    from csp.decorators import csp_update
    from csp.middleware import CSPMiddleware as LibraryMiddleware
    from django.http import HttpResponse
    from django.test import RequestFactory

    from registrations.core.middleware import CSPMiddleware

    def library(view, request):
        return LibraryMiddleware(view)(request)

    def kept(view, request):
        return CSPMiddleware(view)(request)

    def plain(request):
        return HttpResponse("x")

    updated = csp_update({"img-src": ["https://example.org"]})(plain)
    request = RequestFactory().get("/")
    for view in (plain, updated):  # the same headers as django-csp's, a view's own policy included
        ours, theirs = kept(view, request), library(view, RequestFactory().get("/"))
        assert ours["Content-Security-Policy"] == theirs["Content-Security-Policy"]
        assert ("Content-Security-Policy-Report-Only" in ours) is ("Content-Security-Policy-Report-Only" in theirs)
    assert "https://example.org" in kept(updated, RequestFactory().get("/"))["Content-Security-Policy"]
    middleware = CSPMiddleware(plain)
    before = middleware(RequestFactory().get("/"))["Content-Security-Policy"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'self'"]}}
    after = middleware(RequestFactory().get("/"))  # the same middleware object: its kept headers are rebuilt

    assert before != after["Content-Security-Policy"] == "default-src 'none'"
    assert after["Content-Security-Policy-Report-Only"] == "default-src 'self'"
    assert client.post(reverse("registrations:register", args=[delegation.slug]), {})["Content-Security-Policy"] == "default-src 'none'"


def test_hsts_sent_over_https(client, delegation, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True

    response = client.get(delegation.get_absolute_url(), secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_ssl_redirect_trusts_the_configured_proxy_header(client, delegation, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    plain = client.get(delegation.get_absolute_url())
    proxied = client.get(delegation.get_absolute_url(), HTTP_X_FORWARDED_PROTO="https")

    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    assert proxied.status_code == 200


def test_templates_have_no_inline_script_or_event_handler():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    handler = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if inline_script.search(path.read_text()) or handler.search(path.read_text()) or "javascript:" in path.read_text()
    ]

    assert offenders == []


# --- CSRF ---------------------------------------------------------------------------------


def test_csrf_enforced_on_registration_and_cancel(delegation):
    client = Client(enforce_csrf_checks=True)
    registration = submit(delegation)
    register = reverse("registrations:register", kwargs={"slug": delegation.slug})
    cancel = reverse("registrations:registration_cancel", kwargs={"token": registration.token})

    refused_register = client.post(register, {"full_name": "No Token"})
    refused_cancel = client.post(cancel)

    registration.refresh_from_db()
    assert refused_register.status_code == 403 and refused_cancel.status_code == 403
    assert registration.status == Registration.Status.CONFIRMED
    assert Registration.objects.count() == 1


def test_csrf_token_from_the_form_is_accepted(delegation):
    client = Client(enforce_csrf_checks=True)
    register = reverse("registrations:register", kwargs={"slug": delegation.slug})
    page = client.get(register).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    response = client.post(
        register,
        {
            "csrfmiddlewaretoken": token,
            "full_name": "Li Na",
            "company": "Clean Power Co.",
            "job_title": "CTO",
            "sector": str(delegation.sectors.first().pk),
            "email": "li@example.cn",
            "phone": "+86 139 0000 0000",
            "consent": "on",
        },
    )

    assert response.status_code == 302
    assert Registration.objects.get().email == "li@example.cn"


# --- Private pages, tokens, URLs ---------------------------------------------------------------


def test_private_pages_and_post_answers_are_private_and_noindex(client, delegation):
    registration = submit(delegation)
    register = reverse("registrations:register", kwargs={"slug": delegation.slug})

    for response in [
        client.get(f"/r/{registration.token}/"),
        client.get(f"/r/{registration.token}/cancel/"),
        client.post(register, {"full_name": "x"}),
    ]:
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_public_delegation_page_is_not_marked_private(client, delegation):
    response = client.get(delegation.get_absolute_url())

    assert "no-store" not in response.get("Cache-Control", "")


def test_registration_redirect_carries_only_the_opaque_token(client, delegation):
    register = reverse("registrations:register", kwargs={"slug": delegation.slug})

    response = client.post(
        register,
        {
            "full_name": "Kim Min-jun",
            "company": "Songdo Bio",
            "job_title": "CEO",
            "sector": str(delegation.sectors.first().pk),
            "email": "kim@example.kr",
            "phone": "+82 10 0000 0000",
            "consent": "on",
        },
    )

    registration = Registration.objects.get()
    assert response["Location"] == f"/r/{registration.token}/"
    assert "kim" not in response["Location"].lower().replace(registration.token.lower(), "")


@pytest.mark.parametrize("url", ["/r/short/", "/r/" + "A" * 43 + "/", "/r/%00/", "/r/" + "A" * 43 + "%00/", "/r/" + "é" * 43 + "/"])
def test_wrong_token_is_404_or_400_never_500(client, db, url):
    assert client.get(url).status_code in {400, 404}


def test_token_helpers():
    token = Registration().token

    assert token_is_well_formed(token) and not token_is_well_formed("a b") and not token_is_well_formed("x" * 200)
    assert token_matches(token, token) and not token_matches(token, token[:-1] + "x")


# --- Client address behind proxies -------------------------------------------------------------


@pytest.mark.parametrize(
    "trusted, remote, forwarded, expected",
    [
        ([], "203.0.113.9", "198.51.100.1", "203.0.113.9"),  # no proxy trusted: header ignored
        (["127.0.0.1"], "127.0.0.1", "198.51.100.1", "198.51.100.1"),
        (["127.0.0.1"], "127.0.0.1", "1.2.3.4, 198.51.100.1", "198.51.100.1"),  # the client's own claim is ignored
        (["127.0.0.1", "10.0.0.0/8"], "127.0.0.1", "198.51.100.1, 10.1.2.3", "198.51.100.1"),
        (["127.0.0.1"], "203.0.113.9", "198.51.100.1", "203.0.113.9"),  # not from the proxy: header ignored
        (["127.0.0.1"], "127.0.0.1", "", "127.0.0.1"),
    ],
)
def test_client_address(rf, settings, trusted, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = trusted
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_address(request) == expected


# --- Body size, NUL bytes ------------------------------------------------------------------------


def test_oversized_body_is_400_and_stores_nothing(client, delegation):
    register = reverse("registrations:register", kwargs={"slug": delegation.slug})

    response = client.post(register, {"full_name": "x" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})

    assert response.status_code == 400
    assert Registration.objects.count() == 0


def test_nul_byte_in_admin_search_is_400(admin_client, delegation):
    response = admin_client.get(reverse("admin:registrations_registration_changelist") + "?q=%00")

    assert response.status_code == 400


# --- Logs -------------------------------------------------------------------------------------


def test_log_filter_masks_tokens_and_email_addresses():
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s (%s)",
        ("/r/AbCdEfGhIjKlMnOpQrStUv1234567890abcdefghijk/cancel/", "wang.xiaoming@example.cn"),
        None,
    )

    RedactPersonalData().filter(record)

    assert record.getMessage() == "Not Found: /r/<token>/cancel/ (<email>)"


def test_gunicorn_access_log_masks_tokens_and_drops_query_strings():
    from types import SimpleNamespace

    from gunicorn.config import Config

    from incheon_delegation.gunicorn_logging import RedactingLogger

    config = Config()
    config.set("accesslog", None)
    logger = RedactingLogger(config)
    environ = {
        "PATH_INFO": "/r/AbCdEfGhIjKlMnOpQrStUv1234567890abcdefghijk/",
        "QUERY_STRING": "email=a@b.cn",
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/r/AbCdEfGhIjKlMnOpQrStUv1234567890abcdefghijk/?email=a@b.cn",
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[], response_length=10)
    request = SimpleNamespace(headers=[], peer_addr="127.0.0.1", method="GET", path=environ["PATH_INFO"], query="")

    atoms = logger.atoms(response, request, environ, SimpleNamespace(seconds=0, microseconds=1000))

    assert atoms["U"] == "/r/<token>/"
    assert "AbCdEf" not in atoms["r"] and "a@b.cn" not in atoms["r"]


@pytest.mark.parametrize(
    "query",
    [
        "size=99999999999999999999999",
        "size=-1",
        "size=1e9",
        "size=%00",
        "size=",
        "size=abc",
        "size=128&size=4096",
        "src=" + "a" * 500,
        "src=%00",
        "src=%E2%80%AE",
        "src[]=x",
        "src=a&src=%3Cb%3E",
        "size=12%2034",
    ],
)
@pytest.mark.parametrize("path", ["qr.png", "qr.svg", "register/", ""])
def test_absurd_query_strings_are_400_or_ignored_never_500(client, delegation, path, query):
    response = client.get(f"/d/{delegation.slug}/{path}?{query}")

    assert response.status_code in {200, 400}


@pytest.mark.parametrize(
    "url",
    [
        "/d/%00/",
        "/d/" + "x" * 5000 + "/",
        "/d/..%2F..%2Fetc%2Fpasswd/",
        "/d/ünïcode/register/",
        "/r/" + "A" * 129 + "/",
        "/r/%2e%2e/",
        "/static/../settings.py",
        "/admin/%00/",
    ],
)
def test_bad_paths_are_404_or_400_never_500(client, db, url):
    assert client.get(url).status_code in {400, 404}

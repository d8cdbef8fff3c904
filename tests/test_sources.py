"""Sources: short links and scans, attribution, QR codes of sources, admin counts, posters."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registrations import services
from registrations.models import Delegation, Registration, Source, SourceScan
from registrations.selectors import links, sources
from tests.conftest import make_delegation, submit
from tests.helpers import form_data
from tests.test_qr import decode_png

SITE = "https://delegation.example.org"
IPHONE_WECHAT = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN"
)
DESKTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"


@pytest.fixture
def poster(delegation) -> Source:
    return Source.objects.create(delegation=delegation, name="Weihai forum poster", code="poster")


# --- Short link -----------------------------------------------------------------------


def test_short_link_redirects_to_the_form_with_the_code(client, poster):
    response = client.get("/q/poster", HTTP_USER_AGENT=IPHONE_WECHAT)

    assert response.status_code == 302
    assert response["Location"] == f"/d/{poster.delegation.slug}/register/?src=poster"


def test_short_link_records_one_scan_with_device_and_no_address(client, poster):
    client.get("/q/poster", HTTP_USER_AGENT=IPHONE_WECHAT, REMOTE_ADDR="203.0.113.9")

    scan = SourceScan.objects.get()
    assert (scan.source, scan.device, scan.in_wechat) == (poster, "phone", True)
    stored = [str(getattr(scan, field.attname)) for field in SourceScan._meta.fields]
    assert not any("203.0.113" in value for value in stored)


def test_short_link_with_trailing_slash_and_capitals_works(client, poster):
    assert client.get("/q/Poster/")["Location"] == f"/d/{poster.delegation.slug}/register/?src=poster"
    assert SourceScan.objects.count() == 1


def test_short_link_head_request_is_not_counted(client, poster):
    response = client.head("/q/poster")

    assert response.status_code == 302
    assert SourceScan.objects.count() == 0


@pytest.mark.parametrize("path", ["/q/nothing-here", "/q/%3Cscript%3E", "/q/" + "a" * 200])
def test_short_link_unknown_or_invalid_code_is_a_friendly_404(client, poster, path):
    response = client.get(path)

    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()
    assert SourceScan.objects.count() == 0


def test_short_link_of_unpublished_delegation_is_404_for_the_public(client, db):
    delegation = make_delegation(is_published=False)
    Source.objects.create(delegation=delegation, name="Draft", code="draft")

    assert client.get("/q/draft").status_code == 404
    assert SourceScan.objects.count() == 0


@pytest.mark.parametrize(
    "user_agent, device",
    [
        (IPHONE_WECHAT, "phone"),
        ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36", "phone"),
        ("Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148", "tablet"),
        ("Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 Chrome/126.0 Safari/537.36", "tablet"),
        (DESKTOP, "desktop"),
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "bot"),
        ("facebookexternalhit/1.1", "bot"),
        ("", "other"),
    ],
)
def test_device_class(user_agent, device):
    assert services.device_class(user_agent) == device


# --- Attribution ----------------------------------------------------------------------


def test_registration_through_the_short_link_is_attributed_to_the_source(client, poster):
    delegation = poster.delegation
    form_url = client.get("/q/poster", HTTP_USER_AGENT=IPHONE_WECHAT)["Location"]
    page = client.get(form_url).content.decode()
    hidden = re.search(r'name="source" value="([^"]*)"', page).group(1)

    response = client.post(form_url, form_data(delegation, source=hidden))

    registration = Registration.objects.get()
    assert response.status_code == 302
    assert registration.source == "poster"
    row = sources.sources_with_counts().get(pk=poster.pk)
    assert (row.scan_count, row.registration_count, row.confirmed_count) == (1, 1, 1)


def test_sources_with_counts_joins_on_delegation_and_code(db):
    first, second = make_delegation(seats=1), make_delegation(seats=5)
    source = Source.objects.create(delegation=first, name="Article", code="article")
    submit(first, source="article"), submit(first, source="article"), submit(first, source="other")
    submit(second, source="article")  # same code, another delegation: not this source's
    SourceScan.objects.create(source=source, device="phone")
    SourceScan.objects.create(source=source, device="phone")
    SourceScan.objects.create(source=source, device="bot")

    row = sources.sources_with_counts().get(pk=source.pk)

    assert (row.scan_count, row.registration_count, row.confirmed_count) == (2, 2, 1)
    assert sources.conversion(row.registration_count, row.scan_count) == "100%"


def test_sources_with_counts_is_one_query_for_many_sources(db):
    delegation = make_delegation()
    for number in range(5):
        source = Source.objects.create(delegation=delegation, name=f"S{number}", code=f"s{number}")
        SourceScan.objects.create(source=source, device="phone")
        submit(delegation, source=f"s{number}")

    with CaptureQueriesContext(connection) as queries:
        rows = [(s.delegation.slug, s.scan_count, s.registration_count) for s in sources.sources_with_counts()]

    assert len(queries) == 1
    assert [row[1:] for row in rows] == [(1, 1)] * 5


def test_source_report_lists_sources_unknown_codes_and_direct(delegation, poster):
    submit(delegation, source="poster"), submit(delegation, source="wechat-post"), submit(delegation)

    with CaptureQueriesContext(connection) as queries:
        rows = sources.source_report(delegation=delegation)

    assert len(queries) == 2
    assert [(r.label, r.code, r.scans, r.registrations, r.confirmed) for r in rows] == [
        ("Weihai forum poster", "poster", 0, 1, 1),
        ("unknown source", "wechat-post", None, 1, 1),
        ("no source (direct link)", "", None, 1, 0),
    ]


def test_source_created_later_picks_up_earlier_registrations_with_its_code(delegation):
    submit(delegation, source="newsletter")

    source = Source.objects.create(delegation=delegation, name="Partner newsletter", code="newsletter")

    assert sources.sources_with_counts().get(pk=source.pk).registration_count == 1


@pytest.mark.parametrize("code", ["Poster", "-poster", "has space", "a" * 33, ""])
def test_source_code_must_be_a_short_lowercase_code(delegation, code):
    with pytest.raises(ValidationError) as error:
        Source(delegation=delegation, name="X", code=code).full_clean()

    assert "code" in error.value.message_dict


def test_source_code_is_unique_across_delegations(poster):
    other = make_delegation()

    with pytest.raises(ValidationError) as error:
        Source(delegation=other, name="Another poster", code="poster").full_clean()

    assert "Short links /q/<code> must lead to one place" in " ".join(error.value.messages)


# --- QR codes -------------------------------------------------------------------------


@override_settings(SITE_URL=SITE)
def test_qr_png_with_a_source_encodes_its_short_link(client, poster):
    response = client.get(f"/d/{poster.delegation.slug}/qr.png?src=poster&size=300")

    assert decode_png(response.content) == f"{SITE}/q/poster"


@override_settings(SITE_URL=SITE)
def test_qr_png_with_a_code_but_no_source_encodes_the_register_url(client, delegation):
    response = client.get(f"/d/{delegation.slug}/qr.png?src=wechat-post")

    assert decode_png(response.content) == f"{SITE}/d/{delegation.slug}/register/?src=wechat-post"


@override_settings(SITE_URL=SITE)
def test_qr_png_never_points_at_another_delegations_source(client, poster):
    other = make_delegation()

    response = client.get(f"/d/{other.slug}/qr.png?src=poster")

    assert decode_png(response.content) == f"{SITE}/d/{other.slug}/register/?src=poster"


@override_settings(SITE_URL=SITE)
def test_qr_png_without_source_still_encodes_the_register_url(client, poster):
    assert decode_png(client.get(f"/d/{poster.delegation.slug}/qr.png").content) == f"{SITE}/d/{poster.delegation.slug}/register/"


@override_settings(SITE_URL=SITE)
def test_qr_svg_with_a_source_encodes_the_short_link(client, poster):
    from registrations.core import qr

    response = client.get(f"/d/{poster.delegation.slug}/qr.svg?src=poster")

    assert response.content == qr.svg_bytes(f"{SITE}/q/poster")


# --- Admin ----------------------------------------------------------------------------


def test_source_changelist_shows_scans_registrations_confirmed_conversion(admin_client, poster):
    delegation = poster.delegation
    for _ in range(4):
        SourceScan.objects.create(source=poster, device="phone")
    submit(delegation, source="poster"), submit(delegation, source="poster"), submit(delegation, source="poster")

    page = admin_client.get(reverse("admin:registrations_source_changelist")).content.decode()

    assert '<td class="field-scans">4</td>' in page
    assert '<td class="field-registrations">3</td>' in page
    assert '<td class="field-confirmed">2</td>' in page
    assert '<td class="field-conversion">75%</td>' in page
    assert f"/d/{delegation.slug}/qr.svg?src=poster" in page
    assert reverse("admin:registrations_source_poster", args=[poster.pk]) in page


def test_source_change_page_shows_short_link_qr_and_keeps_the_code(admin_client, poster):
    url = reverse("admin:registrations_source_change", args=[poster.pk])

    page = admin_client.get(url).content.decode()
    admin_client.post(url, {"name": "Renamed", "code": "changed", "delegation": poster.delegation.pk})

    poster.refresh_from_db()
    assert "/q/poster" in page and f"/d/{poster.delegation.slug}/qr.png?src=poster&amp;size=256" in page
    assert (poster.name, poster.code) == ("Renamed", "poster")


def test_source_add_in_admin_refuses_a_taken_code(admin_client, poster):
    response = admin_client.post(reverse("admin:registrations_source_add"), {"delegation": make_delegation().pk, "name": "Copy", "code": "poster"})

    assert response.status_code == 200
    assert "must lead to one place" in response.content.decode()
    assert Source.objects.count() == 1


def test_delegation_page_shows_sources_with_unknown_source(admin_client, delegation, poster):
    submit(delegation, source="typo")

    page = admin_client.get(reverse("admin:registrations_delegation_change", args=[delegation.pk])).content.decode()

    assert "Weihai forum poster" in page
    assert "unknown source" in page and "typo" in page
    assert reverse("admin:registrations_source_delegation_poster", args=[delegation.pk]) in page


# --- Posters --------------------------------------------------------------------------


def poster_qr_url(page: str) -> str:
    return re.search(r'<figure class="poster-qr">\s*<img src="([^"]+)"', page).group(1).replace("&amp;", "&")


@override_settings(SITE_URL=SITE)
def test_source_poster_shows_the_facts_and_its_qr_decodes_to_the_short_link(admin_client, poster):
    delegation = poster.delegation

    response = admin_client.get(reverse("admin:registrations_source_poster", args=[poster.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert delegation.title in page and "Smart logistics" in page and "Limited to 2 seats" in page
    assert "delegation.example.org/q/poster" in page
    assert "<script>" not in page and "onclick" not in page
    assert decode_png(admin_client.get(poster_qr_url(page)).content) == f"{SITE}/q/poster"


@override_settings(SITE_URL=SITE)
def test_delegation_poster_qr_decodes_to_the_register_url(admin_client, delegation):
    page = admin_client.get(reverse("admin:registrations_source_delegation_poster", args=[delegation.pk])).content.decode()

    assert decode_png(admin_client.get(poster_qr_url(page)).content) == f"{SITE}/d/{delegation.slug}/register/"
    assert f"delegation.example.org/d/{delegation.slug}/register/" in page


def test_poster_is_for_admin_only(client, poster):
    url = reverse("admin:registrations_source_poster", args=[poster.pk])

    assert client.get(url)["Location"].startswith("/admin/login/")


# --- seed_demo ------------------------------------------------------------------------


def test_seed_demo_creates_article_and_poster_sources_once(db):
    call_command("seed_demo")
    call_command("seed_demo")

    delegation = Delegation.objects.get(slug="incheon-tech-week")
    assert list(Source.objects.order_by("code").values_list("delegation", "code", "name")) == [
        (delegation.pk, "article", "TMTPost article"),
        (delegation.pk, "poster", "Printed poster"),
    ]


def test_links_source_short_url_and_without_scheme(poster):
    with override_settings(SITE_URL=SITE):
        assert links.source_short_url(poster) == f"{SITE}/q/poster"
    assert links.without_scheme(f"{SITE}/q/poster") == "delegation.example.org/q/poster"

"""Phone first, checked on the HTML (the browser tests check the rendered page): the right keyboard and
autofill for every field, nothing from another host, no inline script, and a light registration page."""

import gzip
import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders

from registrations import services
from tests.conftest import submission
from tests.helpers import register_url

PAGE_WEIGHT_BUDGET = 150 * 1024


class Elements(HTMLParser):
    """Every start tag as (tag, attributes)."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def form_fields(html: str) -> dict[str, dict]:
    return {
        attrs["name"]: attrs
        for tag, attrs in Elements(html).tags
        if tag in {"input", "textarea", "select"}
        and attrs.get("type") not in {"hidden", "submit"}
        and attrs.get("name") not in {"csrfmiddlewaretoken", "next", "language"}
    }


def test_every_field_has_type_inputmode_and_autocomplete(client, delegation):
    fields = form_fields(client.get(register_url(delegation)).content.decode())

    expected = {
        "full_name": ("text", "text", "name"),
        "company": ("text", "text", "organization"),
        "job_title": ("text", "text", "organization-title"),
        "email": ("email", "email", "email"),
        "phone": ("tel", "tel", "tel"),
        "wechat_id": ("text", "text", "off"),
        "note": (None, "text", "off"),
    }
    assert {
        name: (attrs.get("type"), attrs.get("inputmode"), attrs.get("autocomplete")) for name, attrs in fields.items() if name in expected
    } == expected
    assert (fields["sector"]["type"], fields["consent"]["type"]) == ("radio", "checkbox")
    assert fields["email"]["autocapitalize"] == "off" and fields["email"]["spellcheck"] == "false"


@pytest.mark.parametrize("accept", ["zh-CN", "ko", "en"])
def test_public_pages_use_only_our_host_and_no_inline_script(client, delegation, accept):
    registration = services.registration_submit(**submission(delegation))
    for path in [delegation.get_absolute_url(), register_url(delegation), registration.get_absolute_url(), "/d/nope/"]:
        html = client.get(path, HTTP_ACCEPT_LANGUAGE=accept).content.decode()
        tags = Elements(html).tags

        addresses = [attrs.get(name) for _tag, attrs in tags for name in ("src", "href", "action") if attrs.get(name)]
        assert [address for address in addresses if not address.startswith(("/", "#"))] == [], path
        assert [attrs for tag, attrs in tags if tag == "script" and "src" not in attrs] == [], path
        assert [name for _tag, attrs in tags for name in attrs if name.startswith("on")] == [], path
        assert "style=" not in html


def test_registration_page_weight_gzipped_is_under_budget(client, delegation):
    html = client.get(register_url(delegation)).content
    assets = [
        attrs.get("href") or attrs.get("src")
        for tag, attrs in Elements(html.decode()).tags
        if (tag == "link" and attrs.get("rel") in {"stylesheet", "icon"}) or (tag == "script" and "src" in attrs)
    ]

    sizes = {url: len(gzip.compress(open(finders.find(url.removeprefix("/static/")), "rb").read())) for url in assets}
    total = len(gzip.compress(html)) + sum(sizes.values())

    assert sorted(sizes) == [
        "/static/css/site.css",
        "/static/favicon.svg",
        "/static/img/favicon-32.png",
        "/static/js/form-errors.js",
        "/static/js/keep-typed.js",
        "/static/vendor/bootstrap/bootstrap.min.css",
    ]
    assert total <= PAGE_WEIGHT_BUDGET
    assert re.search(rb"<html lang=", html)

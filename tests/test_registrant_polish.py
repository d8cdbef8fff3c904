"""The registrant's pages: private link to copy, waiting-list words, decline confirmation, forms' actions, QR sizes."""

import io
import re

import pytest
from django.conf import settings
from django.urls import reverse
from PIL import Image

from registrations import services
from registrations.models import Registration
from tests.trip_helpers import apply, make_trip

pytestmark = pytest.mark.django_db
Status = Registration.Status


def register_url(delegation) -> str:
    return reverse("registrations:register", kwargs={"slug": delegation.slug})


def offered(delegation) -> Registration:
    """Two seats taken, one person waiting; a cancellation offers the waiting person the seat."""
    first, _second, waiting = apply(delegation), apply(delegation), apply(delegation)
    services.registration_cancel(registration=first)
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED
    return waiting


def test_private_page_says_the_link_was_emailed_and_offers_it_to_copy(client):
    registration = apply(make_trip(), email="li.wei@example.cn")

    html = client.get(registration.get_absolute_url()).content.decode()

    assert "We e-mailed this page's link to li.wei@example.cn." in html
    link = settings.SITE_URL + registration.get_absolute_url()
    assert f'<input class="form-control private-link-input" id="private-link" type="url" readonly data-select-all value="{link}">' in html
    assert re.search(r'<button type="button"[^>]* hidden data-copy-from="private-link"', html)
    assert '<script src="/static/js/copy-link.js" defer></script>' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_private_page_of_cancelled_registration_does_not_offer_to_cancel(client):
    registration = apply(make_trip())
    services.registration_cancel(registration=registration)

    html = client.get(registration.get_absolute_url()).content.decode()

    assert "Keep it: it is private, and it is how you come back to see this page." in html
    assert "or cancel" not in html
    assert reverse("registrations:registration_cancel", kwargs={"token": registration.token}) not in html


def test_cancelled_email_does_not_offer_to_cancel(mailoutbox, django_capture_on_commit_callbacks):
    registration = apply(make_trip())

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=registration)

    assert "(status, itinerary, cancel)" not in mailoutbox[-1].body
    assert "Your private link (this registration's page)." in mailoutbox[-1].body


def test_register_form_when_full_says_join_the_waiting_list_once(client):
    delegation = make_trip(seats=1)
    apply(delegation)

    html = client.get(register_url(delegation)).content.decode()

    assert 'id="submit-id-submit" class="btn btn-primary btn-lg w-100" value="Join the waiting list"' in html
    assert html.count("All seats are taken") == 1
    assert "0 people" not in html


def test_register_form_with_seats_says_register(client):
    html = client.get(register_url(make_trip(seats=3))).content.decode()

    assert 'id="submit-id-submit" class="btn btn-primary btn-lg w-100" value="Register"' in html


def test_delegation_page_when_full_with_nobody_waiting_says_no_count(client):
    delegation = make_trip(seats=1)
    apply(delegation)

    html = client.get(delegation.get_absolute_url()).content.decode()

    assert "All seats are taken." in html
    assert "0 people" not in html and "on the waiting list." not in html


def test_offer_decline_link_asks_before_declining(client):
    waiting = offered(make_trip(seats=2))
    decline = reverse("registrations:offer_decline", kwargs={"token": waiting.token})

    private = client.get(waiting.get_absolute_url()).content.decode()
    confirm = client.get(decline)
    waiting.refresh_from_db()

    assert f'<a class="btn btn-outline-secondary w-100" href="{decline}">' in private
    assert confirm.status_code == 200
    assert f'<form method="post" action="{decline}">' in confirm.content.decode()
    assert waiting.status == Status.OFFERED


def test_offer_decline_confirmed_by_post_gives_the_seat_away(client):
    waiting = offered(make_trip(seats=2))

    response = client.post(reverse("registrations:offer_decline", kwargs={"token": waiting.token}))
    waiting.refresh_from_db()

    assert response.status_code == 302
    assert waiting.status == Status.CANCELLED


def test_offer_decline_page_without_offer_says_so(client):
    registration = apply(make_trip(seats=2))

    html = client.get(reverse("registrations:offer_decline", kwargs={"token": registration.token})).content.decode()

    assert "There is no seat offer to decline on this registration now." in html
    assert "Yes, decline the seat" not in html


@pytest.mark.parametrize("page", ["register", "lost_link", "private", "cancel", "decline"])
def test_public_forms_have_no_empty_action(client, page):
    delegation = make_trip(seats=2)
    registration = apply(delegation)
    urls = {
        "register": register_url(delegation),
        "lost_link": reverse("registrations:lost_link", kwargs={"slug": delegation.slug}),
        "private": registration.get_absolute_url(),
        "cancel": reverse("registrations:registration_cancel", kwargs={"token": registration.token}),
        "decline": reverse("registrations:offer_decline", kwargs={"token": registration.token}),
    }

    html = client.get(urls[page]).content.decode()

    assert "<form" in html
    assert 'action=""' not in html and "action=''" not in html


def test_register_form_posts_to_its_own_url(client):
    delegation = make_trip()

    html = client.get(register_url(delegation) + "?src=wechat").content.decode()

    assert f'<form method="post" action="{register_url(delegation)}" novalidate data-keep-typed>' in html
    assert 'name="source" value="wechat"' in html


@pytest.mark.parametrize(("asked", "served"), [("1", 128), ("127", 128), ("128", 128), ("4096", 2048)])
def test_qr_png_size_outside_the_documented_range_is_clamped(client, asked, served):
    delegation = make_trip()

    response = client.get(reverse("registrations:qr_png", kwargs={"slug": delegation.slug}), {"size": asked})

    width, height = Image.open(io.BytesIO(response.content)).size
    assert response.status_code == 200
    assert width == height
    assert served // 2 <= width <= served


def test_register_and_lost_link_pages_carry_typed_values_script(client):
    delegation = make_trip()

    pages = [client.get(register_url(delegation)), client.get(reverse("registrations:lost_link", kwargs={"slug": delegation.slug}))]

    assert [page.content.decode().count('<script src="/static/js/keep-typed.js" defer></script>') for page in pages] == [1, 1]


def meta_content(html: str, key: str) -> str:
    [value] = re.findall(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    return value


@pytest.mark.parametrize("page", ["delegation", "register"])
def test_public_pages_carry_a_share_card_with_a_png_image(client, page):
    delegation = make_trip(summary="Four days of site visits in Songdo.")
    url = delegation.get_absolute_url() if page == "delegation" else register_url(delegation)

    html = client.get(url).content.decode()

    assert meta_content(html, "og:title") == delegation.title
    assert meta_content(html, "og:description") == "Four days of site visits in Songdo."
    assert meta_content(html, "og:image") == settings.SITE_URL + "/static/img/share-card.png"
    assert meta_content(html, "og:url") == settings.SITE_URL + delegation.get_absolute_url()
    assert '<link rel="apple-touch-icon" href="/static/img/apple-touch-icon.png">' in html
    assert '<link rel="icon" href="/static/img/favicon-32.png" type="image/png" sizes="32x32">' in html


def test_share_card_title_in_chinese(client):
    delegation = make_trip()

    html = client.get(delegation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()

    assert meta_content(html, "og:title") == delegation.title_zh_hans


@pytest.mark.parametrize(
    ("path", "size"), [("img/share-card.png", (1200, 630)), ("img/apple-touch-icon.png", (180, 180)), ("img/favicon-32.png", (32, 32))]
)
def test_share_images_are_pngs_of_the_announced_size(client, path, size):
    response = client.get("/static/" + path)

    image = Image.open(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    assert (response.status_code, image.format, image.size) == (200, "PNG", size)


def test_private_page_has_no_share_card(client):
    registration = apply(make_trip())

    html = client.get(registration.get_absolute_url()).content.decode()

    assert "og:image" not in html

import pytest
from django.urls import reverse
from django.utils import timezone

from registrations import services
from registrations.models import Registration
from tests.conftest import make_delegation, submit
from tests.helpers import form_data, register_url

Status = Registration.Status


def test_home_redirects_to_the_only_open_delegation(client, delegation):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == f"/d/{delegation.slug}/"


def test_home_lists_several_delegations(client, db):
    first, second = make_delegation(), make_delegation()

    response = client.get("/")

    assert response.status_code == 200
    assert first.title in response.content.decode() and second.title in response.content.decode()


def test_delegation_detail_shows_story_sectors_itinerary_and_seats(client, delegation):
    submit(delegation)

    response = client.get(delegation.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert "Smart logistics" in page and "Songdo Bio Industrial Park" in page
    assert "1 seat left of 2" in page
    assert "Register now" in page


def test_delegation_detail_says_join_waiting_list_when_full(client, delegation):
    submit(delegation), submit(delegation)

    page = client.get(delegation.get_absolute_url()).content.decode()

    assert "Join the waiting list" in page
    assert "All seats are taken" in page


def test_delegation_detail_says_closed_outside_window(client, db):
    closed = make_delegation(registration_closes_at=timezone.now() - timezone.timedelta(hours=1))

    page = client.get(closed.get_absolute_url()).content.decode()

    assert "Registration closed" in page
    assert register_url(closed) not in page


def test_unpublished_delegation_is_404(client, db):
    hidden = make_delegation(is_published=False)

    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(register_url(hidden)).status_code == 404


def test_unknown_slug_is_404_in_site_look(client, db):
    response = client.get("/d/no-such-delegation/")

    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_register_form_has_input_types_and_autocomplete(client, delegation):
    page = client.get(register_url(delegation)).content.decode()

    assert 'type="email"' in page and 'autocomplete="email"' in page
    assert 'type="tel"' in page and 'autocomplete="tel"' in page
    assert 'autocomplete="name"' in page and 'autocomplete="organization"' in page
    assert 'name="consent"' in page


def test_register_post_redirects_to_private_page_with_source(client, delegation):
    response = client.post(register_url(delegation) + "?src=article", form_data(delegation, source="article"))

    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/r/{registration.token}/"
    assert registration.source == "article"
    assert registration.status == Status.CONFIRMED
    assert registration.full_name == "王小明"


def test_register_get_keeps_src_in_hidden_field(client, delegation):
    page = client.get(register_url(delegation) + "?src=Poster").content.decode()

    assert 'name="source" value="poster"' in page


def test_register_with_malformed_src_is_400(client, delegation):
    response = client.get(register_url(delegation) + "?src=%3Cscript%3E")

    assert response.status_code == 400


def test_register_tampered_hidden_source_is_dropped(client, delegation):
    client.post(register_url(delegation), form_data(delegation, source="<b>x</b>"))

    assert Registration.objects.get().source == ""


def test_register_when_full_lands_on_waiting_list_page(client, delegation):
    submit(delegation), submit(delegation)

    response = client.post(register_url(delegation), form_data(delegation), follow=True)

    page = response.content.decode()
    assert "You are number 1 on the waiting list" in page


def test_register_duplicate_email_shows_field_error_without_details(client, delegation):
    submit(delegation, email="wang@example.cn", full_name="Secret Person")

    response = client.post(register_url(delegation), form_data(delegation, email="WANG@example.cn"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "If this address is already registered, we have e-mailed its private link to it." in page
    assert "Secret Person" not in page
    assert Registration.objects.count() == 1


def test_register_when_closed_shows_closed_page_and_stores_nothing(client, db):
    closed = make_delegation(registration_closes_at=timezone.now() - timezone.timedelta(hours=1))

    response = client.post(register_url(closed), form_data(closed))

    assert response.status_code == 200
    assert "Registration closed" in response.content.decode()
    assert Registration.objects.count() == 0


@pytest.mark.parametrize(
    "field, value",
    [
        ("full_name", ""),
        ("email", "not-an-email"),
        ("phone", "call me"),
        ("full_name", "x" * 10_000),
        ("company", "ACME\x00Corp"),
        ("job_title", "CEO\x07"),
        ("note", "n" * 10_000),
        ("sector", "999999"),
        ("sector", "not-a-number"),
        ("consent", ""),
    ],
)
def test_register_bad_input_gives_field_error_and_stores_nothing(client, delegation, field, value):
    response = client.post(register_url(delegation), form_data(delegation, **{field: value}))

    assert response.status_code == 200
    assert response.context["form"].errors.get(field)
    assert Registration.objects.count() == 0


def test_register_missing_fields_is_a_form_not_a_500(client, delegation):
    response = client.post(register_url(delegation), {})

    assert response.status_code == 200
    assert Registration.objects.count() == 0


@pytest.mark.parametrize("name", ["张伟", "김민준", "Zoë 🚀 Ødegaard"])
def test_register_accepts_chinese_korean_and_emoji_names(client, delegation, name):
    client.post(register_url(delegation), form_data(delegation, full_name=name, email=f"{len(name)}@example.com"))

    assert Registration.objects.get().full_name == name


def test_html_in_name_is_escaped_on_private_page(client, delegation):
    registration = submit(delegation, full_name="<script>alert(1)</script>")

    page = client.get(registration.get_absolute_url()).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_private_page_shows_status_details_and_is_private(client, delegation):
    registration = submit(delegation, company="Hyundai Partner Co.")

    response = client.get(registration.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert "Your seat in the delegation is confirmed" in page
    assert "Hyundai Partner Co." in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_private_page_unknown_token_is_404(client, db):
    assert client.get("/r/not-a-real-token/").status_code == 404


def test_tokens_are_long_and_random(delegation):
    first, second = submit(delegation), submit(delegation)

    assert len(first.token) >= 43 and first.token != second.token


def test_cancel_page_asks_for_confirmation_then_cancels_on_post(client, delegation):
    registration = submit(delegation)
    waiting = submit(delegation), submit(delegation)
    url = reverse("registrations:registration_cancel", kwargs={"token": registration.token})

    confirm_page = client.get(url)
    registration.refresh_from_db()
    assert confirm_page.status_code == 200 and registration.status == Status.CONFIRMED

    response = client.post(url, follow=True)

    registration.refresh_from_db()
    waiting[1].refresh_from_db()
    assert registration.status == Status.CANCELLED
    assert waiting[1].status == Status.OFFERED
    assert "Your registration is cancelled" in response.content.decode()


def test_cancel_twice_shows_a_message_not_an_error(client, delegation):
    registration = submit(delegation)
    services.registration_cancel(registration=registration)
    url = reverse("registrations:registration_cancel", kwargs={"token": registration.token})

    response = client.post(url, follow=True)

    assert response.status_code == 200
    assert "cannot become" in response.content.decode()


def test_healthz_ok(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_503_when_database_fails(client, db, monkeypatch):
    from django.db import DatabaseError

    class BrokenConnection:
        def cursor(self):
            raise DatabaseError("down")

    monkeypatch.setattr("registrations.views.public.connection", BrokenConnection())

    assert client.get("/healthz").status_code == 503


def test_500_page_renders_in_site_look(rf, db):
    from registrations.views.public import server_error

    response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_public_pages_query_count_constant(client, delegation, django_assert_max_num_queries):
    for _ in range(5):
        submit(delegation)
    registration = Registration.objects.first()
    client.get(delegation.get_absolute_url()), client.get(register_url(delegation))  # fill the cached page parts

    with django_assert_max_num_queries(5):
        assert client.get(delegation.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(register_url(delegation)).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(registration.get_absolute_url()).status_code == 200

"""Public pages answered from this process's memo (registrations/views/page_memo.py): the same page, headers and
CSRF semantics as the full stack, each visitor's own token and addresses, nothing of one visitor kept."""

from email.utils import parsedate_to_datetime

import pytest
from django.conf import settings
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client, RequestFactory

from registrations.models import Registration
from registrations.views import page_memo
from tests.conftest import make_delegation
from tests.helpers import form_data, register_url

PAGES = ["delegation", "register"]


def url_of(delegation, page: str) -> str:
    return delegation.get_absolute_url() if page == "delegation" else register_url(delegation)


def token_in(page: str) -> str:
    return page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]


@pytest.mark.parametrize("page", PAGES)
def test_page_memo_serves_the_full_stacks_page_and_headers_with_the_visitors_own_token(db, page):
    delegation = make_delegation()
    url = url_of(delegation, page)
    first = Client().get(url)  # rendered by the full stack, then memoised
    memoised = len(page_memo._memo)

    second = Client().get(url)

    assert memoised >= 1 and len(page_memo._memo) == memoised  # the second page came from the memo
    assert second.status_code == 200
    assert dict(second.items()) == dict(first.items())
    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "Referrer-Policy",
        "X-Content-Type-Options",
        "Cross-Origin-Opener-Policy",
        "Permissions-Policy",
        "Cross-Origin-Resource-Policy",
        "Content-Language",
    ):
        assert second[header] == first[header] != ""
    one, two = first.content.decode(), second.content.decode()
    assert token_in(one) != token_in(two)
    assert one.replace(token_in(one), "TOKEN") == two.replace(token_in(two), "TOKEN")
    assert second.cookies[settings.CSRF_COOKIE_NAME].value != first.cookies[settings.CSRF_COOKIE_NAME].value
    cookies = [response.cookies[settings.CSRF_COOKIE_NAME] for response in (first, second)]
    attributes = [{name: value for name, value in cookie.items() if name != "expires"} for cookie in cookies]
    expiries = [parsedate_to_datetime(cookie["expires"]) for cookie in cookies]
    assert attributes[0] == attributes[1] and attributes[0]["max-age"] == settings.CSRF_COOKIE_AGE
    assert abs((expiries[1] - expiries[0]).total_seconds()) < 60


@pytest.mark.parametrize("page", PAGES)
def test_page_memo_token_is_the_visitors_cookie_secret_masked(db, page):
    delegation = make_delegation()
    url = url_of(delegation, page)
    Client().get(url)
    visitor = Client()
    visitor.get(url)
    secret = visitor.cookies[settings.CSRF_COOKIE_NAME].value

    tokens = {token_in(visitor.get(url).content.decode()) for _ in range(3)}

    assert len(tokens) == 3  # a fresh mask each time (BREACH), always the same secret
    assert {_unmask_cipher_token(token) for token in tokens} == {secret}
    assert visitor.cookies[settings.CSRF_COOKIE_NAME].value == secret


def test_page_memo_form_post_with_the_token_of_a_memoised_page_is_accepted(db):
    delegation = make_delegation()
    url = register_url(delegation)
    Client().get(url)
    person = Client(enforce_csrf_checks=True)

    token = token_in(person.get(url).content.decode())
    response = person.post(url, {**form_data(delegation), "csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert Registration.objects.get(delegation=delegation).get_absolute_url() == response["Location"]


def test_page_memo_token_taken_to_another_browser_is_refused(db):
    delegation = make_delegation()
    url = register_url(delegation)
    Client().get(url)
    token = token_in(Client().get(url).content.decode())
    other = Client(enforce_csrf_checks=True)
    other.get(url)

    response = other.post(url, {**form_data(delegation), "csrfmiddlewaretoken": token})

    assert response.status_code == 403
    assert not Registration.objects.filter(delegation=delegation).exists()


@pytest.mark.parametrize("page", PAGES)
def test_page_memo_language_comes_from_the_cookie_or_accept_language(db, page):
    delegation = make_delegation()
    url = url_of(delegation, page)
    Client().get(url, HTTP_ACCEPT_LANGUAGE="en")
    korean, chinese = Client(), Client()
    chinese.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"

    pages = [korean.get(url, HTTP_ACCEPT_LANGUAGE="ko-KR,ko;q=0.9") for _ in range(2)]
    chosen = [chinese.get(url, HTTP_ACCEPT_LANGUAGE="ko-KR") for _ in range(2)]

    assert all('<html lang="ko">' in response.content.decode() and response["Content-Language"] == "ko" for response in pages)
    assert all('<html lang="zh-hans">' in response.content.decode() for response in chosen)


@pytest.mark.parametrize("page", PAGES)
def test_page_memo_keeps_nothing_of_the_visitor_whose_request_rendered_it(db, page):
    delegation = make_delegation()
    url = url_of(delegation, page)
    page_memo.memo_clear()
    visitor = Client()

    response = visitor.get(url + "?src=zq-visitor-7")

    [entry] = page_memo._memo.values()
    stored = b"".join(entry.parts) + repr(entry.headers).encode()
    assert response.status_code == 200 and b"zq-visitor-7" in response.content
    assert b"zq-visitor-7" not in stored
    assert token_in(response.content.decode()).encode() not in stored
    assert visitor.cookies[settings.CSRF_COOKIE_NAME].value.encode() not in stored


def test_page_memo_is_not_used_for_a_session_messages_a_body_or_another_query(db):
    delegation = make_delegation()
    url = delegation.get_absolute_url()
    factory = RequestFactory()
    with_session = factory.get(url)
    with_session.COOKIES[settings.SESSION_COOKIE_NAME] = "x"
    with_messages = factory.get(url)
    with_messages.COOKIES["messages"] = "x"

    refused = [
        with_session,
        with_messages,
        factory.get(url, {"lang": "ko"}),
        factory.get(url + "?src=Not%20valid"),
        factory.head(url),
        factory.post(url),
        factory.get("/d/x/lost-link/"),
    ]

    assert [page_memo._eligible(request) for request in refused] == [None] * len(refused)
    assert page_memo._eligible(factory.get(register_url(delegation) + "?src=poster")) == ("register", delegation.slug, "poster")


def test_page_memo_seats_and_edits_show_on_the_next_load(db):
    from tests.conftest import submit

    delegation = make_delegation(seats=2)
    url = delegation.get_absolute_url()
    Client().get(url)
    assert "2 seats left of 2" in Client().get(url).content.decode()

    submit(delegation)
    after_one = Client().get(url).content.decode()
    delegation.title = "Renamed on the spot"
    delegation.save()
    renamed = Client().get(url).content.decode()

    assert "1 seat left of 2" in after_one
    assert "Renamed on the spot" in renamed and "1 seat left of 2" in renamed


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("watch", [True, False])
def test_page_memo_changes_made_in_another_process_show_on_the_next_load(settings, monkeypatch, watch):
    """Another server process registers, renames, cancels; this process's next page shows it. With Redis's change
    notices (SEAT_STATE_WATCH) the pages in between come from memory without asking Redis; without, with a GET each."""
    from registrations.core.shared_cache import RedisCache
    from registrations.selectors import seat_state
    from tests.change_worker import change_elsewhere
    from tests.test_serving import use_cache

    use_cache(settings, "redis")
    settings.SEAT_STATE_WATCH = watch
    monkeypatch.setattr(seat_state, "SEAT_STATE_SECONDS", 60)  # nothing seen late because it expired first
    delegation = make_delegation(seats=2)
    url = delegation.get_absolute_url()
    elsewhere = lambda change: change_elsewhere(delegation, change)  # noqa: E731
    reads = []
    real_read = RedisCache.get_raw_expiring
    monkeypatch.setattr(RedisCache, "get_raw_expiring", lambda self, key: reads.append(key) or real_read(self, key))

    def next_loads() -> str:
        """The next page (it reads the database and stores the seat state, and Redis notices that store), then
        three more: ``reads`` says what the last two cost in Redis reads."""
        page = Client().get(url).content.decode()
        Client().get(url)
        reads.clear()
        for _ in range(2):
            assert Client().get(url).status_code == 200
        return page

    before = next_loads()
    quiet_reads = len(reads)
    elsewhere("register")
    after_one = next_loads()
    elsewhere("rename")
    renamed = next_loads()
    elsewhere("cancel")
    after_cancel = next_loads()

    assert "2 seats left of 2" in before
    assert "1 seat left of 2" in after_one
    assert "Renamed in another process" in renamed and "1 seat left of 2" in renamed
    assert "Renamed in another process" in after_cancel and "2 seats left of 2" in after_cancel
    assert quiet_reads == (0 if watch else 2)

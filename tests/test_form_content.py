"""The registration form's POST reads the delegation, its sectors and questions from what this process keeps
(registrations/selectors/form_content.py): a change made by another server process shows on the next POST, and
what decides a seat is read again under the lock whatever this process kept."""

import re

import pytest
from django.test import Client

from registrations.models import Registration
from registrations.selectors import form_content
from tests.conftest import make_delegation
from tests.helpers import form_data, register_url

Status = Registration.Status


@pytest.fixture
def elsewhere(settings):
    """Run a change in another process (tests/change_worker.py), with this test's database and Redis."""
    from tests.change_worker import change_elsewhere
    from tests.test_serving import use_cache

    use_cache(settings, "redis")
    settings.SEAT_STATE_WATCH = True
    return change_elsewhere


def post(delegation, number: int, data: dict | None = None):
    return Client().post(register_url(delegation), data or form_data(delegation, email=f"kept{number}@example.com"))


@pytest.mark.django_db(transaction=True)
def test_a_post_reads_the_kept_content_and_a_change_elsewhere_on_the_next_post(elsewhere, settings, django_assert_max_num_queries):
    settings.EMAIL_SEND_AFTER_COMMIT = False  # the e-mail is rendered and sent by the outbox, not counted here
    delegation = make_delegation(seats=5)
    assert post(delegation, 1).status_code == 302
    data = form_data(delegation, email="kept2@example.com")
    # BEGIN, the lock (none on SQLite), the counts, three inserts, COMMIT: no delegation, sector or question read.
    with django_assert_max_num_queries(7) as kept:
        assert post(delegation, 2, data).status_code == 302
    assert not any("registrations_question" in query["sql"] for query in kept.captured_queries)

    elsewhere(delegation, "add-question")  # a required question: the next POST must ask it
    response = post(delegation, 3)
    assert response.status_code == 200 and "Added in another process" in response.content.decode()
    assert not Registration.objects.filter(email="kept3@example.com").exists()


@pytest.mark.django_db(transaction=True)
def test_a_post_shown_again_lists_the_kept_sectors_without_reading_them(elsewhere, django_assert_max_num_queries):
    """A POST with a mistake shows the form again: its field choices are the kept sectors, in their order, the posted
    one still ticked, and no query reads the sector table."""
    delegation = make_delegation(seats=5)
    assert post(delegation, 1).status_code == 302  # keeps the content
    chosen = delegation.sectors.last()
    data = form_data(delegation, email="kept2@example.com", sector=str(chosen.pk)) | {"full_name": ""}
    with django_assert_max_num_queries(8) as shown:
        response = post(delegation, 2, data)
    page = response.content.decode()
    assert response.status_code == 200 and "This field is required" in page
    assert not any("registrations_sector" in query["sql"] for query in shown.captured_queries)
    names = [str(sector) for sector in delegation.sectors.all()]
    assert [page.index(name) for name in names] == sorted(page.index(name) for name in names)
    [ticked] = re.findall(r'<input type="radio"[^>]*name="sector"[^>]*checked>', page)
    assert f'value="{chosen.pk}"' in ticked


@pytest.mark.django_db(transaction=True)
def test_a_sector_closed_elsewhere_is_refused_even_before_its_notice_arrives(elsewhere, monkeypatch):
    """The kept sector says "no cap"; the cap set meanwhile is read under the lock: the person waits."""
    delegation = make_delegation(seats=5)
    first = form_data(delegation, email="kept1@example.com", sector=str(delegation.sectors.first().pk))
    assert post(delegation, 1, first).status_code == 302  # keeps the content: the last sector has no cap, nobody in it
    monkeypatch.setattr(form_content, "_watch_generation", lambda: 1)  # no notice ever arrives
    form_content._kept.update({key: (1, float("inf"), rows) for key, (_, _, rows) in form_content._kept.items()})

    elsewhere(delegation, "cap-last-sector")
    assert post(delegation, 2).status_code == 302
    assert Registration.objects.get(email="kept2@example.com").status == Status.WAITLISTED

    second = form_data(delegation, email="kept3@example.com", sector=str(delegation.sectors.all()[1].pk))
    elsewhere(delegation, "delete-second-sector")
    response = post(delegation, 3, second)
    assert response.status_code == 200 and not Registration.objects.filter(email="kept3@example.com").exists()
    assert "Choose one of this delegation&#x27;s fields." in response.content.decode()


@pytest.mark.django_db
def test_without_redis_every_post_reads_the_content(django_assert_num_queries, settings):
    settings.SEAT_STATE_WATCH = False  # as without Redis, also where the suite runs with REDIS_URL set
    delegation = make_delegation(seats=5)
    assert post(delegation, 1).status_code == 302
    form_content._kept.clear()
    assert post(delegation, 2).status_code == 302
    assert form_content._kept == {}


@pytest.mark.django_db
def test_each_post_gets_its_own_instances(settings):
    from tests.test_serving import use_cache

    use_cache(settings, "redis")
    delegation = make_delegation(seats=5)
    first = form_content.registration_form_content(slug=delegation.slug)
    first.delegation.title = "Changed by one request"
    first.sectors[0].name = "Changed too"
    second = form_content.registration_form_content(slug=delegation.slug)
    assert second.delegation.title == delegation.title and second.sectors[0].name != "Changed too"
    assert form_content.registration_form_content(slug="no-such-delegation") is None

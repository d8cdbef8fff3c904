"""The delegate's own page: seeing, joining and leaving optional visits (POST forms, CSRF, clear messages)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from registrations import services
from registrations.models import VisitBooking
from tests.conftest import make_delegation, submit
from tests.visit_helpers import confirmed_people, make_visit, start_in_the_past, visit_state

Booking = VisitBooking.Status


@pytest.fixture
def delegation(db):
    return make_delegation(seats=10)


def join_url(registration, visit):
    return reverse("registrations:visit_join", kwargs={"token": registration.token, "visit_id": visit.pk})


def leave_url(registration, visit):
    return reverse("registrations:visit_leave", kwargs={"token": registration.token, "visit_id": visit.pk})


def page_of(client, registration) -> str:
    return client.get(registration.get_absolute_url()).content.decode()


def test_private_page_offers_each_optional_visit_with_places_left(client, delegation):
    visit = make_visit(delegation, capacity=20, title="Songdo Bio Industrial Park tour")
    person = submit(delegation)

    page = page_of(client, person)

    assert "Optional site visits" in page
    assert "Songdo Bio Industrial Park tour" in page
    assert "20 of 20 places left" in page
    assert f'action="{join_url(person, visit)}"' in page
    assert "Take a place on this visit" in page


def test_private_page_shows_a_full_visit_as_full_with_its_waiting_list(client, delegation):
    visit = make_visit(delegation, capacity=1)
    holder, waiting, newcomer = confirmed_people(delegation, 3)
    services.visit_join(registration=holder, visits=[visit])
    services.visit_join(registration=waiting, visits=[visit])

    page = page_of(client, newcomer)

    assert "Full" in page and "1 person waiting" in page
    assert "Join this visit's waiting list" in page


def test_private_page_shows_the_persons_place_and_waiting_position(client, delegation):
    visit = make_visit(delegation, capacity=1)
    holder, waiting = confirmed_people(delegation, 2)
    services.visit_join(registration=holder, visits=[visit])
    services.visit_join(registration=waiting, visits=[visit])

    assert "You have a place on this visit." in page_of(client, holder)
    assert "Give up my place" in page_of(client, holder)
    assert "You are number 1 on this visit's waiting list." in page_of(client, waiting)
    assert "Leave the waiting list" in page_of(client, waiting)


def test_private_page_of_a_waitlisted_registrant_explains_and_offers_no_button(client, db):
    delegation = make_delegation(seats=1)
    visit = make_visit(delegation)
    submit(delegation)
    waiting = submit(delegation)

    page = page_of(client, waiting)

    assert "Once your seat is confirmed, you can choose these visits here." in page
    assert join_url(waiting, visit) not in page


def test_private_page_of_a_cancelled_registration_has_no_visits_section(client, delegation):
    make_visit(delegation)
    person = services.registration_cancel(registration=submit(delegation))

    assert "Optional site visits" not in page_of(client, person)


def test_private_page_of_a_started_visit_offers_no_change(client, delegation):
    visit = make_visit(delegation)
    person = submit(delegation)
    start_in_the_past(visit)

    page = page_of(client, person)

    assert "This visit has started: places can no longer change." in page
    assert join_url(person, visit) not in page


def test_visit_join_post_books_and_says_so(client, delegation):
    visit = make_visit(delegation, capacity=2, title="CJ Logistics hub")
    person = submit(delegation)

    response = client.post(join_url(person, visit), follow=True)

    assert response.redirect_chain == [(person.get_absolute_url() + "#visits", 302)]
    assert "You have a place on “CJ Logistics hub”." in response.content.decode()
    assert visit_state(visit) == ([person.pk], [])


def test_visit_join_post_when_full_gives_the_waiting_position(client, delegation):
    visit = make_visit(delegation, capacity=1, title="Hyundai plant")
    holder, person = confirmed_people(delegation, 2)
    services.visit_join(registration=holder, visits=[visit])

    response = client.post(join_url(person, visit), follow=True)

    assert (
        "“Hyundai plant” is full. You are number 1 on its waiting list: if a place frees, it is yours automatically."
    ) in response.content.decode()


def test_visit_join_post_twice_says_already_on_it(client, delegation):
    visit = make_visit(delegation, title="Twice")
    person = submit(delegation)
    client.post(join_url(person, visit))

    response = client.post(join_url(person, visit), follow=True)

    assert "You are already on “Twice”." in response.content.decode()
    assert VisitBooking.objects.count() == 1


def test_visit_join_post_by_waitlisted_registrant_is_refused_with_a_message(client, db):
    delegation = make_delegation(seats=1)
    visit = make_visit(delegation)
    submit(delegation)
    waiting = submit(delegation)

    response = client.post(join_url(waiting, visit), follow=True)

    assert "Optional visits are for confirmed delegates." in response.content.decode()
    assert VisitBooking.objects.count() == 0


def test_visit_join_by_get_is_not_allowed(client, delegation):
    visit = make_visit(delegation)

    assert client.get(join_url(submit(delegation), visit)).status_code == 405
    assert VisitBooking.objects.count() == 0


def test_visit_join_without_csrf_token_is_refused(delegation):
    visit = make_visit(delegation)
    person = submit(delegation)

    response = Client(enforce_csrf_checks=True).post(join_url(person, visit))

    assert response.status_code == 403
    assert VisitBooking.objects.count() == 0


def test_visit_join_with_the_forms_csrf_token_works(delegation):
    visit = make_visit(delegation)
    person = submit(delegation)
    browser = Client(enforce_csrf_checks=True)
    browser.get(person.get_absolute_url())

    response = browser.post(join_url(person, visit), {"csrfmiddlewaretoken": browser.cookies["csrftoken"].value})

    assert response.status_code == 302
    assert visit_state(visit) == ([person.pk], [])


@pytest.mark.parametrize("case", ["unknown token", "other delegation", "not optional", "unknown visit"])
def test_visit_join_with_a_wrong_address_is_404(client, delegation, case):
    person = submit(delegation)
    visit = make_visit(delegation)
    url = {
        "unknown token": reverse("registrations:visit_join", kwargs={"token": "x" * 43, "visit_id": visit.pk}),
        "other delegation": join_url(person, make_visit(make_delegation())),
        "not optional": join_url(person, delegation.itinerary.get(title="Opening")),
        "unknown visit": reverse("registrations:visit_join", kwargs={"token": person.token, "visit_id": 999999}),
    }[case]

    response = client.post(url)

    assert response.status_code == 404
    assert VisitBooking.objects.count() == 0


def test_visit_leave_asks_first_then_gives_the_place_to_the_next_person(client, delegation):
    visit = make_visit(delegation, capacity=1, title="Seoul Pharmaceutical Base")
    holder, waiting = confirmed_people(delegation, 2)
    services.visit_join(registration=holder, visits=[visit])
    services.visit_join(registration=waiting, visits=[visit])

    question = client.get(leave_url(holder, visit)).content.decode()
    response = client.post(leave_url(holder, visit), follow=True)

    assert "Leave “Seoul Pharmaceutical Base”?" in question
    assert "Yes, give up my place" in question
    assert visit_state(visit) == ([waiting.pk], [])
    assert "You are no longer on “Seoul Pharmaceutical Base”." in response.content.decode()


def test_visit_leave_page_when_not_on_the_visit_offers_no_form(client, delegation):
    visit = make_visit(delegation)
    person = submit(delegation)

    page = client.get(leave_url(person, visit)).content.decode()

    assert "You are not on this visit." in page
    assert f'action="{leave_url(person, visit)}"' not in page and "Leave the visit" not in page


def test_visit_leave_after_start_is_refused_with_a_message(client, delegation):
    visit = make_visit(delegation, title="Started")
    person = submit(delegation)
    services.visit_join(registration=person, visits=[visit])
    start_in_the_past(visit)

    response = client.post(leave_url(person, visit), follow=True)

    assert "“Started” has already started, so its places can no longer change." in response.content.decode()
    assert visit_state(visit) == ([person.pk], [])


def test_delegation_page_marks_optional_visits_with_their_places(client, delegation):
    make_visit(delegation, capacity=15, title="Seoul Pharmaceutical Base")

    page = client.get(delegation.get_absolute_url()).content.decode()

    assert "Optional visit · 15 places" in page


def test_private_page_query_count_does_not_grow_with_visits(client, delegation, django_assert_max_num_queries):
    person = submit(delegation)
    for _ in range(4):
        visit = make_visit(delegation)
        services.visit_join(registration=person, visits=[visit])

    with django_assert_max_num_queries(6):  # a confirmed delegate: also what they still have to give (test_serving.py)
        assert client.get(person.get_absolute_url()).status_code == 200


def test_visit_pages_have_no_inline_script(client, delegation):
    visit = make_visit(delegation)
    person = submit(delegation)
    services.visit_join(registration=person, visits=[visit])

    for url in (person.get_absolute_url(), leave_url(person, visit)):
        page = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", page) and " onclick=" not in page

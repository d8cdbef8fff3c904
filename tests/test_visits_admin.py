"""Organizers' side of site visits: places taken / capacity, attendee lists (page and CSV), changes through services."""

import csv
import io
import re

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registrations import services
from registrations.models import ItineraryItem, VisitBooking
from tests.conftest import make_delegation, submit
from tests.helpers import trip_day
from tests.test_admin import delegation_form_data
from tests.visit_helpers import make_visit, visit_state

Booking = VisitBooking.Status


@pytest.fixture
def delegation(db):
    return make_delegation(seats=10)


@pytest.fixture
def full_visit(delegation):
    """A visit with 2 places: Kim and Li have them, Park and Zhao wait."""
    visit = make_visit(delegation, capacity=2, title="Songdo Bio Industrial Park tour")
    for name in ["Li Na", "Kim Min-jun", "Park Ji-woo", "Zhao Lei"]:
        services.visit_join(registration=submit(delegation, full_name=name), visits=[visit])
    return visit


def attendees_url(visit, suffix=""):
    return reverse(f"admin:registrations_itineraryitem_attendees{suffix}", args=[visit.pk])


def test_itinerary_changelist_shows_places_taken_of_capacity_and_waiting(admin_client, delegation, full_visit):
    page = admin_client.get(reverse("admin:registrations_itineraryitem_changelist")).content.decode()

    assert '<td class="field-places">2 / 2 · 2 waiting</td>' in page
    assert '<td class="field-places">every confirmed delegate (4)</td>' in page
    assert attendees_url(full_visit) in page and attendees_url(full_visit, "_csv") in page


def test_itinerary_changelist_query_count_does_not_grow_with_visits(admin_client, delegation):
    url = reverse("admin:registrations_itineraryitem_changelist")
    admin_client.get(url)
    with CaptureQueriesContext(connection) as before:
        assert admin_client.get(url).status_code == 200
    for _ in range(5):
        visit = make_visit(delegation)
        services.visit_join(registration=submit(delegation), visits=[visit])

    with CaptureQueriesContext(connection) as after:
        assert admin_client.get(url).status_code == 200

    assert len(after) == len(before)


def test_attendee_page_lists_people_with_a_place_and_the_waiting_list(admin_client, full_visit):
    page = admin_client.get(attendees_url(full_visit)).content.decode()

    assert "Songdo Bio Industrial Park tour" in page
    assert "People with a place (2)" in page and "Waiting list (2)" in page
    assert page.index("Kim Min-jun") < page.index("Li Na") < page.index("Park Ji-woo") < page.index("Zhao Lei")
    assert "2 / 2 · 2 waiting" in page
    assert "css/admin-attendees.css" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page), "inline script"
    assert " onclick=" not in page


def test_attendee_page_of_a_non_optional_item_lists_every_confirmed_delegate(admin_client, delegation):
    submit(delegation, full_name="Choi Yuna")
    opening = delegation.itinerary.get(title="Opening")

    page = admin_client.get(attendees_url(opening)).content.decode()

    assert "Every confirmed delegate (1)" in page and "Choi Yuna" in page


def test_attendee_csv_has_every_person_and_neutralises_formulas(admin_client, delegation, full_visit):
    services.visit_join(registration=submit(delegation, full_name="Eve", company='=HYPERLINK("http://x")'), visits=[full_visit])

    response = admin_client.get(attendees_url(full_visit, "_csv"))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff"))))
    assert response["Content-Disposition"] == f'attachment; filename="{full_visit.delegation.slug}-visit-{full_visit.pk}-attendees.csv"'
    assert rows[0] == [
        "No.",
        "Full name",
        "Company",
        "Job title",
        "Field",
        "E-mail",
        "Mobile phone",
        "WeChat ID",
        "On this visit",
        "Waiting-list position",
    ]
    assert [(r[0], r[1], r[8], r[9]) for r in rows[1:]] == [
        ("1", "Kim Min-jun", "Place booked", ""),
        ("2", "Li Na", "Place booked", ""),
        ("", "Park Ji-woo", "Waiting list", "1"),
        ("", "Zhao Lei", "Waiting list", "2"),
        ("", "Eve", "Waiting list", "3"),
    ]
    assert rows[5][2] == '\'=HYPERLINK("http://x")'
    assert rows[1][6] == "'+86 138 0000 0000"


def staff_with(*codenames):
    user = User.objects.create_user("organizer", password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="registrations", codename__in=codenames))
    return user


@pytest.mark.parametrize(
    "codenames, status",
    [
        (["view_itineraryitem"], 403),
        (["view_registration"], 403),
        (["view_itineraryitem", "view_registration"], 200),
    ],
)
def test_attendee_lists_need_permission_to_see_itinerary_and_registrations(client, full_visit, codenames, status):
    client.force_login(staff_with(*codenames))

    assert client.get(attendees_url(full_visit)).status_code == status
    assert client.get(attendees_url(full_visit, "_csv")).status_code == status


def test_attendee_list_of_unknown_visit_is_404(admin_client, db):
    assert admin_client.get("/admin/registrations/itineraryitem/999999/attendees/").status_code == 404


def test_delegation_page_shows_places_and_attendee_links_per_itinerary_item(admin_client, delegation, full_visit):
    page = admin_client.get(reverse("admin:registrations_delegation_change", args=[delegation.pk])).content.decode()

    assert "2 / 2 · 2 waiting" in page
    assert attendees_url(full_visit) in page
    assert 'name="itinerary-2-capacity"' in page and 'name="itinerary-2-is_optional"' in page


def itinerary_index(delegation, visit):
    return list(delegation.itinerary.all()).index(visit)


def visit_fields(delegation, visit, *, capacity, optional=True):
    index = itinerary_index(delegation, visit)
    fields = {f"itinerary-{index}-capacity": "" if capacity is None else str(capacity)}
    if optional:
        fields[f"itinerary-{index}-is_optional"] = "on"
    return fields


def test_lowering_visit_places_below_taken_in_delegation_admin_is_refused(admin_client, delegation, full_visit):
    url = reverse("admin:registrations_delegation_change", args=[delegation.pk])

    response = admin_client.post(url, delegation_form_data(delegation, **visit_fields(delegation, full_visit, capacity=1)))

    full_visit.refresh_from_db()
    assert response.status_code == 200
    assert "2 places are already taken, so places cannot be lower than 2." in response.content.decode()
    assert full_visit.capacity == 2


def test_places_on_a_non_optional_item_in_delegation_admin_are_refused(admin_client, delegation):
    opening = delegation.itinerary.get(title="Opening")
    url = reverse("admin:registrations_delegation_change", args=[delegation.pk])

    response = admin_client.post(url, delegation_form_data(delegation, **visit_fields(delegation, opening, capacity=5, optional=False)))

    opening.refresh_from_db()
    assert response.status_code == 200
    assert "Only optional visits have their own number of places" in response.content.decode()
    assert opening.capacity is None


def test_raising_visit_places_in_delegation_admin_moves_its_waiting_list_up(admin_client, delegation, full_visit):
    url = reverse("admin:registrations_delegation_change", args=[delegation.pk])

    response = admin_client.post(url, delegation_form_data(delegation, **visit_fields(delegation, full_visit, capacity=3)), follow=True)

    booked, waiting = visit_state(full_visit)
    assert len(booked) == 3 and [position for position, _ in waiting] == [1]
    assert "1 person got a place on a visit from its waiting list." in response.content.decode()


def item_form_data(visit, **overrides):
    data = {
        "title": visit.title,
        "order": visit.order,
        "hosts": "",
        "location": "",
        "description": "",
        "starts_at_0": trip_day(1).isoformat(),
        "starts_at_1": "14:00:00",
        "ends_at_0": trip_day(1).isoformat(),
        "ends_at_1": "17:00:00",
        "is_optional": "on",
        "capacity": visit.capacity,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_raising_places_on_the_itinerary_item_admin_moves_the_waiting_list_up(admin_client, full_visit):
    url = reverse("admin:registrations_itineraryitem_change", args=[full_visit.pk])

    response = admin_client.post(url, item_form_data(full_visit, capacity=10), follow=True)

    assert visit_state(full_visit)[1] == []
    assert "2 people got a place on a visit from its waiting list." in response.content.decode()


def test_making_a_chosen_visit_non_optional_is_refused(admin_client, full_visit):
    url = reverse("admin:registrations_itineraryitem_change", args=[full_visit.pk])

    response = admin_client.post(url, item_form_data(full_visit, is_optional=None, capacity=None))

    full_visit.refresh_from_db()
    assert response.status_code == 200
    assert "4 delegates have chosen this visit or are waiting for it, so it must stay optional." in response.content.decode()
    assert full_visit.is_optional


def test_remove_action_takes_people_off_a_visit_and_moves_its_waiting_list_up(admin_client, full_visit):
    kim = VisitBooking.objects.get(visit=full_visit, registration__full_name="Kim Min-jun")

    response = admin_client.post(
        reverse("admin:registrations_visitbooking_changelist"), {"action": "remove_selected", "_selected_action": [kim.pk]}, follow=True
    )

    page = response.content.decode()
    assert "Removed 1 person from a visit." in page
    assert "1 person got a place on a visit from its waiting list." in page
    assert list(
        VisitBooking.objects.filter(visit=full_visit, status=Booking.WAITLISTED).values_list("registration__full_name", "waitlist_position")
    ) == [("Zhao Lei", 1)]


def test_visit_bookings_cannot_be_added_edited_or_deleted_in_admin(admin_client, full_visit):
    booking = VisitBooking.objects.filter(visit=full_visit).first()

    change = admin_client.get(reverse("admin:registrations_visitbooking_change", args=[booking.pk])).content.decode()

    assert 'name="status"' not in change and 'name="_save"' not in change
    assert admin_client.get(reverse("admin:registrations_visitbooking_add")).status_code == 403
    assert admin_client.get(reverse("admin:registrations_visitbooking_delete", args=[booking.pk])).status_code == 403


def test_itinerary_item_stays_with_its_delegation_once_saved(admin_client, full_visit):
    page = admin_client.get(reverse("admin:registrations_itineraryitem_change", args=[full_visit.pk])).content.decode()

    assert 'name="delegation"' not in page
    assert ItineraryItem.objects.get(pk=full_visit.pk).delegation_id == full_visit.delegation_id


def test_deleting_a_chosen_visit_in_delegation_admin_is_refused_until_people_are_taken_off(admin_client, delegation, full_visit):
    url = reverse("admin:registrations_delegation_change", args=[delegation.pk])
    index = itinerary_index(delegation, full_visit)
    data = delegation_form_data(delegation, **visit_fields(delegation, full_visit, capacity=2), **{f"itinerary-{index}-DELETE": "on"})

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in response.content.decode()
    assert ItineraryItem.objects.filter(pk=full_visit.pk).exists()


def test_deleting_a_visit_nobody_chose_works(admin_client, delegation):
    visit = make_visit(delegation)

    response = admin_client.post(reverse("admin:registrations_itineraryitem_delete", args=[visit.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not ItineraryItem.objects.filter(pk=visit.pk).exists()

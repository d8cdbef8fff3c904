"""Deciding applications from a registration's own admin page: buttons, reason, next pending, review list."""

from django.contrib.auth.models import Permission, User
from django.urls import reverse

from registrations.models import Delegation, Registration
from tests.trip_helpers import apply, make_trip

Status = Registration.Status


def change_url(registration) -> str:
    return reverse("admin:registrations_registration_change", args=[registration.pk])


def decide_url(registration) -> str:
    return reverse("admin:registrations_registration_decide", args=[registration.pk])


def press(client, registration, decision, **changes):
    """Open the registration's page and press a decision button, sending the whole form it sits in."""
    page = client.get(change_url(registration)).content.decode()
    form = next(f for f in _forms(page, decide_url(registration)) if ("decision", decision) in f.buttons)
    return client.post(form.action, form.data(("decision", decision), **changes))


def _forms(page, action):
    from tests.admin_forms import forms_of

    return [f for f in forms_of(page) if f.action == action]


def test_review_confirm_lands_on_the_next_pending_oldest_first(admin_client, db):
    trip = make_trip(seats=5, mode=Delegation.Mode.REVIEW)
    first, second, third = apply(trip), apply(trip), apply(trip)

    response = press(admin_client, first, "confirm")

    assert response.status_code == 302
    assert response["Location"] == change_url(second)
    assert Registration.objects.get(pk=first.pk).status == Status.CONFIRMED
    assert [Registration.objects.get(pk=r.pk).status for r in (second, third)] == [Status.PENDING, Status.PENDING]


def test_review_page_offers_the_buttons_the_status_allows(admin_client, db):
    trip = make_trip(seats=5, mode=Delegation.Mode.REVIEW)
    pending = apply(trip)
    page = admin_client.get(change_url(pending)).content.decode()
    buttons = [b for f in _forms(page, decide_url(pending)) for b in f.buttons]

    assert buttons == [("decision", "confirm"), ("decision", "waitlist"), ("decision", "cancel"), ("decision", "reject")]

    press(admin_client, pending, "confirm")
    page = admin_client.get(change_url(pending)).content.decode()
    assert [b for f in _forms(page, decide_url(pending)) for b in f.buttons] == [("decision", "cancel")]


def test_review_reject_sends_the_reason_typed_beside_the_button(admin_client, db):
    trip = make_trip(seats=5, mode=Delegation.Mode.REVIEW)
    person = apply(trip)

    response = press(admin_client, person, "reject", reason="The programme is for founders.")

    person.refresh_from_db()
    assert (person.status, person.decision_reason) == (Status.REJECTED, "The programme is for founders.")
    assert response["Location"] == reverse("admin:registrations_registration_changelist") + f"?delegation__id__exact={trip.pk}&status__exact=pending"


def test_review_waitlist_and_cancel_buttons_call_the_services(admin_client, db):
    trip = make_trip(seats=1, mode=Delegation.Mode.REVIEW)
    waiting, leaving = apply(trip), apply(trip)

    press(admin_client, waiting, "waitlist")
    press(admin_client, leaving, "cancel")

    waiting.refresh_from_db()
    leaving.refresh_from_db()
    assert (waiting.status, waiting.waitlist_position, leaving.status) == (Status.WAITLISTED, 1, Status.CANCELLED)


def test_review_confirm_refused_when_full_stays_on_the_page_with_the_reason(admin_client, db):
    trip = make_trip(seats=1, mode=Delegation.Mode.REVIEW)
    first, second = apply(trip), apply(trip)
    press(admin_client, first, "confirm")

    response = press(admin_client, second, "confirm")

    assert response["Location"] == change_url(second)
    assert Registration.objects.get(pk=second.pk).status == Status.PENDING
    page = admin_client.get(response["Location"]).content.decode()
    assert f"{second.full_name}: Only 0 seats left; 1 selected." in page


def test_review_sector_refusal_names_the_sector_in_the_admin_language(admin_client, db):
    trip = make_trip(seats=5, mode=Delegation.Mode.REVIEW)
    sector = trip.sectors.get(name="Biotechnology")
    sector.seat_cap = 0
    sector.save()
    person = apply(trip, sector=sector)
    admin_client.cookies["django_language"] = "zh-hans"

    response = press(admin_client, person, "confirm")

    page = admin_client.get(response["Location"]).content.decode()
    assert "生物技术" in page and "Biotechnology:" not in page
    assert Registration.objects.get(pk=person.pk).status == Status.PENDING


def test_review_next_pending_link_points_to_the_oldest_other_pending(admin_client, db):
    trip = make_trip(seats=5, mode=Delegation.Mode.REVIEW)
    other_trip = make_trip(seats=5, mode=Delegation.Mode.REVIEW)
    apply(other_trip)
    first, second = apply(trip), apply(trip)

    page = admin_client.get(change_url(second)).content.decode()

    assert f'href="{change_url(first)}">Next pending application → {first.full_name}' in page


def test_review_decision_needs_change_permission(client, db):
    trip = make_trip(seats=5, mode=Delegation.Mode.REVIEW)
    person = apply(trip)
    viewer = User.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_registration"))
    client.force_login(viewer)

    page = client.get(change_url(person)).content.decode()
    response = client.post(decide_url(person), {"decision": "confirm", "reason": ""})

    assert _forms(page, decide_url(person)) == []
    assert response.status_code == 403
    assert Registration.objects.get(pk=person.pk).status == Status.PENDING


def test_review_list_shows_note_email_and_language(admin_client, db):
    trip = make_trip(seats=5, mode=Delegation.Mode.REVIEW)
    apply(trip, note="Interested in cell therapy partners in Songdo " * 3, language="ko")
    url = reverse("admin:registrations_registration_changelist") + f"?delegation__id__exact={trip.pk}&status__exact=pending"

    page = admin_client.get(url).content.decode()

    assert "column-short_note" in page and "column-email" in page and "column-language" in page and "column-company_and_title" in page
    assert '<td class="field-short_note">Interested in cell therapy partners in Songdo Interested in…</td>' in page
    assert "column-waitlist_position" not in page
    assert '<td class="field-language">Korean</td>' in page


def test_review_two_clicks_per_application_from_the_list(admin_client, db):
    trip = make_trip(seats=5, mode=Delegation.Mode.REVIEW)
    first, second = apply(trip), apply(trip)
    list_url = reverse("admin:registrations_registration_changelist") + f"?delegation__id__exact={trip.pk}&status__exact=pending"
    listing = admin_client.get(list_url).content.decode()
    assert f'href="{change_url(first)}?_changelist_filters=' in listing  # click 1: open it

    landed = press(admin_client, first, "confirm")  # click 2: Confirm
    press(admin_client, second, "confirm")  # then one click each: the page of the next one is already open

    assert landed["Location"] == change_url(second)
    assert set(Registration.objects.filter(delegation=trip).values_list("status", flat=True)) == {Status.CONFIRMED}

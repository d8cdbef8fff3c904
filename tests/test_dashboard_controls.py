"""Quick changes on a delegation's dashboard: seats, open/close, mode switch (with its consequence shown first)."""

from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from registrations.models import Delegation, Registration
from tests.admin_forms import form_with
from tests.trip_helpers import apply, make_trip

Status = Registration.Status


def dashboard_url(delegation) -> str:
    return reverse("admin:registrations_delegation_dashboard", args=[delegation.pk])


def submit_control(client, delegation, control, **changes):
    """Open the dashboard and submit the whole form of one control; follow back to the dashboard."""
    page = client.get(dashboard_url(delegation)).content.decode()
    form = form_with(page, action=reverse(f"admin:registrations_delegation_dashboard_{control}", args=[delegation.pk]))
    return client.post(form.action, form.data(form.buttons[0] if form.buttons else None, **changes), follow=True)


def statuses(delegation) -> list[str]:
    return list(Registration.objects.filter(delegation=delegation).order_by("created_at", "pk").values_list("status", flat=True))


def test_dashboard_raising_seats_offers_them_to_the_waiting_list_and_says_so(admin_client, db):
    trip = make_trip(seats=1)
    apply(trip)
    waiting = apply(trip)

    response = submit_control(admin_client, trip, "seats", seats=2)

    page = response.content.decode()
    assert response.redirect_chain == [(dashboard_url(trip), 302)]
    assert "Seats set to 2." in page
    assert "1 person on the waiting list was offered a seat." in page
    assert Registration.objects.get(pk=waiting.pk).status == Status.OFFERED
    assert Delegation.objects.get(pk=trip.pk).seats == 2


def test_dashboard_seats_below_taken_are_refused_with_the_reason(admin_client, db):
    trip = make_trip(seats=3)
    apply(trip), apply(trip)

    page = submit_control(admin_client, trip, "seats", seats=1).content.decode()

    assert "2 seats are already taken (confirmed, offered or held by an invitation), so seats cannot be lower than 2." in page
    assert Delegation.objects.get(pk=trip.pk).seats == 3


def test_dashboard_seats_not_a_number_is_refused(admin_client, db):
    trip = make_trip(seats=3)

    page = submit_control(admin_client, trip, "seats", seats="lots").content.decode()

    assert "Enter a whole number." in page
    assert Delegation.objects.get(pk=trip.pk).seats == 3


def test_dashboard_close_then_open_registration(admin_client, db):
    trip = make_trip(seats=3)

    page = submit_control(admin_client, trip, "open").content.decode()
    trip.refresh_from_db()
    assert "Registration is closed. The delegation&#x27;s page stays published." in page
    assert not trip.is_registration_open() and trip.is_published
    assert trip.registration_closes_at <= timezone.now()

    page = submit_control(admin_client, trip, "open").content.decode()
    trip.refresh_from_db()
    assert "Registration is open." in page
    assert trip.is_registration_open() and trip.registration_closes_at is None


def test_dashboard_open_publishes_an_unpublished_delegation(admin_client, db):
    trip = make_trip(seats=3, is_published=False)
    assert "Closed: the delegation is not published." in admin_client.get(dashboard_url(trip)).content.decode()

    submit_control(admin_client, trip, "open")

    assert Delegation.objects.get(pk=trip.pk).is_registration_open()


def test_dashboard_shows_what_switching_to_first_come_does_before_the_switch(admin_client, db):
    trip = make_trip(seats=2, mode=Delegation.Mode.REVIEW)
    apply(trip), apply(trip), apply(trip)

    page = admin_client.get(dashboard_url(trip)).content.decode()

    assert "2 pending applications will be confirmed and 1 will go on the waiting list, in submission order" in page
    assert statuses(trip) == [Status.PENDING] * 3


def test_dashboard_switch_to_first_come_confirms_while_seats_are_left_then_waitlists(admin_client, db):
    trip = make_trip(seats=2, mode=Delegation.Mode.REVIEW)
    people = [apply(trip) for _ in range(3)]

    page = submit_control(admin_client, trip, "mode").content.decode()

    trip.refresh_from_db()
    assert trip.registration_mode == Delegation.Mode.FIRST_COME
    assert statuses(trip) == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITLISTED]
    assert Registration.objects.get(pk=people[2].pk).waitlist_position == 1
    assert "2 pending applications confirmed, 1 put on the waiting list." in page


def test_dashboard_switch_respects_sector_caps(admin_client, db):
    trip = make_trip(seats=3, mode=Delegation.Mode.REVIEW)
    capped = trip.sectors.get(name="Biotechnology")
    capped.seat_cap = 1
    capped.save()
    other = trip.sectors.get(name="Clean energy")
    apply(trip, sector=capped), apply(trip, sector=capped), apply(trip, sector=other)

    submit_control(admin_client, trip, "mode")

    assert statuses(trip) == [Status.CONFIRMED, Status.WAITLISTED, Status.CONFIRMED]


def test_dashboard_switch_to_review_changes_nobody(admin_client, db):
    trip = make_trip(seats=1)
    apply(trip), apply(trip)
    page = admin_client.get(dashboard_url(trip)).content.decode()
    assert "Nobody&#x27;s status changes. New submissions wait for your review" in page

    submit_control(admin_client, trip, "mode")

    assert Delegation.objects.get(pk=trip.pk).registration_mode == Delegation.Mode.REVIEW
    assert statuses(trip) == [Status.CONFIRMED, Status.WAITLISTED]
    assert apply(trip).status == Status.PENDING


def test_dashboard_controls_need_change_permission(client, db):
    trip = make_trip(seats=1)
    viewer = User.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_delegation"))
    client.force_login(viewer)

    page = client.get(dashboard_url(trip)).content.decode()
    refused = [
        client.post(reverse(f"admin:registrations_delegation_dashboard_{name}", args=[trip.pk]), data).status_code
        for name, data in [("seats", {"seats": 5}), ("open", {"is_open": "0"}), ("mode", {"mode": "review"})]
    ]

    assert "You can see this delegation but not change it." in page
    assert refused == [403, 403, 403]
    trip.refresh_from_db()
    assert (trip.seats, trip.registration_mode, trip.registration_closes_at) == (1, Delegation.Mode.FIRST_COME, None)


def test_seed_demo_first_come_undoes_review(db):
    call_command("seed_demo", "--review")
    assert Delegation.objects.get().registration_mode == Delegation.Mode.REVIEW

    call_command("seed_demo", "--first-come")

    assert Delegation.objects.get().registration_mode == Delegation.Mode.FIRST_COME

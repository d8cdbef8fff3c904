"""Services for optional site visits: joining, leaving, releasing, resizing."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from registrations import services
from registrations.models import ItineraryItem, Registration, VisitBooking
from tests.conftest import make_delegation, submit
from tests.visit_helpers import confirmed_people, make_visit, start_in_the_past, visit_state

Booking = VisitBooking.Status
Status = Registration.Status


@pytest.fixture
def delegation(db):
    return make_delegation(seats=10)


def test_visit_join_takes_a_free_place(delegation):
    visit = make_visit(delegation, capacity=2)
    person = submit(delegation)

    bookings = services.visit_join(registration=person, visits=[visit])

    assert [(b.registration_id, b.status, b.waitlist_position) for b in bookings] == [(person.pk, Booking.BOOKED, None)]
    assert visit_state(visit) == ([person.pk], [])


def test_visit_join_when_full_appends_to_the_visits_waiting_list(delegation):
    visit = make_visit(delegation, capacity=1)
    first, second, third = confirmed_people(delegation, 3)

    for person in (first, second, third):
        services.visit_join(registration=person, visits=[visit])

    assert visit_state(visit) == ([first.pk], [(1, second.pk), (2, third.pk)])


def test_visit_join_without_limit_always_books(delegation):
    visit = make_visit(delegation, capacity=None)
    people = confirmed_people(delegation, 4)

    for person in people:
        services.visit_join(registration=person, visits=[visit])

    assert visit_state(visit) == (sorted(p.pk for p in people), [])


def test_visit_join_twice_changes_nothing(delegation):
    visit = make_visit(delegation, capacity=1)
    person = submit(delegation)
    services.visit_join(registration=person, visits=[visit])

    again = services.visit_join(registration=person, visits=[visit])

    assert again == []
    assert VisitBooking.objects.filter(visit=visit).count() == 1


def test_visit_join_never_jumps_the_waiting_list(delegation):
    visit = make_visit(delegation, capacity=1)
    first, second, third = confirmed_people(delegation, 3)
    services.visit_join(registration=first, visits=[visit])
    services.visit_join(registration=second, visits=[visit])
    ItineraryItem.objects.filter(pk=visit.pk).update(capacity=5)  # raised behind the services' back

    services.visit_join(registration=third, visits=[visit])

    assert visit_state(visit) == ([first.pk], [(1, second.pk), (2, third.pk)])


def test_visit_join_two_visits_at_once_returns_them_in_key_order(delegation):
    later, earlier = make_visit(delegation), make_visit(delegation)
    person = submit(delegation)

    bookings = services.visit_join(registration=person, visits=[earlier, later])

    assert [b.visit_id for b in bookings] == sorted([earlier.pk, later.pk])
    assert {b.status for b in bookings} == {Booking.BOOKED}


def test_visit_join_by_waitlisted_registration_is_refused(db):
    delegation = make_delegation(seats=1)
    visit = make_visit(delegation)
    submit(delegation)
    waiting = submit(delegation)
    assert waiting.status == Status.WAITLISTED

    with pytest.raises(ValidationError) as error:
        services.visit_join(registration=waiting, visits=[visit])

    assert error.value.messages == ["Optional visits are for confirmed delegates. Once your seat is confirmed, you can choose them here."]
    assert VisitBooking.objects.count() == 0


def test_visit_join_by_cancelled_registration_is_refused(delegation):
    visit = make_visit(delegation)
    person = services.registration_cancel(registration=submit(delegation))

    with pytest.raises(ValidationError):
        services.visit_join(registration=person, visits=[visit])

    assert VisitBooking.objects.count() == 0


def test_visit_join_of_a_non_optional_item_is_refused(delegation):
    opening = delegation.itinerary.get(title="Opening")
    person = submit(delegation)

    with pytest.raises(ValidationError) as error:
        services.visit_join(registration=person, visits=[opening])

    assert error.value.messages == ["“Opening” is part of every delegate's programme: there is nothing to choose."]


def test_visit_join_of_another_delegations_visit_is_refused(delegation):
    other_visit = make_visit(make_delegation(), title="Elsewhere")
    person = submit(delegation)

    with pytest.raises(ValidationError) as error:
        services.visit_join(registration=person, visits=[other_visit])

    assert error.value.messages == ["“Elsewhere” belongs to another delegation."]


def test_visit_join_after_the_visit_started_is_refused(delegation):
    visit = make_visit(delegation, title="Yesterday")
    start_in_the_past(visit)

    with pytest.raises(ValidationError) as error:
        services.visit_join(registration=submit(delegation), visits=[visit])

    assert error.value.messages == ["“Yesterday” has already started, so its places can no longer change."]


def test_visit_join_with_one_refused_visit_books_nothing(delegation):
    good, started = make_visit(delegation), make_visit(delegation)
    start_in_the_past(started)

    with pytest.raises(ValidationError):
        services.visit_join(registration=submit(delegation), visits=[good, started])

    assert VisitBooking.objects.count() == 0


def test_visit_leave_gives_the_place_to_the_first_person_waiting(delegation):
    visit = make_visit(delegation, capacity=1)
    first, second, third = confirmed_people(delegation, 3)
    for person in (first, second, third):
        services.visit_join(registration=person, visits=[visit])

    promoted = services.visit_leave(registration=first, visit=visit)

    assert [(b.registration_id, b.status) for b in promoted] == [(second.pk, Booking.BOOKED)]
    assert visit_state(visit) == ([second.pk], [(1, third.pk)])


def test_visit_leave_from_the_waiting_list_closes_the_gap(delegation):
    visit = make_visit(delegation, capacity=1)
    people = confirmed_people(delegation, 4)
    for person in people:
        services.visit_join(registration=person, visits=[visit])

    promoted = services.visit_leave(registration=people[2], visit=visit)

    assert promoted == []
    assert visit_state(visit) == ([people[0].pk], [(1, people[1].pk), (2, people[3].pk)])


def test_visit_leave_when_not_on_the_visit_changes_nothing(delegation):
    visit = make_visit(delegation)

    assert services.visit_leave(registration=submit(delegation), visit=visit) == []


def test_visit_leave_after_the_visit_started_is_refused(delegation):
    visit = make_visit(delegation)
    person = submit(delegation)
    services.visit_join(registration=person, visits=[visit])
    start_in_the_past(visit)

    with pytest.raises(ValidationError):
        services.visit_leave(registration=person, visit=visit)

    assert visit_state(visit) == ([person.pk], [])


def test_registration_cancel_releases_visit_places_and_moves_each_waiting_list_up(delegation):
    small, large = make_visit(delegation, capacity=1), make_visit(delegation, capacity=1)
    first, second, third = confirmed_people(delegation, 3)
    for person in (first, second, third):
        services.visit_join(registration=person, visits=[small, large])
    services.visit_leave(registration=first, visit=large)  # second now has large's place, third waits
    assert visit_state(large) == ([second.pk], [(1, third.pk)])

    services.registration_cancel(registration=second)

    assert visit_state(small) == ([first.pk], [(1, third.pk)])
    assert visit_state(large) == ([third.pk], [])
    assert VisitBooking.objects.filter(registration=second).count() == 0


def test_registration_promoted_from_the_waiting_list_starts_with_no_visits_and_may_choose(db):
    delegation = make_delegation(seats=1)
    visit = make_visit(delegation, capacity=1)
    holder = submit(delegation)
    services.visit_join(registration=holder, visits=[visit])
    waiting = submit(delegation)

    services.registration_cancel(registration=holder)
    services.registration_offer_accept(registration=waiting)
    waiting.refresh_from_db()

    assert waiting.status == Status.CONFIRMED
    assert visit_state(visit) == ([], [])
    services.visit_join(registration=waiting, visits=[visit])
    assert visit_state(visit) == ([waiting.pk], [])


def test_cancelling_after_a_visit_started_promotes_nobody_on_it(delegation):
    visit = make_visit(delegation, capacity=1)
    first, second = confirmed_people(delegation, 2)
    services.visit_join(registration=first, visits=[visit])
    services.visit_join(registration=second, visits=[visit])
    start_in_the_past(visit)

    services.registration_cancel(registration=first)

    assert visit_state(visit) == ([], [(1, second.pk)])


def test_visit_set_places_raising_capacity_books_the_waiting_list_in_order(delegation):
    visit = make_visit(delegation, capacity=1)
    people = confirmed_people(delegation, 4)
    for person in people:
        services.visit_join(registration=person, visits=[visit])

    promoted = services.visit_set_places(visit=visit, is_optional=True, capacity=3)

    assert [b.registration_id for b in promoted] == [people[1].pk, people[2].pk]
    assert visit_state(visit) == (sorted(p.pk for p in people[:3]), [(1, people[3].pk)])


def test_visit_set_places_without_limit_books_everyone_waiting(delegation):
    visit = make_visit(delegation, capacity=1)
    people = confirmed_people(delegation, 3)
    for person in people:
        services.visit_join(registration=person, visits=[visit])

    services.visit_set_places(visit=visit, is_optional=True, capacity=None)

    assert visit_state(visit) == (sorted(p.pk for p in people), [])


def test_visit_set_places_below_places_taken_is_refused(delegation):
    visit = make_visit(delegation, capacity=3)
    for person in confirmed_people(delegation, 2):
        services.visit_join(registration=person, visits=[visit])

    with pytest.raises(ValidationError) as error:
        services.visit_set_places(visit=visit, is_optional=True, capacity=1)

    assert error.value.message_dict == {
        "capacity": ["2 places are already taken, so places cannot be lower than 2. Remove people from the visit first."]
    }
    visit.refresh_from_db()
    assert visit.capacity == 3


def test_visit_set_places_on_a_non_optional_item_is_refused(delegation):
    opening = delegation.itinerary.get(title="Opening")

    with pytest.raises(ValidationError) as error:
        services.visit_set_places(visit=opening, is_optional=False, capacity=10)

    assert list(error.value.message_dict) == ["capacity"]


def test_visit_chosen_by_someone_must_stay_optional(delegation):
    visit = make_visit(delegation, capacity=3)
    services.visit_join(registration=submit(delegation), visits=[visit])

    with pytest.raises(ValidationError) as error:
        services.visit_set_places(visit=visit, is_optional=False, capacity=None)

    assert error.value.message_dict == {
        "is_optional": ["1 delegate has chosen this visit or is waiting for it, so it must stay optional. Remove them from the visit first."]
    }


def test_visit_waitlists_fill_fills_every_optional_visit_of_the_delegation(delegation):
    first_visit, second_visit = make_visit(delegation, capacity=1), make_visit(delegation, capacity=1)
    a, b = confirmed_people(delegation, 2)
    for person in (a, b):
        services.visit_join(registration=person, visits=[first_visit, second_visit])
    ItineraryItem.objects.filter(pk__in=[first_visit.pk, second_visit.pk]).update(capacity=2)

    promoted = services.visit_waitlists_fill(delegation=delegation)

    assert sorted(booking.visit_id for booking in promoted) == [first_visit.pk, second_visit.pk]
    assert visit_state(first_visit) == (sorted([a.pk, b.pk]), [])


def test_database_refuses_places_on_a_non_optional_item(delegation):
    with pytest.raises(IntegrityError):
        ItineraryItem.objects.filter(title="Opening").update(capacity=5)


def test_database_refuses_a_waiting_position_on_a_booked_place(delegation):
    visit = make_visit(delegation)
    with pytest.raises(IntegrityError):
        VisitBooking.objects.create(visit=visit, registration=submit(delegation), status=Booking.BOOKED, waitlist_position=1)


def test_database_refuses_two_bookings_of_one_visit_for_one_person(delegation):
    visit = make_visit(delegation)
    person = submit(delegation)
    services.visit_join(registration=person, visits=[visit])
    with pytest.raises(IntegrityError):
        VisitBooking.objects.create(visit=visit, registration=person, status=Booking.WAITLISTED, waitlist_position=1)


def test_visit_join_and_promotion_queue_the_visit_email(delegation):
    from registrations.models import OutboxEmail

    visit = make_visit(delegation, capacity=1)
    first, second = confirmed_people(delegation, 2)
    services.visit_join(registration=first, visits=[visit])
    services.visit_join(registration=second, visits=[visit])

    services.visit_leave(registration=first, visit=visit)

    mails = list(OutboxEmail.objects.filter(kind=OutboxEmail.Kind.VISITS).order_by("pk").values_list("registration_id", "body_text"))
    assert [pk for pk, _body in mails] == [first.pk, second.pk, second.pk]
    assert "waiting list" in mails[1][1]
    assert visit.title in mails[2][1] and "Your place is confirmed" in mails[2][1]

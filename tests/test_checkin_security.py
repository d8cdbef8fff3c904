"""Security of the check-in pages: manual check-in by registration number stays inside the visit's list."""

from django.urls import reverse

from registrations.models import CheckIn
from tests.checkin_helpers import person, trip
from tests.test_checkin import checkin_staff


def manual_checkin(client, item, value: str):
    url = reverse("admin:registrations_checkin_attendance_item", args=[item.pk])
    return client.post(url, {"registration": value}, follow=True)


def test_manual_checkin_with_another_delegations_registration_reveals_nothing(client, db):
    ours, theirs = trip(), trip()
    outsider = person(theirs, full_name="Secret Person", company="Hidden Corp")
    client.force_login(checkin_staff("door9"))

    response = manual_checkin(client, ours.itinerary.get(), str(outsider.pk))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Secret Person" not in page and "Hidden Corp" not in page
    assert "another delegation" not in page and "Confirmed" not in page
    assert "Choose a person on the list." in page
    assert CheckIn.objects.count() == 0


def test_manual_checkin_of_an_ineligible_registration_gives_a_generic_refusal(client, db):
    delegation = trip(seats=1)
    person(delegation)
    waitlisted = person(delegation, full_name="Waiting Person")
    client.force_login(checkin_staff("door9"))

    response = manual_checkin(client, delegation.itinerary.get(), str(waitlisted.pk))

    page = response.content.decode()
    assert "Waiting Person" not in page and "waiting list" not in page.lower()
    assert "Choose a person on the list." in page
    assert CheckIn.objects.count() == 0


def test_manual_checkin_with_a_superscript_digit_is_refused_not_a_500(client, db):
    delegation = trip()
    client.force_login(checkin_staff("door9"))

    responses = [manual_checkin(client, delegation.itinerary.get(), value) for value in ["²", "1²", "٣", "-1", "99999999999999999999", ""]]

    assert [response.status_code for response in responses] == [200] * 6
    assert all("Choose a person on the list." in response.content.decode() for response in responses)
    assert CheckIn.objects.count() == 0


def test_manual_checkin_of_a_delegate_on_the_list_checks_them_in(client, db):
    delegation = trip()
    delegate = person(delegation, full_name="Listed Person")
    client.force_login(checkin_staff("door9"))

    response = manual_checkin(client, delegation.itinerary.get(), str(delegate.pk))

    assert "Listed Person is checked in." in response.content.decode()
    assert list(CheckIn.objects.values_list("registration", flat=True)) == [delegate.pk]

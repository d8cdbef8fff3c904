"""Small explicit helpers for the host-list and arrivals tests: delegates with passport details, staff with permissions."""

from datetime import timedelta

from django.contrib.auth.models import Permission, User
from django.urls import reverse

from registrations import services
from registrations.models import Delegation, ItineraryItem, Registration
from tests.admin_forms import form_with, post_like_a_browser
from tests.conftest import make_delegation, submit

RECIPIENTS = "Samsung Biologics (visitor passes); Incheon Grand Hotel (rooms)"


def trip(seats: int = 10) -> Delegation:
    """A delegation collecting travel documents; its "Songdo Bio Industrial Park" item is attended by every confirmed delegate."""
    return make_delegation(seats=seats, travel_data_recipients=RECIPIENTS)


def songdo(delegation: Delegation) -> ItineraryItem:
    return delegation.itinerary.get(title="Songdo Bio Industrial Park")


def delegate_with_passport(delegation: Delegation, *, full_name: str, passport_name: str, passport_number: str, **travel) -> Registration:
    """A confirmed delegate who gave consent and entered passport details (and flights when given)."""
    registration = submit(delegation, full_name=full_name)
    assert registration.status == Registration.Status.CONFIRMED
    services.travel_consent_give(registration=registration, recipients=RECIPIENTS)
    services.travel_document_save(
        registration=registration,
        details={
            "passport_name": passport_name,
            "passport_number": passport_number,
            "nationality": "CHN",
            "date_of_birth": "1971-02-03",
            "passport_expires_on": (delegation.ends_on + timedelta(days=900)).isoformat(),
            **travel,
        },
    )
    return registration


def staff(*codenames: str, username: str = "organizer") -> User:
    user = User.objects.create_user(username, password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="registrations", codename__in=codenames))
    return User.objects.get(pk=user.pk)  # fresh permission cache


HOST_LIST_STAFF = ("view_itineraryitem", "change_itineraryitem", "view_registration", "view_hostlist", "add_hostlist", "change_hostlist")


def host_lists_url(visit: ItineraryItem) -> str:
    return reverse("admin:registrations_itineraryitem_host_lists", args=[visit.pk])


def freeze_in_admin(client, visit: ItineraryItem, columns: list[str], **changes):
    """Tick ``columns`` on the visit's host-lists page and press "Freeze the list now", sending the whole form."""
    url = host_lists_url(visit)
    form = form_with(client.get(url).content.decode(), form_id="host-list-freeze")
    data = form.data(button=("freeze", "Freeze the list now"), columns=columns, **changes)
    return post_like_a_browser(client, url, data, follow=True)

"""The admin at the desk: every change page of the demo saves as a browser submits it, unchanged or with
one change; seats, sector caps and visit places go through their services; visits with history stay."""

from datetime import datetime, timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.admin.sites import site
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from registrations import services
from registrations.models import CheckIn, Delegation, ItineraryItem, Registration, Sector, VisitBooking
from tests.admin_forms import as_post_data, change_form_id, form_fields, post_like_a_browser, resubmit
from tests.conftest import submission
from tests.helpers import registration_submit_confirmed

Status = Registration.Status
Booking = VisitBooking.Status
SLUG = "incheon-tech-week"
LANGUAGES = {"": "en", "_zh_hans": "zh", "_ko": "ko"}


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def person(delegation: Delegation, number: int, **overrides) -> Registration:
    return registration_submit_confirmed(
        **submission(  # the demo asks for e-mail confirmation
            delegation, full_name=f"Desk person {number}", email=f"desk{number}@example.com", **overrides
        )
    )


@pytest.fixture
def demo(db, admin_user) -> Delegation:
    """seed_demo, with someone in every table an organizer sees: registrations, a booking, a check-in, an invitation."""
    call_command("seed_demo", verbosity=0)
    delegation = Delegation.objects.get(slug=SLUG)
    services.delegation_set_seats(delegation=delegation, seats=3)
    sector = delegation.sectors.first()
    people = [person(delegation, number, sector=sector) for number in range(4)]  # the fourth waits
    visit = delegation.itinerary.filter(is_optional=True).first()
    services.visit_join(registration=people[0], visits=[visit])
    services.checkin_record(registration=people[0], item=delegation.itinerary.first(), by=admin_user)
    services.delegation_set_seats(delegation=delegation, seats=5)  # the fourth is offered a seat, one is for the guest
    services.invitation_create(
        delegation=delegation,
        full_name="Invited Guest",
        email="guest@example.com",
        sector=sector,
        expires_at=timezone.now() + timedelta(days=3),
        by=admin_user,
    )
    return delegation


def large_delegation() -> Delegation:
    """A realistic big trip: 8 sectors and 15 itinerary items, every text in all three languages."""
    today = timezone.localdate()
    texts = {f"{field}{suffix}": f"{field} {code}" for field in Delegation.TRANSLATED_FIELDS for suffix, code in LANGUAGES.items()}
    delegation = Delegation.objects.create(
        slug="large-trip",
        starts_on=today + timedelta(days=60),
        ends_on=today + timedelta(days=64),
        seats=40,
        is_published=True,
        **texts,
    )
    for number in range(8):
        Sector.objects.create(
            delegation=delegation,
            order=number,
            seat_cap=10 if number % 2 else None,
            **{f"name{suffix}": f"Sector {number} {code}" for suffix, code in LANGUAGES.items()},
        )
    start = timezone.now().replace(microsecond=0, second=0) + timedelta(days=60)
    for number in range(15):
        starts_at = start + timedelta(hours=5 * number)
        ItineraryItem.objects.create(
            delegation=delegation,
            order=number,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            is_optional=number % 3 == 0,
            capacity=12 if number % 3 == 0 else None,
            **{
                f"{field}{suffix}": f"Item {number} {field} {code}" for field in ItineraryItem.TRANSLATED_FIELDS for suffix, code in LANGUAGES.items()
            },
        )
    return delegation


def snapshot(obj) -> dict:
    """Every stored value of ``obj`` and of the rows inlined on its page, without the automatic timestamps.

    Times to the second: the admin's date and time boxes show no microseconds (Django's own user page
    drops those of "last login" on every save)."""
    values = {
        name: value.replace(microsecond=0) if isinstance(value, datetime) else value
        for name, value in model_to_dict(type(obj).objects.get(pk=obj.pk)).items()
    }
    values.pop("updated_at", None)
    if isinstance(obj, Delegation):
        values["sectors"] = [model_to_dict(sector) for sector in obj.sectors.order_by("pk")]
        values["itinerary"] = [model_to_dict(item) for item in obj.itinerary.order_by("pk")]
    return values


def can_change(model_admin, user, obj) -> bool:
    request = RequestFactory().get("/admin/")
    request.user = user
    return model_admin.has_change_permission(request, obj)


def demo_objects(delegation: Delegation):
    """One object for every registered ModelAdmin (the demo delegation itself where it is one of them)."""
    for model, model_admin in site._registry.items():
        obj = delegation if model is Delegation else model._default_manager.order_by("pk").first()
        if obj is not None:
            yield model, model_admin, obj


def test_every_demo_change_page_saves_unchanged_as_a_browser_submits_it(admin_client, admin_user, demo):
    saved, viewed = [], []
    for model, model_admin, obj in demo_objects(demo):
        before = snapshot(obj)
        if not can_change(model_admin, admin_user, obj):
            assert admin_client.get(change_url(obj)).status_code == 200, model
            viewed.append(model._meta.model_name)
            continue

        response = resubmit(admin_client, change_url(obj))

        assert response.status_code == 302, (model, response.content.decode()[:3000])
        assert snapshot(obj) == before, model
        entry = LogEntry.objects.filter(object_id=str(obj.pk), content_type__model=model._meta.model_name).latest("pk")
        assert entry.get_change_message() == "No fields changed.", model
        saved.append(model._meta.model_name)
    assert {"delegation", "itineraryitem", "registration", "invitation", "source", "user"} <= set(saved)
    assert {"visitbooking"} <= set(viewed)


# One editable field per page, changed the way an organizer would.
ONE_CHANGE = {
    "delegation": ("city_ko", "인천광역시"),
    "itineraryitem": ("location_zh_hans", "仁川松岛会展中心"),
    "sector": ("name_ko", "바이오"),
    "source": ("name", "WeChat article"),
    "registration": ("note", "Arrives a day early"),
    "invitation": ("company", "Invited Company Ltd."),
    "user": ("first_name", "Desk"),
    "group": ("name", "Desk staff"),
}


def test_every_demo_change_page_saves_one_changed_field(admin_client, admin_user, demo):
    changed = []
    for model, model_admin, obj in demo_objects(demo):
        name = model._meta.model_name
        if not can_change(model_admin, admin_user, obj):
            continue
        if name not in ONE_CHANGE:  # read-only log pages (axes)
            continue
        field, value = ONE_CHANGE[name]
        html = admin_client.get(change_url(obj)).content.decode()
        if f'name="{field}"' not in html:  # read-only on this page (another helper may have locked it)
            continue

        response = resubmit(admin_client, change_url(obj), {field: value})

        assert response.status_code == 302, (model, response.content.decode()[:3000])
        obj.refresh_from_db()
        assert getattr(obj, field) == value, model
        changed.append(name)
    assert {"delegation", "itineraryitem", "source", "user", "group"} <= set(changed)


def test_large_delegation_page_saves_unchanged_and_with_one_change(admin_client, db):
    delegation = large_delegation()
    url = change_url(delegation)
    before = snapshot(delegation)

    unchanged = resubmit(admin_client, url)
    after_unchanged = snapshot(delegation)
    changed = resubmit(admin_client, url, {"sectors-3-seat_cap": "12", "itinerary-6-capacity": "20", "seats": "45"})

    assert (unchanged.status_code, changed.status_code) == (302, 302)
    assert after_unchanged == before
    delegation.refresh_from_db()
    sector = delegation.sectors.order_by("order", "pk")[3]
    item = delegation.itinerary.order_by("starts_at", "order", "pk")[6]
    assert (delegation.seats, sector.seat_cap, item.capacity) == (45, 12, 20)


def test_large_delegation_texts_in_every_language_save_from_the_item_page(admin_client, db):
    item = large_delegation().itinerary.order_by("pk")[14]

    response = resubmit(admin_client, change_url(item), {"description_ko": "새 설명", "title_zh_hans": "新标题"})

    item.refresh_from_db()
    assert response.status_code == 302
    assert (item.description_ko, item.title_zh_hans, item.title) == ("새 설명", "新标题", "Item 14 title en")


def test_admin_post_with_many_fields_is_accepted(admin_client, db):
    delegation = large_delegation()
    url = change_url(delegation)
    html = admin_client.get(url).content.decode()
    data = as_post_data(form_fields(html, change_form_id(html)), {f"unused-{n}": "x" for n in range(400)})

    response = post_like_a_browser(admin_client, url, {**data, "_save": ["Save"]})

    assert response.status_code == 302


def test_public_post_with_too_many_fields_is_refused_with_a_400_page(client, db):
    delegation = large_delegation()
    data = "&".join(f"field{n}=x" for n in range(250))

    response = client.post(
        reverse("registrations:register", kwargs={"slug": delegation.slug}), data, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400
    assert "a form may have sent more than this site accepts" in response.content.decode()


def test_admin_post_beyond_the_admin_field_limit_is_refused_with_a_400_page(admin_client, settings, db):
    settings.ADMIN_DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    delegation = large_delegation()

    response = resubmit(admin_client, change_url(delegation))

    assert response.status_code == 400
    assert "a form may have sent more than this site accepts" in response.content.decode()


def test_request_for_an_unknown_host_still_gets_the_400_page(client, db):
    response = client.get("/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()


# --- one path per operation -----------------------------------------------------------------


def test_raising_seats_on_the_delegation_page_offers_the_seat_at_once(admin_client, demo):
    waiting = person(demo, 10)
    assert waiting.status == Status.WAITLISTED

    response = resubmit(admin_client, change_url(demo), {"seats": "6"}, follow=True)

    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED
    assert "1 person on the waiting list was offered a seat." in response.content.decode()


def test_lowering_seats_below_taken_on_the_delegation_page_is_refused_beside_the_field(admin_client, demo):
    response = resubmit(admin_client, change_url(demo), {"seats": "2"})

    demo.refresh_from_db()
    assert response.status_code == 200
    assert "5 seats are already taken" in response.content.decode()
    assert demo.seats == 5


def test_raising_a_sector_cap_in_the_inline_offers_the_seat_at_once(admin_client, demo):
    services.delegation_set_seats(delegation=demo, seats=10)
    clean_energy = demo.sectors.get(name="Clean energy")
    Sector.objects.filter(pk=clean_energy.pk).update(seat_cap=0)
    clean_energy.refresh_from_db()
    waiting = person(demo, 11, sector=clean_energy)
    index = list(demo.sectors.order_by("order", "pk")).index(clean_energy)
    assert waiting.status == Status.WAITLISTED

    response = resubmit(admin_client, change_url(demo), {f"sectors-{index}-seat_cap": "1"}, follow=True)

    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED
    assert "1 person on the waiting list was offered a seat." in response.content.decode()


def full_visit(demo: Delegation) -> tuple[ItineraryItem, Registration]:
    """The demo's first optional visit with one place, taken, and one person waiting for it."""
    visit = demo.itinerary.filter(is_optional=True).order_by("pk").first()
    ItineraryItem.objects.filter(pk=visit.pk).update(capacity=1)
    second = Registration.objects.filter(delegation=demo, status=Status.CONFIRMED).order_by("pk")[1]
    services.visit_join(registration=second, visits=[visit])
    visit.refresh_from_db()
    return visit, second


def test_more_places_on_the_delegation_page_books_the_visit_waiting_list(admin_client, demo):
    visit, waiting = full_visit(demo)
    index = list(demo.itinerary.order_by("starts_at", "order", "pk")).index(visit)

    response = resubmit(admin_client, change_url(demo), {f"itinerary-{index}-capacity": "2"}, follow=True)

    assert VisitBooking.objects.get(visit=visit, registration=waiting).status == Booking.BOOKED
    assert "1 person got a place on a visit from its waiting list." in response.content.decode()


def test_more_places_on_the_itinerary_item_page_books_the_visit_waiting_list(admin_client, demo):
    visit, waiting = full_visit(demo)

    response = resubmit(admin_client, change_url(visit), {"capacity": "2"}, follow=True)

    visit.refresh_from_db()
    assert visit.capacity == 2
    assert VisitBooking.objects.get(visit=visit, registration=waiting).status == Booking.BOOKED
    assert "1 person got a place on a visit from its waiting list." in response.content.decode()


def test_fewer_places_than_booked_on_the_itinerary_item_page_is_refused(admin_client, demo):
    visit, _waiting = full_visit(demo)

    response = resubmit(admin_client, change_url(visit), {"capacity": "0"})

    visit.refresh_from_db()
    assert response.status_code == 200
    assert "1 place is already taken, so places cannot be lower than 1." in response.content.decode()
    assert visit.capacity == 1


# --- visits with history are not deleted ---------------------------------------------------


def test_deleting_an_item_with_check_ins_from_its_page_is_refused(admin_client, demo):
    item = CheckIn.objects.get().item
    url = reverse("admin:registrations_itineraryitem_delete", args=[item.pk])

    page = admin_client.get(url).content.decode()
    response = admin_client.post(url, {"post": "yes"})

    assert "would require deleting the following protected related objects" in page and "Check-in: " in page
    assert "People chose this visit or were checked in at it, so it stays" in page
    assert response.status_code == 200
    assert ItineraryItem.objects.filter(pk=item.pk).exists() and CheckIn.objects.filter(item=item).count() == 1


def test_deleting_an_item_with_bookings_from_the_inline_is_refused_with_a_message(admin_client, demo):
    visit = VisitBooking.objects.get().visit
    index = list(demo.itinerary.order_by("starts_at", "order", "pk")).index(visit)

    response = resubmit(admin_client, change_url(demo), {f"itinerary-{index}-DELETE": "on"})

    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in response.content.decode()
    assert ItineraryItem.objects.filter(pk=visit.pk).exists() and VisitBooking.objects.filter(visit=visit).count() == 1


def test_deleting_an_item_with_check_ins_from_the_inline_is_refused(admin_client, demo):
    item = CheckIn.objects.get().item
    index = list(demo.itinerary.order_by("starts_at", "order", "pk")).index(item)

    response = resubmit(admin_client, change_url(demo), {f"itinerary-{index}-DELETE": "on"})

    assert response.status_code == 200
    assert ItineraryItem.objects.filter(pk=item.pk).exists()


def test_bulk_deleting_items_with_check_ins_or_bookings_is_refused(admin_client, demo):
    used = [CheckIn.objects.get().item_id, VisitBooking.objects.get().visit_id]
    url = reverse("admin:registrations_itineraryitem_changelist")

    page = admin_client.post(url, {"action": "delete_selected", "_selected_action": used}).content.decode()
    admin_client.post(url, {"action": "delete_selected", "_selected_action": used, "post": "yes"})

    assert "would require deleting the following protected related objects" in page
    assert ItineraryItem.objects.filter(pk__in=used).count() == 2


def test_deleting_an_unused_item_from_the_inline_works(admin_client, demo):
    unused = demo.itinerary.exclude(checkins__isnull=False).exclude(bookings__isnull=False).order_by("starts_at", "order", "pk").last()
    index = list(demo.itinerary.order_by("starts_at", "order", "pk")).index(unused)

    response = resubmit(admin_client, change_url(demo), {f"itinerary-{index}-DELETE": "on"})

    assert response.status_code == 302
    assert not ItineraryItem.objects.filter(pk=unused.pk).exists()


def test_more_seats_and_a_lower_sector_cap_saved_together_keep_both_limits(admin_client, demo):
    first, second = demo.sectors.order_by("order", "pk")[:2]
    held_in_first = person(demo, 12, sector=first)  # waits: every seat is taken, all in the first field
    other_field = person(demo, 13, sector=second)

    response = resubmit(admin_client, change_url(demo), {"seats": "7", "sectors-0-seat_cap": "5"}, follow=True)

    held_in_first.refresh_from_db(), other_field.refresh_from_db(), first.refresh_from_db(), demo.refresh_from_db()
    assert response.status_code == 200 and response.redirect_chain[0][1] == 302
    assert (demo.seats, first.seat_cap) == (7, 5)
    assert (held_in_first.status, other_field.status) == (Status.WAITLISTED, Status.OFFERED)


def test_itinerary_item_added_from_the_delegation_page_link_belongs_to_it(admin_client, demo):
    add_url = reverse("admin:registrations_itineraryitem_add") + f"?delegation={demo.pk}"
    day = (timezone.localdate() + timedelta(days=30)).isoformat()

    response = resubmit(
        admin_client,
        add_url,
        {
            "title": "Harbour tour",
            "title_zh_hans": "港口参观",
            "title_ko": "항만 견학",
            "starts_at_0": day,
            "starts_at_1": "09:00",
            "ends_at_0": day,
            "ends_at_1": "11:00",
        },
    )

    item = ItineraryItem.objects.get(title="Harbour tour")
    assert response.status_code == 302
    assert (item.delegation_id, item.title_zh_hans, item.title_ko) == (demo.pk, "港口参观", "항만 견학")


def test_delegation_added_in_admin_with_a_sector(admin_client, db):
    day = timezone.localdate() + timedelta(days=90)

    response = resubmit(
        admin_client,
        reverse("admin:registrations_delegation_add"),
        {
            "title": "Busan trip",
            "slug": "busan-trip",
            "city": "Busan",
            "seats": "12",
            "starts_on": day.isoformat(),
            "ends_on": (day + timedelta(days=2)).isoformat(),
            "sectors-TOTAL_FORMS": "1",
            "sectors-0-name": "Shipping",
            "sectors-0-order": "1",
            "sectors-0-seat_cap": "4",
        },
    )

    delegation = Delegation.objects.get(slug="busan-trip")
    assert response.status_code == 302
    assert (delegation.seats, list(delegation.sectors.values_list("name", "seat_cap"))) == (12, [("Shipping", 4)])


def test_delegation_set_capacity_refuses_before_writing_anything(demo):
    from django.core.exceptions import ValidationError

    first = demo.sectors.order_by("order", "pk").first()

    with pytest.raises(ValidationError):
        services.delegation_set_capacity(delegation=demo, seats=9, sector_caps={first: 1})

    demo.refresh_from_db(), first.refresh_from_db()
    assert (demo.seats, first.seat_cap) == (5, None)

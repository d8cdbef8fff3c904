"""services.registration_details_change: the delegate's corrections and the organizers', each recorded."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from registrations import services
from registrations.models import DetailChange, Registration, VisitBooking
from tests.conftest import make_delegation, submit
from tests.visit_helpers import make_visit

Status = Registration.Status
pytestmark = pytest.mark.django_db


def history(registration: Registration) -> list[tuple[str, str, str, bool]]:
    return list(DetailChange.objects.filter(registration=registration).order_by("pk").values_list("field", "old_value", "new_value", "by_delegate"))


def organizer():
    return get_user_model().objects.create_user("desk", password="x", is_staff=True)


def test_details_change_by_the_delegate_records_old_and_new():
    delegation = make_delegation()
    registration = submit(delegation, full_name="Wang Xiaoming", phone="+86 138 0000 0000")

    records = services.registration_details_change(
        registration=registration, changes={"full_name": "王小明", "phone": "+86 139 1111 2222", "job_title": "CEO"}
    )

    registration.refresh_from_db()
    assert (registration.full_name, registration.phone) == ("王小明", "+86 139 1111 2222")
    assert len(records) == 2
    assert history(registration) == [("full_name", "Wang Xiaoming", "王小明", True), ("phone", "+86 138 0000 0000", "+86 139 1111 2222", True)]
    assert DetailChange.objects.get(registration=registration, field="phone").changed_by is None


def test_details_change_with_the_same_values_records_nothing():
    registration = submit(make_delegation(), phone="+86 138 0000 0000")

    records = services.registration_details_change(registration=registration, changes={"phone": "+86 138 0000 0000"})

    assert records == []
    assert history(registration) == []


def test_details_change_checks_the_phone_like_the_registration_form():
    registration = submit(make_delegation(), phone="+86 138 0000 0000", full_name="Li Na")

    with pytest.raises(ValidationError) as caught:
        services.registration_details_change(registration=registration, changes={"full_name": "Li Na Zhang", "phone": "call me"})

    assert list(caught.value.message_dict) == ["phone"]
    assert caught.value.message_dict["phone"] == ["Enter a mobile number with country code, for example +86 138 0000 0000."]
    registration.refresh_from_db()
    assert (registration.full_name, registration.phone) == ("Li Na", "+86 138 0000 0000")
    assert history(registration) == []


def test_details_change_refuses_control_characters_and_empty_names():
    registration = submit(make_delegation())

    with pytest.raises(ValidationError) as caught:
        services.registration_details_change(registration=registration, changes={"full_name": "", "wechat_id": "wx\x07id"})

    assert caught.value.message_dict == {
        "full_name": ["This field is required."],
        "wechat_id": ["Remove the invisible control characters from this field."],
    }


def test_details_change_of_the_email_is_refused_for_the_delegate():
    registration = submit(make_delegation(), email="li@example.cn")

    with pytest.raises(ValidationError) as caught:
        services.registration_details_change(registration=registration, changes={"email": "other@example.cn"})

    assert list(caught.value.message_dict) == ["email"]
    assert caught.value.message_dict["email"][0].startswith("Your e-mail address cannot be changed here")
    registration.refresh_from_db()
    assert registration.email == "li@example.cn"


def test_details_change_after_the_cutoff_is_refused_for_the_delegate():
    delegation = make_delegation(details_editable_until=timezone.now() - timedelta(minutes=1))
    registration = submit(delegation, phone="+86 138 0000 0000")

    with pytest.raises(ValidationError) as caught:
        services.registration_details_change(registration=registration, changes={"phone": "+86 139 1111 2222"})

    assert caught.value.messages == ["Details can no longer be changed here. Please write to the organizer."]
    registration.refresh_from_db()
    assert registration.phone == "+86 138 0000 0000"


def test_details_change_of_a_cancelled_registration_is_refused_for_the_delegate():
    registration = services.registration_cancel(registration=submit(make_delegation()))

    with pytest.raises(ValidationError) as caught:
        services.registration_details_change(registration=registration, changes={"phone": "+86 139 1111 2222"})

    assert caught.value.messages == ["This registration is closed: its details can no longer be changed."]


def test_details_change_by_an_organizer_after_the_cutoff_changes_company_and_email():
    delegation = make_delegation(details_editable_until=timezone.now() - timedelta(days=1))
    registration = submit(delegation, email="li@example.cn", company="Old Co.")
    user = organizer()

    services.registration_details_change(registration=registration, changes={"email": "Li.Na@Example.CN", "company": "New Co."}, by=user)

    registration.refresh_from_db()
    assert (registration.email, registration.company) == ("Li.Na@example.cn", "New Co.")
    assert history(registration) == [("email", "li@example.cn", "Li.Na@example.cn", False), ("company", "Old Co.", "New Co.", False)]
    assert set(DetailChange.objects.filter(registration=registration).values_list("changed_by", flat=True)) == {user.pk}


def test_details_change_by_an_organizer_to_an_address_already_registered_is_refused():
    delegation = make_delegation()
    submit(delegation, email="taken@example.cn")
    registration = submit(delegation, email="li@example.cn")

    with pytest.raises(ValidationError) as caught:
        services.registration_details_change(registration=registration, changes={"email": "TAKEN@example.cn"}, by=organizer())

    assert caught.value.error_dict["email"][0].code == services.DUPLICATE_EMAIL


def test_sector_change_of_a_confirmed_seat_within_the_cap_keeps_seat_and_visit_places():
    delegation = make_delegation(seats=5)
    bio, energy = delegation.sectors.get(name="Biotechnology"), delegation.sectors.get(name="Clean energy")
    energy.seat_cap = 2
    energy.save()
    registration = submit(delegation, sector=bio)
    visit = make_visit(delegation, capacity=3)
    services.visit_join(registration=registration, visits=[visit])

    services.registration_details_change(registration=registration, changes={"sector": energy})

    registration.refresh_from_db()
    assert (registration.sector, registration.status) == (energy, Status.CONFIRMED)
    assert list(VisitBooking.objects.filter(registration=registration).values_list("visit", "status")) == [(visit.pk, "booked")]
    assert history(registration) == [("sector", "Biotechnology", "Clean energy", True)]


def test_sector_change_into_a_full_field_is_refused_and_nothing_is_saved():
    delegation = make_delegation(seats=5)
    bio, energy = delegation.sectors.get(name="Biotechnology"), delegation.sectors.get(name="Clean energy")
    energy.seat_cap = 1
    energy.save()
    submit(delegation, sector=energy)
    registration = submit(delegation, sector=bio, phone="+86 138 0000 0000")

    with pytest.raises(ValidationError) as caught:
        services.registration_details_change(registration=registration, changes={"sector": energy, "phone": "+86 139 1111 2222"})

    assert caught.value.message_dict == {"sector": ["Clean energy is full: its seats are all taken. Keep your field or choose one with seats left."]}
    registration.refresh_from_db()
    assert (registration.sector, registration.phone) == (bio, "+86 138 0000 0000")
    assert history(registration) == []


def test_sector_change_of_a_waitlisted_person_to_a_field_with_room_offers_a_seat():
    delegation = make_delegation(seats=3)
    bio, energy = delegation.sectors.get(name="Biotechnology"), delegation.sectors.get(name="Clean energy")
    bio.seat_cap = 1
    bio.save()
    submit(delegation, sector=bio)
    waiting = submit(delegation, sector=bio)
    assert waiting.status == Status.WAITLISTED

    services.registration_details_change(registration=waiting, changes={"sector": energy})

    waiting.refresh_from_db()
    assert (waiting.sector, waiting.status, waiting.waitlist_position) == (energy, Status.OFFERED, None)


def test_sector_change_of_a_waitlisted_person_into_a_full_field_is_allowed():
    delegation = make_delegation(seats=1)
    bio, energy = delegation.sectors.get(name="Biotechnology"), delegation.sectors.get(name="Clean energy")
    submit(delegation, sector=bio)
    waiting = submit(delegation, sector=bio)

    services.registration_details_change(registration=waiting, changes={"sector": energy})

    waiting.refresh_from_db()
    assert (waiting.sector, waiting.status, waiting.waitlist_position) == (energy, Status.WAITLISTED, 1)


def test_sector_change_of_an_offered_seat_is_refused():
    delegation = make_delegation(seats=1)
    first = submit(delegation)
    waiting = submit(delegation)
    services.registration_cancel(registration=first)
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED

    with pytest.raises(ValidationError) as caught:
        services.registration_details_change(registration=waiting, changes={"sector": delegation.sectors.last()})

    assert caught.value.message_dict == {
        "sector": ["The field cannot be changed while your registration is “Seat offered”. Please write to the organizer."]
    }


def test_sector_change_to_another_delegations_field_is_refused():
    registration = submit(make_delegation())
    other = make_delegation().sectors.first()

    with pytest.raises(ValidationError) as caught:
        services.registration_details_change(registration=registration, changes={"sector": other})

    assert caught.value.message_dict == {"sector": ["Choose one of this delegation's fields."]}


def test_registration_anonymise_erases_the_values_in_the_history_of_details():
    registration = submit(make_delegation(), phone="+86 138 0000 0000")
    services.registration_details_change(registration=registration, changes={"phone": "+86 139 1111 2222"})

    services.registration_anonymise(registration=registration)

    assert history(registration) == [("phone", "", "", True)]


def test_control_characters_are_unicodes_category_cc_whatever_the_code_point():
    """The validator's character classes are exactly Unicode's Cc (newlines and tabs allowed where asked)."""
    import unicodedata

    from django.core.exceptions import ValidationError

    from registrations.core.validators import refuse_control_characters

    def refused(text: str, **options) -> bool:
        try:
            refuse_control_characters(text, **options)
        except ValidationError:
            return True
        return False

    for point in [*range(0x200), 0x2028, 0x200B, 0xFEFF, 0x1F600]:
        character = chr(point)
        control = unicodedata.category(character) == "Cc"
        assert refused(f"a{character}b") is control, hex(point)
        assert refused(f"a{character}b", allow_newlines=True) is (control and character not in "\n\r\t"), hex(point)

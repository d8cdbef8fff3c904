"""Seat substitution, the services: request (company, address, cutoff), acceptance (same row, new links, old data gone)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone

from registrations import selectors, services
from registrations.models import CheckIn, DetailChange, OutboxEmail, Registration, SeatHandover, StatusChange, VisitBooking
from registrations.models.questions import Answer, Question
from registrations.models.travel import TravelDocument
from registrations.services.substitution import company_key
from tests.conftest import make_delegation, submit
from tests.substitution_helpers import colleague, confirmed_delegate, hand_over

Status = Registration.Status
Kind = OutboxEmail.Kind
pytestmark = pytest.mark.django_db


def test_registration_substitute_keeps_the_row_seat_visits_and_history():
    delegation = make_delegation(seats=2)
    old = confirmed_delegate(delegation)
    taken_before = selectors.seat_counts(delegation=delegation).taken
    history_before = list(StatusChange.objects.filter(registration=old).values_list("pk", flat=True))

    new = hand_over(old)

    assert new.pk == old.pk
    assert Registration.objects.count() == 1
    assert selectors.seat_counts(delegation=delegation).taken == taken_before == 1
    assert (new.status, new.sector_id, new.company) == (Status.CONFIRMED, old.sector_id, "Weihai Smart Logistics Co.")
    assert (new.full_name, new.job_title, new.email, new.phone, new.wechat_id, new.language) == (
        "李四",
        "COO",
        "li.si@example.cn",
        "+86 139 0000 0000",
        "lisi_wx",
        "zh-hans",
    )
    assert list(VisitBooking.objects.filter(registration=new).values_list("status", flat=True)) == ["booked"]
    assert list(StatusChange.objects.filter(registration=new).values_list("pk", flat=True))[:-1] == history_before


def test_registration_substitute_records_who_handed_to_whom_and_who_did_it():
    organizer = User.objects.create_user("organizer", is_staff=True)
    old = confirmed_delegate(make_delegation())

    hand_over(old, by=organizer)

    line = StatusChange.objects.filter(registration=old).last()
    assert (line.from_status, line.to_status, line.changed_by) == (Status.CONFIRMED, Status.CONFIRMED, organizer)
    assert line.reason == "Seat handed from 张三 to 李四 by an organizer; 李四 accepted."


def test_registration_substitute_by_the_delegate_says_so_in_the_history():
    old = confirmed_delegate(make_delegation())

    hand_over(old)

    line = StatusChange.objects.filter(registration=old).last()
    assert (line.changed_by, line.reason) == (None, "Seat handed from 张三 to 李四 at the delegate's request; 李四 accepted.")


def test_registration_substitute_rotates_the_private_token_and_the_checkin_code():
    old = confirmed_delegate(make_delegation())
    old_token, old_code = old.token, old.checkin_code

    new = hand_over(old)

    assert new.token != old_token and new.checkin_code != old_code
    assert len(new.token) == len(new.checkin_code) == 43
    assert selectors.registration_by_token(token=old_token) is None
    assert selectors.registration_by_token(token=new.token) == new


def test_registration_substitute_deletes_the_old_persons_travel_documents_emails_and_note():
    old = confirmed_delegate(make_delegation(), note="Vegetarian")
    assert TravelDocument.objects.filter(registration=old).count() == 1

    new = hand_over(old)

    assert TravelDocument.objects.filter(registration=new).count() == 0
    assert new.note == ""
    assert sorted(OutboxEmail.objects.filter(registration=new).values_list("kind", "recipient")) == [
        (Kind.HANDED_OVER, "zhang@example.cn"),
        (Kind.HANDOVER_WELCOME, "li.si@example.cn"),
    ]


def test_travel_consent_or_passport_sent_through_the_old_link_after_a_handover_attaches_to_nobody():
    old = confirmed_delegate(make_delegation())  # the old person's page was open before the colleague accepted
    new = hand_over(old)

    with pytest.raises(ValidationError, match="has changed in the meantime"):
        services.travel_consent_give(registration=old, recipients="Incheon hotels")
    with pytest.raises(ValidationError, match="has changed in the meantime"):
        services.travel_document_save(registration=old, details={"passport_name": "ZHANG SAN", "passport_number": "E12345678"})
    assert TravelDocument.objects.filter(registration=new).count() == 0


def test_registration_substitute_records_the_new_persons_own_consent_in_their_language():
    old = confirmed_delegate(make_delegation())

    new = hand_over(old)

    assert new.consent_version == "2027-01"
    assert new.consent_text == "我同意主办方为组织本次代表团而保存和使用以上信息。"
    assert timezone.now() - new.consent_at < timedelta(minutes=1)


def test_registration_substitute_keeps_earlier_checkins_on_the_seat():
    old = confirmed_delegate(make_delegation())
    item = old.delegation.itinerary.first()
    services.checkin_record(registration=old, item=item, by=None)

    new = hand_over(old)

    assert CheckIn.objects.filter(registration=new).count() == 1


def test_seat_handover_request_holds_the_colleague_until_they_accept():
    old = confirmed_delegate(make_delegation())

    handover = services.seat_handover_request(registration=old, new_person=colleague())

    old.refresh_from_db()
    assert (old.full_name, old.email, old.status) == ("张三", "zhang@example.cn", Status.CONFIRMED)
    assert (handover.email, handover.by_delegate, handover.requested_by) == ("li.si@example.cn", True, None)
    assert OutboxEmail.objects.filter(kind=Kind.HANDOVER_REQUEST).get().recipient == "li.si@example.cn"


def test_seat_handover_request_refuses_a_registration_not_confirmed():
    delegation = make_delegation(seats=1)
    submit(delegation)
    waiting = submit(delegation, company="Weihai Smart Logistics Co.")

    with pytest.raises(ValidationError) as refused:
        services.seat_handover_request(registration=waiting, new_person=colleague())

    assert refused.value.messages == ["Only a confirmed seat can be handed to a colleague."]
    assert SeatHandover.objects.count() == 0


def test_seat_handover_request_refuses_an_address_already_registered():
    delegation = make_delegation(seats=3)
    old = confirmed_delegate(delegation)
    submit(delegation, email="Li.Si@example.cn")

    with pytest.raises(ValidationError) as refused:
        services.seat_handover_request(registration=old, new_person=colleague())

    [error] = refused.value.error_dict["email"]
    assert error.code == services.DUPLICATE_EMAIL
    assert SeatHandover.objects.count() == 0


def test_seat_handover_request_refuses_the_seat_holders_own_address():
    old = confirmed_delegate(make_delegation())

    with pytest.raises(ValidationError) as refused:
        services.seat_handover_request(registration=old, new_person=colleague(email="ZHANG@example.cn"))

    assert refused.value.error_dict["email"][0].code == services.DUPLICATE_EMAIL


def test_seat_handover_request_refuses_another_company():
    old = confirmed_delegate(make_delegation())

    with pytest.raises(ValidationError) as refused:
        services.seat_handover_request(registration=old, new_person=colleague(company="CJ Logistics"), by=User.objects.create_user("o"))

    assert refused.value.message_dict == {"company": ["The seat stays with Weihai Smart Logistics Co.: enter a colleague from the same company."]}


def test_seat_handover_request_by_an_organizer_may_override_the_company():
    organizer = User.objects.create_user("organizer", is_staff=True)
    old = confirmed_delegate(make_delegation())

    handover = services.seat_handover_request(registration=old, new_person=colleague(company="威海智慧物流"), by=organizer, allow_other_company=True)
    new = services.seat_handover_accept(handover=handover)

    assert new.company == "威海智慧物流"


def test_seat_handover_request_by_the_delegate_cannot_override_the_company():
    old = confirmed_delegate(make_delegation())

    with pytest.raises(ValidationError):
        services.seat_handover_request(registration=old, new_person=colleague(company="CJ Logistics"), allow_other_company=True)


def test_company_key_ignores_case_width_spaces_punctuation_and_legal_form():
    assert company_key("Weihai Smart Logistics Co., Ltd.") == company_key("WEIHAI SMART LOGISTICS") == "weihaismartlogistics"
    assert company_key("威海智慧物流有限公司") == company_key("威海智慧物流") == "威海智慧物流"
    assert company_key("ＣＪ Logistics") == company_key("cj logistics")
    assert company_key("CJ Logistics") != company_key("Hyundai Glovis")


def test_seat_handover_request_by_the_delegate_refused_after_the_cutoff():
    delegation = make_delegation(details_editable_until=timezone.now() - timedelta(minutes=1))
    old = confirmed_delegate(delegation)

    with pytest.raises(ValidationError) as refused:
        services.seat_handover_request(registration=old, new_person=colleague())

    assert refused.value.messages == ["Details can no longer be changed here. Please write to the organizer."]


def test_seat_handover_request_by_an_organizer_allowed_after_the_cutoff():
    delegation = make_delegation(details_editable_until=timezone.now() - timedelta(minutes=1))
    old = confirmed_delegate(delegation)

    new = hand_over(old, by=User.objects.create_user("organizer", is_staff=True))

    assert new.full_name == "李四"


def test_seat_handover_by_the_delegate_expires_at_the_cutoff():
    cutoff = timezone.now() + timedelta(hours=5)
    old = confirmed_delegate(make_delegation(details_editable_until=cutoff))

    handover = services.seat_handover_request(registration=old, new_person=colleague())

    assert handover.expires_at == cutoff
    with pytest.raises(ValidationError) as refused:
        services.seat_handover_accept(handover=handover, now=cutoff)
    assert refused.value.messages == ["This link is no longer valid: the handover was withdrawn, replaced or not accepted in time."]


def test_seat_handover_request_again_replaces_the_earlier_one():
    old = confirmed_delegate(make_delegation())
    first = services.seat_handover_request(registration=old, new_person=colleague())

    second = services.seat_handover_request(registration=old, new_person=colleague(email="wang@example.cn", full_name="王五"))

    assert list(SeatHandover.objects.values_list("pk", flat=True)) == [second.pk]
    with pytest.raises(ValidationError):
        services.seat_handover_accept(handover=first)


def test_seat_handover_accept_refused_once_the_seat_is_cancelled():
    old = confirmed_delegate(make_delegation())
    handover = services.seat_handover_request(registration=old, new_person=colleague())

    services.registration_cancel(registration=old)

    assert SeatHandover.objects.count() == 0
    with pytest.raises(ValidationError):
        services.seat_handover_accept(handover=handover)


def test_seat_handover_accept_refused_when_the_address_was_registered_meanwhile():
    delegation = make_delegation(seats=3)
    old = confirmed_delegate(delegation)
    handover = services.seat_handover_request(registration=old, new_person=colleague())
    submit(delegation, email="li.si@example.cn")

    with pytest.raises(ValidationError) as refused:
        services.seat_handover_accept(handover=handover)

    assert refused.value.error_dict["email"][0].code == services.DUPLICATE_EMAIL
    old.refresh_from_db()
    assert old.full_name == "张三"


def test_registration_cancel_through_a_link_read_before_the_handover_is_refused():
    old = confirmed_delegate(make_delegation())
    stale = Registration.objects.get(pk=old.pk)
    hand_over(old)

    with pytest.raises(ValidationError) as refused:
        services.registration_cancel(registration=stale)

    assert refused.value.messages == ["This seat has changed in the meantime (it may have been handed on already). Open the page again."]
    assert Registration.objects.get(pk=old.pk).status == Status.CONFIRMED


def test_seat_handovers_purge_deletes_only_expired_ones():
    delegation = make_delegation(seats=3)
    first = services.seat_handover_request(registration=confirmed_delegate(delegation), new_person=colleague())
    later = submit(delegation, company="Weihai Smart Logistics")
    services.seat_handover_request(registration=later, new_person=colleague(email="wang@example.cn"))

    deleted = services.seat_handovers_purge(now=first.expires_at - timedelta(seconds=1))
    assert deleted == 0
    assert services.seat_handovers_purge(now=first.expires_at + timedelta(seconds=1)) == 2
    assert SeatHandover.objects.count() == 0


def test_registration_anonymise_deletes_a_pending_handover():
    old = confirmed_delegate(make_delegation())
    services.seat_handover_request(registration=old, new_person=colleague())

    services.registration_anonymise(registration=old)

    assert SeatHandover.objects.count() == 0


def test_registration_substitute_deletes_the_old_persons_answers_and_detail_history():
    old = confirmed_delegate(make_delegation())
    question = Question.objects.create(delegation=old.delegation, text="Diet", kind=Question.Kind.SHORT_TEXT, stage=Question.Stage.TRAVEL)
    Answer.objects.create(registration=old, question=question, value="Halal")
    services.registration_details_change(registration=old, changes={"phone": "+86 139 1111 2222"})
    assert DetailChange.objects.filter(registration=old).count() == 1

    new = hand_over(old)

    assert Answer.objects.filter(registration=new).count() == 0
    assert DetailChange.objects.filter(registration=new).count() == 0

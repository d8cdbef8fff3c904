"""Visit reminders: at the set time, once, to each person attending, with the meeting point in their language."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from registrations import services
from registrations.models import ItineraryItem, OutboxEmail, VisitReminderDelivery
from tests.announcement_helpers import make_trip, recipient_counts
from tests.conftest import submit
from tests.helpers import run_at_once

Kind = OutboxEmail.Kind


def with_reminder(item: ItineraryItem) -> ItineraryItem:
    """The evening before at 18:00 Korea time, meeting in the hotel lobby 30 minutes before the start."""
    item.reminder_at = timezone.localtime(item.starts_at).replace(hour=18, minute=0) - timedelta(days=1)
    item.meeting_at = item.starts_at - timedelta(minutes=30)
    item.meeting_point, item.meeting_point_zh_hans, item.meeting_point_ko = "Hotel lobby, bus 2", "酒店大堂，2号大巴", "호텔 로비, 2번 버스"
    item.reminder_note_zh_hans = "请携带护照。"
    item.save()
    return item


@pytest.fixture
def trip(db):
    trip = make_trip()
    with_reminder(trip.visit)
    return trip


def reminders() -> dict[str, int]:
    return recipient_counts(Kind.VISIT_REMINDER)


def test_no_reminder_before_its_time(trip):
    sent = services.visit_reminders_send(now=trip.visit.reminder_at - timedelta(minutes=1))

    assert (sent, reminders()) == (0, {})


def test_reminder_goes_once_to_those_booked_and_not_to_who_cancelled(trip):
    first = services.visit_reminders_send(now=trip.visit.reminder_at)
    second = services.visit_reminders_send(now=trip.visit.reminder_at + timedelta(minutes=1))

    assert (first, second) == (2, 0)
    assert reminders() == {trip.zh.email: 1, trip.ko.email: 1}


def test_reminder_says_where_and_when_to_meet_in_each_language(trip):
    services.visit_reminders_send(now=trip.visit.reminder_at)

    chinese = OutboxEmail.objects.get(kind=Kind.VISIT_REMINDER, recipient=trip.zh.email)
    korean = OutboxEmail.objects.get(kind=Kind.VISIT_REMINDER, recipient=trip.ko.email)
    meets = timezone.localtime(trip.visit.meeting_at)
    assert chinese.subject == f"提醒：松岛生物产业园区，{meets.month}月{meets.day}日 {meets:%H:%M}"
    assert "酒店大堂，2号大巴" in chinese.body_text and "请携带护照。" in chinese.body_text
    assert f"/r/{trip.zh.token}/" in chinese.body_text
    assert "송도 바이오산업단지" in korean.subject and "호텔 로비, 2번 버스" in korean.body_text
    assert "请携带护照。" not in korean.body_text  # no Korean note: the English one, which is empty


def test_someone_who_books_after_the_reminder_went_out_still_gets_it(trip):
    services.visit_reminders_send(now=trip.visit.reminder_at)
    services.visit_join(registration=trip.en, visits=[trip.visit])

    late = services.visit_reminders_send(now=trip.visit.reminder_at + timedelta(hours=1))

    assert late == 1
    assert reminders() == {trip.zh.email: 1, trip.ko.email: 1, trip.en.email: 1}


def test_someone_who_cancels_before_the_reminder_does_not_get_it(trip):
    services.registration_cancel(registration=trip.ko)

    services.visit_reminders_send(now=trip.visit.reminder_at)

    assert reminders() == {trip.zh.email: 1}


def test_no_reminder_once_the_visit_has_started(trip):
    services.visit_reminders_send(now=trip.visit.starts_at)

    assert reminders() == {}


def test_an_item_everyone_attends_reminds_every_confirmed_delegate(trip):
    with_reminder(trip.opening)

    services.visit_reminders_send(now=trip.opening.reminder_at)

    assert reminders() == {trip.zh.email: 1, trip.ko.email: 1, trip.en.email: 1}


def test_reminder_after_the_start_is_refused_by_the_database(trip):
    with pytest.raises(IntegrityError), transaction.atomic():
        ItineraryItem.objects.filter(pk=trip.visit.pk).update(reminder_at=trip.visit.starts_at)


def test_the_command_sends_due_reminders(trip):
    ItineraryItem.objects.filter(pk=trip.visit.pk).update(reminder_at=timezone.now() - timedelta(minutes=1))

    call_command("send_scheduled_messages", verbosity=0)
    call_command("send_scheduled_messages", verbosity=0)

    assert reminders() == {trip.zh.email: 1, trip.ko.email: 1}
    assert VisitReminderDelivery.objects.filter(item=trip.visit).count() == 2


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_three_runs_at_once_remind_each_attendee_exactly_once():
    """Reminders are not claimed: the unique constraint alone decides, and the loser's e-mail is rolled back."""
    trip = make_trip()
    with_reminder(trip.opening)
    services.delegation_set_seats(delegation=trip.delegation, seats=20)  # Chen Wei is offered a seat; the rest confirmed
    extra = [submit(trip.delegation) for _ in range(15)]
    expected = {person.email: 1 for person in (trip.zh, trip.ko, trip.en, *extra)}

    results, errors = run_at_once([lambda: services.visit_reminders_send(now=trip.opening.reminder_at)] * 3)

    assert errors == []
    assert sum(results) == len(expected)
    assert reminders() == expected

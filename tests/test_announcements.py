"""Announcements: exactly the chosen people, once each, in their language, now or at the set time."""

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from registrations import services
from registrations.models import Announcement, AnnouncementDelivery, OutboxEmail, Registration
from registrations.models.questions import Answer, Question
from registrations.selectors import audiences
from registrations.services import announcements as announcement_services
from registrations.services import emails
from tests.announcement_helpers import Audience, announcement_emails, make_trip, recipient_counts, write
from tests.conftest import submit
from tests.helpers import run_at_once

Status = Announcement.Status
Kind = OutboxEmail.Kind


@pytest.fixture
def trip(db):
    return make_trip()


def recipients(announcement: Announcement) -> set[int]:
    return set(audiences.announcement_recipients(announcement=announcement).values_list("pk", flat=True))


def send_now(announcement: Announcement) -> int | None:
    scheduled = services.announcement_schedule(announcement=announcement)
    return services.announcement_send(announcement=scheduled)


# --- who gets it -----------------------------------------------------------------------------


def test_audience_confirmed_is_every_confirmed_delegate_and_nobody_else(trip):
    assert recipients(write(trip.delegation)) == {trip.zh.pk, trip.ko.pk, trip.en.pk}


def test_audience_waiting_list_is_exactly_those_waiting(trip):
    assert recipients(write(trip.delegation, audience=Audience.WAITLISTED)) == {trip.waiting.pk}


def test_audience_of_an_optional_visit_is_those_booked_on_it_not_who_cancelled(trip):
    assert recipients(write(trip.delegation, audience=Audience.VISIT, visit=trip.visit)) == {trip.zh.pk, trip.ko.pk}


def test_audience_of_an_optional_visit_leaves_out_its_waiting_list(trip):
    services.visit_set_places(visit=trip.visit, is_optional=True, capacity=2)
    services.visit_join(registration=trip.en, visits=[trip.visit])  # full: waits

    assert recipients(write(trip.delegation, audience=Audience.VISIT, visit=trip.visit)) == {trip.zh.pk, trip.ko.pk}


def test_audience_of_an_item_everyone_attends_is_every_confirmed_delegate(trip):
    assert recipients(write(trip.delegation, audience=Audience.VISIT, visit=trip.opening)) == {trip.zh.pk, trip.ko.pk, trip.en.pk}


def test_audience_leaves_out_anonymised_registrations(trip):
    Registration.objects.filter(pk=trip.en.pk).update(anonymised_at=timezone.now())

    assert recipients(write(trip.delegation)) == {trip.zh.pk, trip.ko.pk}


def test_recipients_by_language_counts_each_site_language(trip):
    counts = audiences.recipients_by_language(announcement=write(trip.delegation))

    assert [(code, count) for code, _name, count in counts] == [("zh-hans", 1), ("ko", 1), ("en", 1)]


def test_audience_incomplete_is_the_confirmed_delegates_with_a_required_answer_due(trip):
    question = Question.objects.create(
        delegation=trip.delegation, text="Airport pickup?", kind=Question.Kind.YES_NO, required=True, stage=Question.Stage.TRAVEL, order=1
    )
    Answer.objects.create(registration=trip.ko, question=question, value="yes")

    assert recipients(write(trip.delegation, audience=Audience.INCOMPLETE)) == {trip.zh.pk, trip.en.pk}  # not ko, not the waiting list


def test_every_audience_has_its_query():
    assert set(audiences.AUDIENCES) == set(Audience.values)


def test_a_visit_is_required_exactly_for_the_visit_audience(trip):
    with pytest.raises(IntegrityError), transaction.atomic():
        Announcement.objects.create(delegation=trip.delegation, audience=Audience.VISIT, subject="s", body="b")
    with pytest.raises(IntegrityError), transaction.atomic():
        Announcement.objects.create(delegation=trip.delegation, audience=Audience.CONFIRMED, visit=trip.visit, subject="s", body="b")


# --- preview -----------------------------------------------------------------------------------


def test_preview_shows_the_email_in_each_language_with_placeholders(trip):
    previews = emails.announcement_email_previews(announcement=write(trip.delegation, subject_ko="", body_ko=""))

    by_language = {preview["language"]: preview for preview in previews}
    assert [preview["language"] for preview in previews] == ["zh-hans", "ko", "en"]
    assert by_language["zh-hans"]["subject"] == "大巴07:30出发"
    assert by_language["zh-hans"]["body_text"].startswith("尊敬的（收件人姓名）：")
    assert "请在酒店大堂集合。" in by_language["zh-hans"]["body_text"]
    assert by_language["ko"]["subject"] == "Bus leaves at 07:30"  # no Korean text: the English one
    assert "Meet in the hotel lobby." in by_language["ko"]["body_text"]
    assert [by_language[code]["falls_back_to_english"] for code in ("zh-hans", "ko", "en")] == [False, True, False]
    assert "/r/" not in by_language["en"]["body_text"] and "(their private link)" in by_language["en"]["body_text"]


def test_preview_writes_nothing(trip):
    emails.announcement_email_previews(announcement=write(trip.delegation))

    assert (OutboxEmail.objects.filter(kind=Kind.ANNOUNCEMENT).count(), AnnouncementDelivery.objects.count()) == (0, 0)


# --- send now ----------------------------------------------------------------------------------


def test_send_now_queues_one_email_per_recipient_in_their_language(trip, mailoutbox, django_capture_on_commit_callbacks):
    announcement = write(trip.delegation, audience=Audience.VISIT, visit=trip.visit)

    with django_capture_on_commit_callbacks(execute=True):
        delivered = send_now(announcement)

    announcement.refresh_from_db()
    assert delivered == 2
    assert (announcement.status, announcement.sent_at is not None) == (Status.SENT, True)
    assert sorted((m.to[0], m.subject) for m in mailoutbox) == sorted(
        [
            (trip.zh.email, "大巴07:30出发"),
            (trip.ko.email, "버스 07:30 출발"),
        ]
    )
    chinese = next(m for m in mailoutbox if m.to == [trip.zh.email])
    assert chinese.body.startswith("尊敬的王小明：\n\n请在酒店大堂集合。\n")
    assert "请在酒店大堂集合。" in chinese.body
    assert f"{settings.SITE_URL}/r/{trip.zh.token}/" in chinese.body
    assert set(AnnouncementDelivery.objects.values_list("registration_id", "email__status")) == {
        (trip.zh.pk, "sent"),
        (trip.ko.pk, "sent"),
    }


def test_english_readers_get_the_english_text_and_the_others_fall_back_to_it_when_untranslated(trip):
    send_now(write(trip.delegation, subject_zh_hans="", body_zh_hans=""))

    subjects = dict(announcement_emails().values_list("recipient", "subject"))
    bodies = dict(announcement_emails().values_list("recipient", "body_text"))
    assert subjects == {trip.zh.email: "Bus leaves at 07:30", trip.ko.email: "버스 07:30 출발", trip.en.email: "Bus leaves at 07:30"}
    assert "Meet in the hotel lobby." in bodies[trip.zh.email] and "호텔 로비에서 모입니다." in bodies[trip.ko.email]
    assert dict(announcement_emails().values_list("recipient", "language")) == {
        trip.zh.email: "zh-hans",
        trip.ko.email: "ko",
        trip.en.email: "en",
    }


def test_html_body_keeps_the_text_escaped_with_links(trip):
    send_now(write(trip.delegation, body="Agenda: https://example.org/a <b>now</b>\n\nSecond paragraph"))

    html = announcement_emails().get(recipient=trip.en.email).body_html
    assert '<a href="https://example.org/a"' in html and "&lt;b&gt;now&lt;/b&gt;" in html and "<p>Second paragraph</p>" in html


def test_sending_an_empty_audience_is_refused(trip):
    announcement = write(trip.delegation, audience=Audience.WAITLISTED)
    services.registration_cancel(registration=trip.waiting)

    with pytest.raises(ValidationError) as refused:
        services.announcement_schedule(announcement=announcement)

    announcement.refresh_from_db()
    assert refused.value.messages == ["Nobody is in this audience now, so there is no one to send it to."]
    assert announcement.status == Status.DRAFT


def test_a_sent_announcement_is_never_sent_again(trip):
    announcement = write(trip.delegation)
    send_now(announcement)

    with pytest.raises(ValidationError):
        services.announcement_schedule(announcement=announcement)
    again = services.announcement_send(announcement=announcement)

    assert again is None
    assert recipient_counts(Kind.ANNOUNCEMENT) == {trip.zh.email: 1, trip.ko.email: 1, trip.en.email: 1}


def test_a_second_delivery_row_for_the_same_person_is_refused_by_the_database(trip):
    announcement = write(trip.delegation)
    send_now(announcement)
    email = OutboxEmail.objects.filter(kind=Kind.ANNOUNCEMENT).first()

    with pytest.raises(IntegrityError), transaction.atomic():
        AnnouncementDelivery.objects.create(announcement=announcement, registration=email.registration, email=email)


# --- scheduled ---------------------------------------------------------------------------------


def test_scheduled_announcement_waits_for_its_time_then_goes_out_once(trip):
    at = timezone.now() + timedelta(hours=2)
    announcement = services.announcement_schedule(announcement=write(trip.delegation), send_at=at)

    before = services.scheduled_messages_send(now=at - timedelta(minutes=1))
    assert (before.announcements, announcement_emails().count()) == (0, 0)
    after = services.scheduled_messages_send(now=at + timedelta(seconds=30))
    again = services.scheduled_messages_send(now=at + timedelta(minutes=1))

    announcement.refresh_from_db()
    assert (after.announcements, after.announcement_emails, again.announcements) == (1, 3, 0)
    assert announcement.status == Status.SENT
    assert recipient_counts(Kind.ANNOUNCEMENT) == {trip.zh.email: 1, trip.ko.email: 1, trip.en.email: 1}


def test_scheduled_announcement_goes_to_the_audience_at_its_time(trip):
    at = timezone.now() + timedelta(hours=2)
    services.announcement_schedule(announcement=write(trip.delegation, audience=Audience.VISIT, visit=trip.visit), send_at=at)
    services.visit_leave(registration=trip.ko, visit=trip.visit)
    services.visit_join(registration=trip.en, visits=[trip.visit])

    services.scheduled_messages_send(now=at)

    assert recipient_counts(Kind.ANNOUNCEMENT) == {trip.zh.email: 1, trip.en.email: 1}


def test_unscheduled_announcement_does_not_go_out(trip):
    at = timezone.now() + timedelta(hours=2)
    announcement = services.announcement_schedule(announcement=write(trip.delegation), send_at=at)

    services.announcement_unschedule(announcement=announcement)
    services.scheduled_messages_send(now=at)

    announcement.refresh_from_db()
    assert (announcement.status, announcement_emails().count()) == (Status.DRAFT, 0)


def test_send_scheduled_messages_command_prints_a_summary(trip):
    services.announcement_schedule(announcement=write(trip.delegation))
    out = StringIO()

    call_command("send_scheduled_messages", stdout=out)

    assert out.getvalue() == "Announcements sent: 1 (3 e-mails); visit reminders: 0 e-mails.\n"


# --- two cron runs at once ---------------------------------------------------------------------


def committed_trip_with_scheduled_announcement(people: int) -> tuple[Announcement, list[Registration]]:
    """A delegation with ``people`` confirmed delegates and an announcement to them all, due now (committed)."""
    trip = make_trip()
    services.delegation_set_seats(delegation=trip.delegation, seats=people + 1)  # Chen Wei is offered the extra one
    extra = [submit(trip.delegation, language=("zh-hans", "ko", "en")[n % 3]) for n in range(people - 3)]
    announcement = services.announcement_schedule(announcement=write(trip.delegation))
    return announcement, [trip.zh, trip.ko, trip.en, *extra]


def runs(count: int, later):
    return run_at_once([lambda: services.scheduled_messages_send(now=later) for _ in range(count)])


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_cron_runs_at_once_give_each_person_exactly_one_email():
    announcement, people = committed_trip_with_scheduled_announcement(24)

    results, errors = runs(2, timezone.now() + timedelta(seconds=1))

    assert errors == []
    assert sorted(summary.announcements for summary in results) == [0, 1]
    assert recipient_counts(Kind.ANNOUNCEMENT) == {person.email: 1 for person in people}
    assert AnnouncementDelivery.objects.filter(announcement=announcement).count() == 24


def read_without_claim(announcement_id, now):
    return Announcement.objects.filter(pk=announcement_id).first()


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_without_the_claim_runs_overlap_and_the_unique_constraint_still_gives_one_email_each(monkeypatch):
    """Every run fans the announcement out; the database refuses the second delivery row and its e-mail goes with it."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises the two runs: they cannot overlap there.")
    _announcement, people = committed_trip_with_scheduled_announcement(24)
    monkeypatch.setattr(announcement_services, "_claim", read_without_claim)

    results, errors = runs(3, timezone.now() + timedelta(seconds=1))

    assert errors == []
    assert sum(1 for summary in results if summary.announcements) >= 2  # they did overlap
    assert sum(summary.announcement_emails for summary in results) == 24
    assert recipient_counts(Kind.ANNOUNCEMENT) == {person.email: 1 for person in people}


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_without_the_claim_and_the_unique_constraint_people_get_it_twice(monkeypatch):
    """The proof that the constraint is what holds: drop it, and overlapping runs send duplicates."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises the two runs: they cannot overlap there.")
    _announcement, people = committed_trip_with_scheduled_announcement(24)
    monkeypatch.setattr(announcement_services, "_claim", read_without_claim)
    [constraint] = [c for c in AnnouncementDelivery._meta.constraints if c.name == "one_announcement_per_person"]
    with connection.schema_editor() as editor:
        editor.remove_constraint(AnnouncementDelivery, constraint)
    try:
        results, errors = runs(3, timezone.now() + timedelta(seconds=1))
        counts = recipient_counts(Kind.ANNOUNCEMENT)
    finally:
        AnnouncementDelivery.objects.all().delete()
        with connection.schema_editor() as editor:
            editor.add_constraint(AnnouncementDelivery, constraint)

    assert errors == []
    assert sum(counts.values()) > len(people)

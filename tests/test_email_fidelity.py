"""E-mails and calendar files as independent parsers read them (Python's email package, icalendar)."""

import email
import email.policy
from datetime import timedelta
from email.utils import parsedate_to_datetime

import icalendar
import pytest
from django.test import override_settings
from django.utils import timezone, translation

from registrations.documents.ics import sequence
from registrations.models import OutboxEmail
from registrations.services import outbox
from tests.trip_helpers import apply, make_trip

pytestmark = pytest.mark.django_db


def parsed(message) -> email.message.EmailMessage:
    """The message as sent over SMTP, read back by Python's own parser."""
    return email.message_from_bytes(message.message().as_bytes(linesep="\r\n"), policy=email.policy.default)


def calendar_part(message: email.message.EmailMessage):
    [part] = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    return part


def confirmed_email(language: str = "zh-hans") -> OutboxEmail:
    """A confirmation queued (not sent) in ``language``."""
    registration = apply(make_trip(seats=2), language=language)
    return OutboxEmail.objects.get(registration=registration, kind=OutboxEmail.Kind.RECEIVED)


def test_itinerary_attachment_is_in_the_registrant_language_whoever_sends_it():
    queued = confirmed_email("zh-hans")

    with translation.override("en"):
        message = parsed(outbox._build(queued))

    calendar = icalendar.Calendar.from_ical(calendar_part(message).get_content())
    assert [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")] == ["松岛生物园"]
    assert str(calendar["X-WR-CALNAME"]) == queued.registration.delegation.title_zh_hans


def test_itinerary_attachment_says_method_publish():
    part = calendar_part(parsed(outbox._build(confirmed_email())))

    assert (part.get_content_type(), part.get_param("method"), part.get_content_charset()) == ("text/calendar", "PUBLISH", "utf-8")
    assert part.get_filename().endswith("-itinerary.ics")
    assert icalendar.Calendar.from_ical(part.get_content())["METHOD"] == "PUBLISH"


def test_itinerary_events_carry_sequence_and_last_modified_that_grow_with_an_edit():
    queued = confirmed_email()
    item = queued.registration.delegation.itinerary.get()

    first = icalendar.Calendar.from_ical(calendar_part(parsed(outbox._build(queued))).get_content())
    item.starts_at += timedelta(hours=1)
    item.ends_at += timedelta(hours=1)
    item.save()
    item.refresh_from_db()
    later_edit = item.updated_at + timedelta(seconds=5)
    type(item).objects.filter(pk=item.pk).update(updated_at=later_edit)
    second = icalendar.Calendar.from_ical(calendar_part(parsed(outbox._build(queued))).get_content())

    [before], [after] = first.walk("VEVENT"), second.walk("VEVENT")
    assert before["UID"] == after["UID"]
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"]) >= 0
    assert after["LAST-MODIFIED"].dt == later_edit.replace(microsecond=0)
    assert int(after["SEQUENCE"]) == sequence(type(item).objects.get(pk=item.pk))


@override_settings(SITE_URL="https://delegation.example.org")
def test_message_id_uses_the_site_domain():
    message = parsed(outbox._build(confirmed_email()))

    assert message["Message-ID"].endswith("@delegation.example.org>")


def test_date_header_carries_the_korea_offset():
    before = timezone.now().replace(microsecond=0)

    message = parsed(outbox._build(confirmed_email()))

    sent = parsedate_to_datetime(message["Date"])
    assert message["Date"].endswith("+0900")
    assert sent.utcoffset() == timedelta(hours=9)
    assert before <= sent <= timezone.now()


@override_settings(ORGANIZER_EMAIL="organizers@example.org")
def test_reply_to_reaches_the_organizer():
    message = parsed(outbox._build(confirmed_email()))

    assert message["Reply-To"] == "organizers@example.org"


@override_settings(ORGANIZER_EMAIL="")
def test_no_reply_to_without_an_organizer_address():
    message = parsed(outbox._build(confirmed_email()))

    assert message["Reply-To"] is None


def test_sent_confirmation_parses_with_utf8_bodies(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registration = apply(make_trip(seats=2), language="zh-hans", full_name="王小明")

    message = parsed(mailoutbox[0])

    text = message.get_body(preferencelist=("plain",))
    assert text.get_content_charset() == "utf-8"
    assert text["Content-Transfer-Encoding"] == "8bit"
    assert "王小明" in text.get_content()
    assert registration.get_absolute_url() in text.get_content()


def test_link_email_has_no_calendar(mailoutbox):
    from registrations.services.lost_link import registration_link_send

    delegation = make_trip(seats=2)
    apply(delegation, email="li.wei@example.cn")
    outbox.outbox_send_due()  # the messages of the registration itself
    mailoutbox.clear()

    registration_link_send(delegation=delegation, email="li.wei@example.cn")
    outbox.outbox_send_due()

    assert [part.get_content_type() for part in parsed(mailoutbox[0]).walk()] == ["multipart/alternative", "text/plain", "text/html"]

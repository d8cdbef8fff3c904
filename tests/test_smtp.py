"""Against a real SMTP server on 127.0.0.1 (aiosmtpd): one delivery, one failure retried later."""

from datetime import timedelta
from io import StringIO

import icalendar
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from registrations.models import OutboxEmail
from tests.conftest import submit
from tests.smtp import SmtpServer, free_port, use_smtp

Status = OutboxEmail.Status


@pytest.fixture
def smtp_port(settings) -> int:
    port = free_port()
    use_smtp(settings, port)
    return port


@pytest.fixture
def smtp_server(smtp_port):
    server = SmtpServer(smtp_port).start()
    yield server
    server.stop()


def test_confirmation_is_delivered_by_smtp_with_the_itinerary_attached(delegation, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registration = submit(delegation, full_name="王小明")

    [envelope] = smtp_server.inbox.envelopes
    [message] = smtp_server.inbox.messages
    assert envelope.rcpt_tos == [registration.email]
    assert envelope.mail_from == settings.DEFAULT_FROM_EMAIL
    assert message["Subject"] == f"Registration received (Confirmed): {delegation.title}"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    private_url = f"{settings.SITE_URL}/r/{registration.token}/"
    assert "Dear 王小明," in text and private_url in text and private_url in html
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() == f"{delegation.slug}-itinerary.ics"
    calendar = icalendar.Calendar.from_ical(attachment.get_payload(decode=True))
    assert sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT")) == ["Opening", "Songdo Bio Industrial Park"]
    assert OutboxEmail.objects.get().status == Status.SENT


def test_message_failed_while_server_down_is_delivered_later_by_send_pending_emails(delegation, smtp_port, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registration = submit(delegation)
    failed = OutboxEmail.objects.get()
    assert (failed.status, failed.attempts) == (Status.QUEUED, 1)
    assert failed.last_error.startswith("ConnectionRefusedError")

    server = SmtpServer(smtp_port).start()
    try:
        OutboxEmail.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))  # the retry time has come
        out = StringIO()
        call_command("send_pending_emails", stdout=out)
    finally:
        server.stop()

    delivered = OutboxEmail.objects.get()
    assert out.getvalue() == "Sent 1, failed 0 (queued for a retry), gave up on 0; 0 queued now.\n"
    assert (delivered.status, delivered.attempts, delivered.last_error) == (Status.SENT, 2, "")
    [envelope] = server.inbox.envelopes
    assert envelope.rcpt_tos == [registration.email]
    assert [part.get_filename() for part in server.inbox.messages[0].iter_attachments()] == [f"{delegation.slug}-itinerary.ics"]

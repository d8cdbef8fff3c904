"""Sending the outbox: failures stay queued with the error, retries back off, nothing is sent twice."""

import os
import subprocess
import sys
import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registrations.models import OutboxEmail, Registration
from registrations.services import emails, outbox
from tests.conftest import make_delegation, submit
from tests.helpers import form_data
from tests.smtp import free_port, use_smtp

Status = OutboxEmail.Status


@pytest.fixture
def smtp_down(settings):
    """Mail goes to an SMTP port on 127.0.0.1 where no server listens."""
    use_smtp(settings, free_port())


def queued_message(delegation, django_capture_on_commit_callbacks):
    """A registration whose "received" message failed once (the mail server was down)."""
    with django_capture_on_commit_callbacks(execute=True):
        registration = submit(delegation)
    return OutboxEmail.objects.get(registration=registration)


def test_smtp_failure_leaves_message_queued_with_the_error(delegation, smtp_down, django_capture_on_commit_callbacks):
    email = queued_message(delegation, django_capture_on_commit_callbacks)

    assert Registration.objects.get().status == "confirmed"
    assert (email.status, email.attempts, email.sent_at) == (Status.QUEUED, 1, None)
    assert email.last_error.startswith("ConnectionRefusedError: ")
    assert email.next_attempt_at - email.claimed_at == timedelta(minutes=5)


def test_register_page_works_while_the_mail_server_is_down(client, delegation, smtp_down, django_capture_on_commit_callbacks):
    url = reverse("registrations:register", kwargs={"slug": delegation.slug})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_data(delegation))

    registration = Registration.objects.get()
    assert response.status_code == 302 and response["Location"] == registration.get_absolute_url()
    assert OutboxEmail.objects.get().status == Status.QUEUED


def test_retry_waits_for_the_backoff_then_doubles_it(delegation, smtp_down, django_capture_on_commit_callbacks):
    email = queued_message(delegation, django_capture_on_commit_callbacks)
    first_retry = email.next_attempt_at

    early = outbox.outbox_send_due(now=first_retry - timedelta(seconds=1))
    on_time = outbox.outbox_send_due(now=first_retry)

    email.refresh_from_db()
    assert (early.sent, early.retrying) == (0, 0)
    assert (on_time.sent, on_time.retrying) == (0, 1)
    assert (email.status, email.attempts) == (Status.QUEUED, 2)
    assert email.next_attempt_at == first_retry + timedelta(minutes=10)


def test_retry_delay_doubles_up_to_six_hours():
    assert [outbox.retry_delay(n) for n in range(1, 9)] == [timedelta(minutes=m) for m in (5, 10, 20, 40, 80, 160, 320, 360)]


def test_message_is_marked_failed_after_the_last_attempt(settings, delegation, smtp_down, django_capture_on_commit_callbacks):
    settings.EMAIL_OUTBOX_MAX_ATTEMPTS = 2
    email = queued_message(delegation, django_capture_on_commit_callbacks)

    last = outbox.outbox_send_due(now=email.next_attempt_at)
    after = outbox.outbox_send_due(now=email.next_attempt_at + timedelta(days=7))

    email.refresh_from_db()
    assert (last.gave_up, after.gave_up, after.retrying) == (1, 0, 0)
    assert (email.status, email.attempts) == (Status.FAILED, 2)


def test_send_pending_emails_sends_due_messages_and_prints_a_summary(settings, delegation, smtp_down, django_capture_on_commit_callbacks, mailoutbox):
    email = queued_message(delegation, django_capture_on_commit_callbacks)
    OutboxEmail.objects.update(next_attempt_at=timezone.now())
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the mail server is back
    out = StringIO()

    call_command("send_pending_emails", stdout=out)

    email.refresh_from_db()
    assert out.getvalue() == "Sent 1, failed 0 (queued for a retry), gave up on 0; 0 queued now.\n"
    assert (email.status, email.attempts, email.last_error) == (Status.SENT, 2, "")
    assert len(mailoutbox) == 1


def test_send_pending_emails_retry_now_ignores_the_backoff(settings, delegation, smtp_down, django_capture_on_commit_callbacks, mailoutbox):
    queued_message(delegation, django_capture_on_commit_callbacks)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    waiting, now = StringIO(), StringIO()

    call_command("send_pending_emails", stdout=waiting)
    call_command("send_pending_emails", "--retry-now", stdout=now)

    assert waiting.getvalue().startswith("Sent 0, failed 0") and waiting.getvalue().endswith("; 1 queued now.\n")
    assert now.getvalue().startswith("Sent 1, failed 0")
    assert len(mailoutbox) == 1


def test_send_pending_emails_with_nothing_to_do(db):
    out = StringIO()

    call_command("send_pending_emails", stdout=out)

    assert out.getvalue() == "Sent 0, failed 0 (queued for a retry), gave up on 0; 0 queued now.\n"


def test_send_pending_emails_limit(delegation, smtp_down, django_capture_on_commit_callbacks, settings, mailoutbox):
    for _ in range(3):
        queued_message(delegation, django_capture_on_commit_callbacks)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = StringIO()

    call_command("send_pending_emails", "--retry-now", "--limit", "2", "--batch", "1", stdout=out)

    assert out.getvalue().startswith("Sent 2, failed 0") and out.getvalue().endswith("; 1 queued now.\n")


def test_sent_message_is_never_sent_again(delegation, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(delegation)
    email = OutboxEmail.objects.get()

    again = outbox.outbox_email_send(email_id=email.pk)
    retried = outbox.outbox_retry(emails=[email])

    assert again == "skipped"
    assert (retried.sent, retried.skipped) == (0, 1)
    assert len(mailoutbox) == 1


def test_stale_claim_of_a_stopped_sender_is_queued_again(delegation, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        submit(delegation)
    now = timezone.now()
    OutboxEmail.objects.update(status=Status.SENDING, claim_token="dead", claimed_at=now - timedelta(minutes=61), attempts=1)

    summary = outbox.outbox_send_due(now=now)

    email = OutboxEmail.objects.get()
    assert (summary.sent, email.status, email.attempts) == (1, Status.SENT, 2)
    assert len(mailoutbox) == 1


def test_recent_claim_is_left_to_its_sender(delegation, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        submit(delegation)
    now = timezone.now()
    OutboxEmail.objects.update(status=Status.SENDING, claim_token="alive", claimed_at=now - timedelta(minutes=59))

    summary = outbox.outbox_send_due(now=now)

    assert (summary.sent, OutboxEmail.objects.get().status) == (0, Status.SENDING)
    assert mailoutbox == []


def test_failed_message_can_be_retried_and_sent(settings, delegation, smtp_down, django_capture_on_commit_callbacks, mailoutbox):
    settings.EMAIL_OUTBOX_MAX_ATTEMPTS = 1
    email = queued_message(delegation, django_capture_on_commit_callbacks)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    summary = outbox.outbox_retry(emails=[email])

    email.refresh_from_db()
    assert summary.sent == 1
    assert (email.status, email.attempts) == (Status.SENT, 2)


def test_due_messages_are_picked_with_skip_locked_on_postgresql(delegation, django_capture_on_commit_callbacks):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks; BEGIN IMMEDIATE and the conditional UPDATE decide there.")
    with django_capture_on_commit_callbacks(execute=False):
        submit(delegation)

    with CaptureQueriesContext(connection) as queries:
        outbox.outbox_send_due()

    picks = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
    assert len(picks) == 2  # one batch found the message, the next found none
    assert all(sql.endswith("FOR UPDATE SKIP LOCKED") for sql in picks)


def make_queued(count: int) -> list[int]:
    """``count`` committed queued messages, due now."""
    delegation = make_delegation(seats=count)
    registration = submit(delegation)  # its own "received" message is sent at once (autocommit)
    rendered = emails.registration_email_render(registration=registration, kind=OutboxEmail.Kind.CONFIRMED)
    rows = [OutboxEmail(registration=registration, recipient=registration.email, **rendered) for _ in range(count)]
    return [row.pk for row in OutboxEmail.objects.bulk_create(rows)]


def run_senders(senders: int) -> list[BaseException]:
    """``senders`` runs of send_pending_emails' work at the same instant."""
    barrier = threading.Barrier(senders)
    later = timezone.now() + timedelta(seconds=1)
    errors: list[BaseException] = []

    def sender():
        try:
            barrier.wait(timeout=30)
            outbox.outbox_send_due(now=later, batch=3)
        except BaseException as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sender) for _ in range(senders)]
    [thread.start() for thread in threads]
    [thread.join(timeout=120) for thread in threads]
    return errors


def sent_ids(mailoutbox) -> list[int]:
    return sorted(int(message.extra_headers["X-Outbox-Id"]) for message in mailoutbox)


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_each_message_exactly_once(settings, mailoutbox):
    ids = make_queued(30)
    mailoutbox.clear()
    settings.EMAIL_BACKEND = "tests.email_backends.SlowLocmemBackend"

    errors = run_senders(3)

    assert errors == []
    assert sent_ids(mailoutbox) == sorted(ids)
    assert OutboxEmail.objects.filter(pk__in=ids, status=Status.SENT, attempts=1).count() == 30


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_senders_without_the_claim_send_messages_twice(settings, mailoutbox, monkeypatch):
    """The same scenario without claiming (read the due rows and send them) sends duplicates."""
    ids = make_queued(30)
    mailoutbox.clear()
    settings.EMAIL_BACKEND = "tests.email_backends.SlowLocmemBackend"

    def read_without_claim(now, limit, ignore_backoff=False):
        return list(OutboxEmail.objects.filter(status=Status.QUEUED).order_by("pk")[:limit])

    monkeypatch.setattr(outbox, "_claim_due", read_without_claim)

    run_senders(3)

    assert len(mailoutbox) > len(ids)


def database_url() -> str:
    """The test database, as a DATABASE_URL for a separate process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_send_pending_emails_from_cron_exits_0_and_prints_the_summary():
    [email_id] = make_queued(1)
    environment = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SECRET_KEY": "x"}
    environment.pop("EMAIL_HOST", None)  # the console backend prints the message

    result = subprocess.run(
        [sys.executable, "manage.py", "send_pending_emails"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=django_settings.BASE_DIR,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("Sent 1, failed 0 (queued for a retry), gave up on 0; 0 queued now.\n")
    assert f"X-Outbox-Id: {email_id}" in result.stdout
    assert OutboxEmail.objects.get(pk=email_id).status == Status.SENT


def test_email_host_switches_to_the_smtp_backend():
    def backend(**env):
        code = "from django.conf import settings; print(settings.EMAIL_BACKEND, settings.EMAIL_PORT, settings.EMAIL_USE_TLS)"
        environment = {"DJANGO_SETTINGS_MODULE": "incheon_delegation.settings", "DJANGO_SECRET_KEY": "x", **env}
        result = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {code}"], env=environment, capture_output=True, text=True, check=True
        )
        return result.stdout.split()

    assert backend() == ["django.core.mail.backends.console.EmailBackend", "25", "False"]
    assert backend(EMAIL_HOST="smtp.example.com", EMAIL_PORT="587", EMAIL_USE_TLS="1") == [
        "django.core.mail.backends.smtp.EmailBackend",
        "587",
        "True",
    ]

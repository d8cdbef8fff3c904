"""What a submission does while it holds the delegation's lock: a few statements, no e-mail rendering.

The "received" message is recorded in the transaction (so it exists exactly when the registration
does) and rendered by whoever sends it, after commit: the request right after, or send_pending_emails.
"""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registrations import services
from registrations.models import OutboxEmail, Registration
from registrations.services import outbox
from tests.conftest import make_delegation, submission, submit

Kind, Status = OutboxEmail.Kind, Registration.Status


def test_a_first_come_submission_runs_a_fixed_handful_of_statements(db, django_capture_on_commit_callbacks):
    delegation = make_delegation(seats=30)
    submit(delegation), submit(delegation)
    payload = submission(delegation)

    with django_capture_on_commit_callbacks(execute=False), CaptureQueriesContext(connection) as queries:
        services.registration_submit(**payload)

    statements = [query["sql"].split()[0].upper() for query in queries.captured_queries]
    # Before the lock, the delegation's form questions (their answers are checked outside it); then the
    # transaction (a savepoint inside the test's), the lock, one statement for the counts, due expiries and
    # the duplicate check, the registration, its history and its outbox row. The lock is a statement where
    # rows are locked (PostgreSQL); SQLite's write transaction (BEGIN IMMEDIATE) already serialises. On
    # PostgreSQL the three rows are one statement (core.inserts.insert_linked: WITH ... INSERT ...).
    postgres = connection.vendor == "postgresql"
    lock = ["SELECT"] if postgres else []
    rows = ["WITH"] if postgres else ["INSERT", "INSERT", "INSERT"]
    assert statements == ["SELECT", "SAVEPOINT", *lock, "SELECT", *rows, "RELEASE"]
    if postgres:
        registration = Registration.objects.latest("pk")
        assert registration.status_changes.get().to_status == registration.status
        assert OutboxEmail.objects.get(registration=registration).kind == Kind.RECEIVED


def test_the_received_message_is_recorded_with_the_registration_and_rendered_after_commit(db, django_capture_on_commit_callbacks, mailoutbox):
    delegation = make_delegation(seats=2)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        registration = submit(delegation, full_name="Kim Minji")
        recorded = OutboxEmail.objects.get(registration=registration)

    assert (recorded.kind, recorded.status, recorded.subject, recorded.body_text) == (Kind.RECEIVED, "queued", "", "")
    assert recorded.render_state["status"] == Status.CONFIRMED
    assert len(callbacks) >= 1 and mailoutbox == []
    for callback in callbacks:  # the commit: the request sends (and so renders) it
        callback()
    sent = OutboxEmail.objects.get(pk=recorded.pk)
    assert (sent.status, sent.render_state, sent.attach_itinerary) == ("sent", None, True)
    assert sent.subject == f"Registration received (Confirmed): {delegation.title}"
    assert "Dear Kim Minji," in sent.body_text and "Dear Kim Minji," in mailoutbox[0].body


def test_a_message_left_unrendered_by_a_stopped_process_is_rendered_and_sent_by_the_cron(db, django_capture_on_commit_callbacks, mailoutbox):
    delegation = make_delegation(seats=1)
    with django_capture_on_commit_callbacks(execute=False):  # the process stops right after commit
        registration = submit(delegation)

    call_command("send_pending_emails", verbosity=0)

    email = OutboxEmail.objects.get(registration=registration)
    assert (email.status, email.render_state) == ("sent", None)
    [message] = mailoutbox
    assert message.subject == email.subject == f"Registration received (Confirmed): {delegation.title}"
    assert message.attachments and message.attachments[0][0].endswith("-itinerary.ics")


def test_the_received_message_says_what_was_true_at_submission_whenever_it_is_rendered(db, django_capture_on_commit_callbacks, mailoutbox):
    delegation = make_delegation(seats=1)
    with django_capture_on_commit_callbacks(execute=False):
        first = submit(delegation)
        waiting = services.registration_submit(**submission(delegation))
        services.registration_cancel(registration=first)  # the seat goes to the waiting person at once
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED

    outbox.outbox_send_due()

    received = OutboxEmail.objects.get(registration=waiting, kind=Kind.RECEIVED)
    assert received.subject == f"Registration received (On the waiting list): {delegation.title}"
    assert "you are number 1 on the waiting list" in received.body_text
    assert received.attach_itinerary is False
    assert OutboxEmail.objects.get(registration=waiting, kind=Kind.OFFER).status == "sent"


def test_check_constraints_are_still_validated_unless_they_name_an_excluded_field(db):
    delegation = make_delegation(seats=1)
    registration = Registration(delegation=delegation, sector=delegation.sectors.first(), status=Status.WAITLISTED, waitlist_position=None)

    with pytest.raises(ValidationError) as raised:
        registration.validate_constraints(exclude={"note"})
    registration.validate_constraints(exclude={"waitlist_position"})  # the form's case: not its field, not its check

    assert raised.value.messages == ["Constraint “waitlist_position_only_when_waitlisted” is violated."]

"""Under the seat lock, two messages on PostgreSQL (core.pipeline): the lock with the counts (raw_rows.raw_first's
``preceded_by``), then the rows with the COMMIT (inserts.insert_linked's ``commit``). The counts are still read after
the lock is granted, with a snapshot that holds the seat just committed; the early COMMIT commits only the outermost
transaction, nothing is half-saved when it fails, and the on_commit callbacks still run when the block ends."""

import threading
import time
from datetime import timedelta

import psycopg
import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, connections, transaction
from django.utils import timezone

from registrations import services
from registrations.core.inserts import insert_linked
from registrations.models import Answer, Invitation, Registration, StatusChange
from registrations.services import seats
from tests.conftest import make_delegation, submission, submit
from tests.helpers import other_connection
from tests.question_helpers import diet_question
from tests.test_inserts import a_registration

pytestmark = pytest.mark.django_db(transaction=True)


def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no row lock (BEGIN IMMEDIATE serialises) and no pipeline")


def _waiting_for_a_lock(monitor: psycopg.Connection, pid: int) -> bool:
    row = monitor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()
    return row is not None and row[0] == "Lock"


def test_the_lock_and_the_counts_are_sent_together_in_pipeline_mode():
    _postgresql_only()
    delegation = make_delegation(seats=3)
    submit(delegation)
    seen: list[tuple[bool, object]] = []

    def spy(execute, sql, params, many, context):
        seen.append(("FOR UPDATE" in sql, connection.connection.pgconn.pipeline_status))
        return execute(sql, params, many, context)

    with transaction.atomic(), connection.execute_wrapper(spy):
        counted = seats.delegation_lock_counted(delegation.pk, email="new@example.kr", now=timezone.now())

    assert counted.taking_count == 1 and counted.email_taken is False
    assert seen == [(True, psycopg.pq.PipelineStatus.ON), (False, psycopg.pq.PipelineStatus.ON)]
    assert connection.connection.pgconn.pipeline_status == psycopg.pq.PipelineStatus.OFF  # left when both answered


def test_counts_read_after_waiting_for_the_lock_hold_the_seat_committed_meanwhile():
    """The counts go out with the lock, but PostgreSQL starts them only once the lock is granted: they see the
    registration committed by the transaction that held it (one statement reading both would not)."""
    _postgresql_only()
    delegation = make_delegation(seats=3)
    submit(delegation)
    granted, asking, result, errors = threading.Event(), threading.Event(), {}, []

    def waiter():
        try:
            granted.wait(10)
            with transaction.atomic():
                result["pid"] = connection.connection.info.backend_pid
                asking.set()
                result["counted"] = seats.delegation_lock_counted(delegation.pk, email="x@example.kr", now=timezone.now())
        except Exception as error:  # noqa: BLE001 - reported to the test below
            errors.append(error)
        finally:
            asking.set()
            connections.close_all()

    thread = threading.Thread(target=waiter)
    thread.start()
    with transaction.atomic():
        seats.delegation_lock(delegation.pk)
        submit(delegation, email="meanwhile@example.kr")  # inside the lock's transaction: not committed yet
        granted.set()
        asking.wait(10)
        with other_connection() as monitor:
            for _ in range(200):
                if _waiting_for_a_lock(monitor, result["pid"]):
                    break
                time.sleep(0.01)
            else:
                raise AssertionError("the other submission never waited for the lock")
    thread.join(10)

    assert errors == []
    assert result["counted"].taking_count == 2  # the first one and the one committed while it waited


def test_a_lock_that_fails_is_raised_as_djangos_error_and_the_connection_goes_on():
    _postgresql_only()
    delegation = make_delegation(seats=3)
    holder = other_connection()
    try:
        holder.execute("BEGIN")
        holder.execute(f"SELECT id FROM {delegation._meta.db_table} WHERE id = %s FOR UPDATE", [delegation.pk])
        with pytest.raises(OperationalError, match="lock"):
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '50ms'")
                seats.delegation_lock_counted(delegation.pk, email="x@example.kr", now=timezone.now())
    finally:
        holder.close()

    registration = submit(delegation)  # the same connection, out of pipeline mode, takes the lock again
    assert registration.status == Registration.Status.CONFIRMED
    assert connection.connection.pgconn.pipeline_status == psycopg.pq.PipelineStatus.OFF


def _visible_elsewhere(registration_pk: int) -> bool:
    with other_connection() as other:
        return other.execute(f"SELECT 1 FROM {Registration._meta.db_table} WHERE id = %s", [registration_pk]).fetchone() is not None


def _with_history(saved: Registration) -> list:
    return [(StatusChange(registration=saved, from_status="", to_status=saved.status), "registration")]


def test_the_rows_and_the_commit_go_out_together_and_the_callbacks_still_wait_for_the_block():
    _postgresql_only()
    delegation = make_delegation(seats=3)
    ran, statuses = [], []

    def spy(execute, sql, params, many, context):
        statuses.append(connection.connection.pgconn.pipeline_status)
        return execute(sql, params, many, context)

    with transaction.atomic():
        transaction.on_commit(lambda: ran.append("callback"))
        registration = a_registration(delegation, "kim@example.kr")
        with connection.execute_wrapper(spy):
            [change] = insert_linked(registration, children=_with_history, commit=True)
        assert _visible_elsewhere(registration.pk)  # committed with the INSERT's message
        assert change.pk is not None and change.registration_id == registration.pk
        assert ran == []  # on_commit callbacks run when the block ends, as always
    assert ran == ["callback"]
    assert statuses == [psycopg.pq.PipelineStatus.ON]
    assert connection.connection.pgconn.pipeline_status == psycopg.pq.PipelineStatus.OFF
    assert connection.connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE


def test_inside_an_outer_transaction_the_commit_is_left_to_it():
    _postgresql_only()
    delegation = make_delegation(seats=3)

    with pytest.raises(RuntimeError, match="the caller changed its mind"):
        with transaction.atomic():
            with transaction.atomic():
                registration = a_registration(delegation, "kim@example.kr")
                insert_linked(registration, children=_with_history, commit=True)
            assert not _visible_elsewhere(registration.pk)
            raise RuntimeError("the caller changed its mind")

    assert not Registration.objects.filter(pk=registration.pk).exists()


def test_an_address_refused_by_the_constraint_in_the_commits_message_saves_nothing(monkeypatch):
    _postgresql_only()
    delegation = make_delegation(seats=3)
    diet = diet_question(delegation)
    first = submit(delegation, email="same@example.kr", answers={diet.pk: "halal"})
    monkeypatch.setattr(seats, "_check_can_submit", lambda **kwargs: None)  # only the unique index is left to refuse it

    with pytest.raises(ValidationError) as refused:
        submit(delegation, email="same@example.kr", answers={diet.pk: "vegetarian"})

    assert refused.value.error_dict["email"][0].code == seats.DUPLICATE_EMAIL
    assert list(Registration.objects.values_list("pk", flat=True)) == [first.pk]
    assert list(Answer.objects.values_list("registration_id", "value")) == [(first.pk, "halal")]
    assert StatusChange.objects.count() == 1
    assert submit(delegation, email="next@example.kr").status == Registration.Status.CONFIRMED  # the connection goes on


def test_an_invited_submission_with_answers_commits_all_of_it_in_the_last_message():
    _postgresql_only()
    delegation = make_delegation(seats=3)
    diet = diet_question(delegation, required=True)
    invitation = services.invitation_create(
        delegation=delegation,
        full_name="Invited",
        email="invited@example.kr",
        sector=delegation.sectors.first(),
        expires_at=timezone.now() + timedelta(days=3),
    )

    registration = services.registration_submit(**submission(delegation, invitation=invitation, answers={diet.pk: "halal"}))

    assert registration.status == Registration.Status.CONFIRMED
    assert list(registration.answers.values_list("question_id", "value")) == [(diet.pk, "halal")]
    assert Invitation.objects.get(pk=invitation.pk).used_at is not None
    assert registration.emails.count() == 1 and registration.status_changes.count() == 1

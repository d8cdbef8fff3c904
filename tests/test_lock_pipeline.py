"""The seat lock and the counts under it go out in one message on PostgreSQL (raw_rows.raw_first's ``preceded_by``),
and the counts are still read after the lock is granted, with a snapshot that holds the seat just committed."""

import threading
import time

import psycopg
import pytest
from django.db import OperationalError, connection, connections, transaction
from django.utils import timezone

from registrations.models import Registration
from registrations.services import seats
from tests.conftest import make_delegation, submit

pytestmark = pytest.mark.django_db(transaction=True)


def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no row lock (BEGIN IMMEDIATE serialises) and no pipeline")


def _other_connection() -> psycopg.Connection:
    params = connection.get_connection_params()
    return psycopg.connect(dbname=params["dbname"], user=params.get("user"), host=params.get("host"), port=params.get("port"), autocommit=True)


def _waiting_for_a_lock(monitor: psycopg.Connection, pid: int) -> bool:
    row = monitor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()
    return row is not None and row[0] == "Lock"


def test_the_lock_and_the_counts_are_sent_together_in_pipeline_mode():
    _postgresql_only()
    delegation = make_delegation(seats=3)
    submit(delegation)
    seen: list[tuple[str, object]] = []

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
    granted, done, result, errors = threading.Event(), threading.Event(), {}, []

    def waiter():
        try:
            granted.wait(10)
            with transaction.atomic():
                result["pid"] = connection.connection.info.backend_pid
                done.set()
                result["counted"] = seats.delegation_lock_counted(delegation.pk, email="x@example.kr", now=timezone.now())
        except Exception as error:  # noqa: BLE001 - reported to the test below
            errors.append(error)
        finally:
            done.set()
            connections.close_all()

    thread = threading.Thread(target=waiter)
    thread.start()
    with transaction.atomic():
        seats.delegation_lock(delegation.pk)
        submit(delegation, email="meanwhile@example.kr")  # inside the lock's transaction: not committed yet
        granted.set()
        done.wait(10)
        with _other_connection() as monitor:
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
    holder = _other_connection()
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

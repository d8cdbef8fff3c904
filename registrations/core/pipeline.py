"""Statements sent to PostgreSQL in one message: psycopg's pipeline mode, for the few round trips under the seat lock.

Inside ``sent_together(connection)`` a statement executed through a cursor is queued, not answered; when the block
ends, everything queued goes out with one Sync and every answer is read, into each statement's cursor (read it after
the block). PostgreSQL still runs the statements one after the other, each with its own snapshot (read committed),
so a statement queued after a lock runs once the lock is granted. Only for statements whose answers nothing reads
before the block ends: in pipeline mode a cursor's ``rowcount`` is not known until then, and the ORM's saves read it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache


@lru_cache(maxsize=1)
def pipeline_supported() -> bool:
    """libpq 14 or later (psycopg's binary package bundles one)."""
    from psycopg import Pipeline

    return Pipeline.is_supported()


def can_send_together(connection) -> bool:
    return connection.vendor == "postgresql" and pipeline_supported()


@contextmanager
def sent_together(connection) -> Iterator[None]:
    """The statements executed inside go out in one message and are answered together when the block ends; their
    errors are raised then, as Django's (``IntegrityError``, ``OperationalError``...). Elsewhere than on PostgreSQL
    with pipeline support: nothing (each statement is answered as it runs). The connection must be open: take a
    cursor before entering (Django connects and runs its health check there, which pipeline mode would refuse)."""
    if not can_send_together(connection):
        yield
        return
    with connection.wrap_database_errors, connection.connection.pipeline():
        yield


def commits_here(connection) -> bool:
    """Whether the transaction open on ``connection`` is the outermost ``atomic()`` block's own, which commits when it
    ends: a COMMIT sent early (``core.inserts.insert_linked(commit=True)``) then commits what that block would have."""
    return (
        can_send_together(connection)
        and connection.in_atomic_block
        and not connection.savepoint_ids  # no atomic() nested inside, nor an outer one around it
        and connection.commit_on_exit
        and not connection.needs_rollback
    )

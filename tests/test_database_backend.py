"""registrations.core.postgresql: Django's backend, with the health check sent by libpq itself."""

import time

import pytest
from django.conf import settings
from django.db import connection

from tests.helpers import other_connection


def _terminated(pid: int) -> None:
    """End that server process from another connection, as a PostgreSQL restart does, and wait until it is gone."""
    with other_connection() as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(100):
            if not other.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
                return
            time.sleep(0.02)
    raise AssertionError("the server process did not end")


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_closed_fails_the_health_check_and_is_replaced_before_use():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    assert settings.DATABASES["default"]["ENGINE"] == "registrations.core.postgresql"
    connection.ensure_connection()
    assert connection.is_usable()
    old_pid = connection.connection.info.backend_pid

    _terminated(old_pid)

    assert connection.is_usable() is False
    connection.health_check_enabled, connection.health_check_done = True, False  # a new request on a kept connection
    with connection.cursor() as cursor:  # Django checks first, closes the dead one and connects again
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != old_pid
    assert connection.is_usable()

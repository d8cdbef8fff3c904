"""Django's PostgreSQL backend (settings.DATABASES: ENGINE ``registrations.core.postgresql``), with a lighter health check.

With ``CONN_HEALTH_CHECKS`` (settings.py sets it) Django checks a kept connection once per request before its first
query, with ``SELECT 1`` through a psycopg cursor: 130–180 µs of CPU (a few per cent of a submission), most of it
psycopg's cursor and statement-preparation machinery around one round trip. Here libpq sends the same statement
itself (``PGconn.exec_``, one round trip, 30–45 µs): a connection the server has closed (a restart) is still found and
replaced before the request uses it. Everything else is Django's backend.
"""

from django.db.backends.postgresql import base
from psycopg import pq

Database = base.Database


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        if self.connection is None:
            return False
        try:
            result = self.connection.pgconn.exec_(b"SELECT 1")
        except Database.Error:
            return False
        return result.status == pq.ExecStatus.TUPLES_OK and self.connection.pgconn.status == pq.ConnStatus.OK

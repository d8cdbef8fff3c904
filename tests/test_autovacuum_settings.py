"""PostgreSQL: the registrations table is vacuumed and analysed after every 500 new or changed rows (migration 0035),
so that the seat lock's index-only count reads few rows from the table itself during a rush of registrations."""

import pytest
from django.db import connection

from registrations.models import Registration

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="autovacuum: PostgreSQL only (CI's PostgreSQL run)")


@pytest.mark.django_db
def test_the_registrations_table_is_vacuumed_after_every_500_rows_whatever_its_size():
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE oid = %s::regclass", [Registration._meta.db_table])
        options = dict(option.split("=", 1) for option in cursor.fetchone()[0])
    assert options["autovacuum_vacuum_insert_threshold"] == "500"
    assert options["autovacuum_vacuum_insert_scale_factor"] == "0"
    assert options["autovacuum_analyze_threshold"] == "500"
    assert options["autovacuum_analyze_scale_factor"] == "0"

"""PostgreSQL with server-side binding (DATABASE_SERVER_SIDE_BINDING, as deployed with kept connections): the raw
statements of the public page and the seat lock stay usable when a migration, run from another connection, adds a
column while processes of the previous release still hold them prepared."""

import pytest
from django.db import connection
from django.utils import timezone

from registrations import selectors
from registrations.models import Delegation
from tests.conftest import make_delegation
from tests.helpers import other_connection

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql" or not connection.settings_dict.get("OPTIONS", {}).get("server_side_binding"),
    reason="prepared statements: PostgreSQL with server-side binding only (CI's PostgreSQL run)",
)


def read_both(delegation) -> tuple[int, int]:
    page = selectors.delegation_page(slug=delegation.slug)
    state = selectors.delegation_submission_state(pk=delegation.pk, email="x@example.com", now=timezone.now())
    return page.seats, state.seats


@pytest.mark.django_db(transaction=True)
def test_prepared_raw_statements_survive_a_column_added_to_the_delegation_table_elsewhere():
    delegation = make_delegation(seats=3)
    for _ in range((connection.connection.prepare_threshold or 0) + 2):  # prepared on this connection by now
        assert read_both(delegation) == (3, 3)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["SELECT d.%"])
        assert cursor.fetchone()[0] == 2
    table = Delegation._meta.db_table
    with other_connection() as other:
        other.execute(f"ALTER TABLE {table} ADD COLUMN added_by_next_release integer")  # the next release's migration
        try:
            assert read_both(delegation) == (3, 3)
        finally:
            other.execute(f"ALTER TABLE {table} DROP COLUMN added_by_next_release")


@pytest.mark.django_db(transaction=True)
def test_the_seat_state_statement_keeps_one_plan_instead_of_planning_every_submission():
    """Under the seat lock PostgreSQL runs the statement's kept plan: it does not plan it again for each submission
    (with the delegation's id as a parameter, the kept plan had to guess the size of an unknown delegation; with
    most registrations in one delegation it guessed a sequential scan and planned every execution afresh)."""
    from registrations.models import Registration

    Status = Registration.Status

    busy, quiet = make_delegation(seats=5_000), make_delegation(seats=5)
    sector = busy.sectors.first()
    Registration.objects.bulk_create(
        Registration(
            delegation=busy,
            sector=sector,
            full_name=f"P{n}",
            company="C",
            job_title="CEO",
            email=f"p{n}@example.com",
            status=Status.CONFIRMED,
            consent_at=timezone.now(),
        )
        for n in range(3_000)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Registration._meta.db_table}")
    threshold = connection.connection.prepare_threshold or 0
    runs = threshold + 5 + 20  # psycopg prepares it after ``threshold`` runs; PostgreSQL tries 5 custom plans first
    for _ in range(runs):
        assert selectors.delegation_submission_state(pk=quiet.pk, email="x@example.com", now=timezone.now()).seats == 5
    with connection.cursor() as cursor:
        cursor.execute("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE %s", ["%AS offerable_count%"])
        generic, custom = cursor.fetchone()
    assert custom <= 5
    assert generic >= 20

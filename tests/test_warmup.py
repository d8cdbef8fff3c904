"""The master's warm-up before gunicorn forks: built once, inherited by every worker; no connection opened."""

from django.db import connections
from django.utils.translation import trans_real

from incheon_delegation.warmup import warm_up


def test_warm_up_loads_every_catalogue_and_leaves_no_database_connection(settings):
    warm_up()

    assert {code for code, _name in settings.LANGUAGES} <= set(trans_real._translations)
    assert all(connection.connection is None for connection in connections.all())

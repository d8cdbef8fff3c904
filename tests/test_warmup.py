"""The master's warm-up before gunicorn forks: built once, inherited by every worker; no connection opened."""

from django.db import connections
from django.utils.translation import trans_real

from incheon_delegation.warmup import warm_up


def test_warm_up_loads_every_catalogue_and_leaves_no_database_connection(settings):
    warm_up()

    assert {code for code, _name in settings.LANGUAGES} <= set(trans_real._translations)
    assert all(connection.connection is None for connection in connections.all())


def test_the_hook_warms_up_this_app_only_not_another_app_served_with_the_same_configuration(monkeypatch):
    import runpy
    from types import SimpleNamespace

    from incheon_delegation import warmup

    calls = []
    monkeypatch.setattr(warmup, "warm_up", lambda: calls.append("warmed"))
    config = runpy.run_path(str(settings_base_dir() / "gunicorn.conf.py"))

    config["when_ready"](SimpleNamespace(app=SimpleNamespace(app_uri="floorapp:application")))  # the bench's floor page
    assert calls == []
    config["when_ready"](SimpleNamespace(app=SimpleNamespace(app_uri="incheon_delegation.wsgi:application")))
    assert calls == ["warmed"]


def settings_base_dir():
    from django.conf import settings

    return settings.BASE_DIR

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
    monkeypatch.setattr(warmup, "freeze_for_fork", lambda: calls.append("frozen"))
    config = runpy.run_path(str(settings_base_dir() / "gunicorn.conf.py"))

    config["when_ready"](SimpleNamespace(app=SimpleNamespace(app_uri="floorapp:application")))  # the bench's floor page
    assert calls == []
    config["when_ready"](SimpleNamespace(app=SimpleNamespace(app_uri="incheon_delegation.wsgi:application")))
    assert calls == ["warmed", "frozen"]


def test_a_worker_forked_after_the_freeze_collects_only_what_it_made_itself():
    """Without the freeze a worker's full collection walks every object of the master (~345,000 in the app),
    writing to each: a pause of 130-160 ms and the master's pages copied into the worker."""
    import gc
    import os

    from incheon_delegation.warmup import freeze_for_fork

    gc.collect()  # what is garbage now is not counted (freeze_for_fork collects it first too)
    held = len(gc.get_objects())
    freeze_for_fork()
    try:
        reading, writing = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker
            try:
                gc.collect()
                os.write(writing, f"{len(gc.get_objects())} {gc.get_freeze_count()}".encode())
            finally:
                os._exit(0)
        _wait_for(pid)
        tracked, frozen = map(int, os.read(reading, 100).split())
        os.close(reading)
        os.close(writing)
    finally:
        gc.unfreeze()
    assert frozen > held * 0.9 > 10_000
    assert tracked < held / 20


def _wait_for(pid: int, seconds: float = 30) -> None:
    """The forked child's end; killed, and the test failed, if it hangs (a fork of a process with threads can)."""
    import os
    import signal
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return
        time.sleep(0.02)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    raise AssertionError(f"the forked worker did not end within {seconds} s")


def settings_base_dir():
    from django.conf import settings

    return settings.BASE_DIR

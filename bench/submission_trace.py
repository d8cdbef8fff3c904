"""The timeline of one submission in one process: every SQL statement and Redis command, with CPU and wall offsets.

    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/submission_trace.py

Run after bench/cpu_per_request.py (it seeds the "cpu-bench" delegation in the same scratch database and sets the
same environment: DJANGO_DEBUG=0, EMAIL_SEND_AFTER_COMMIT=0, DJANGO_TRUSTED_PROXIES=127.0.0.1, a high
RATELIMIT_PER_ADDRESS). Prints what runs between the lock and COMMIT (the time every other submission waits).
On PostgreSQL the statements under the lock go out in two messages (core/pipeline.py): the lock with the counts, the
INSERT with the COMMIT. Their "(answer)" marks only say that each was queued; the answers have come when the next
statement is sent. The "COMMIT" line is Django's commit at the end of the atomic block, which then finds the
transaction already committed (it ends the figure printed for the lock: a little after the lock was released).
"""

import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "incheon_delegation.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402

from bench.cpu_per_request import call, prepared_post  # noqa: E402

app = get_wsgi_application()

import redis.client  # noqa: E402
from django.db import connection  # noqa: E402

from registrations.models import Delegation  # noqa: E402

events: list[tuple[float, float, str]] = []
started = [0.0, 0.0]


def mark(what: str) -> None:
    events.append((time.process_time() - started[0], time.perf_counter() - started[1], what))


real_command = redis.client.Redis.execute_command


def traced_command(self, *args, **options):
    result = real_command(self, *args, **options)
    mark(f"redis {args[0]} {str(args[1])[:48]}")
    return result


def traced_sql(execute, sql, params, many, context):
    mark("sql   " + ("FOR UPDATE: " if "FOR UPDATE" in sql else "") + re.sub(r"\s+", " ", sql)[:80])
    result = execute(sql, params, many, context)
    mark("      (answer)")
    return result


def traced_commit(real_commit):
    def commit():
        mark("sql   COMMIT")
        real_commit()
        mark("      (answer)")

    return commit


def main() -> None:
    redis.client.Redis.execute_command = traced_command
    connection.ensure_connection()
    connection._commit = traced_commit(connection._commit)
    delegation = Delegation.objects.get(slug="cpu-bench")
    form = f"/d/{delegation.slug}/register/"
    for number in range(20):  # warm, then keep the last one
        body, cookie, _ = prepared_post(app, delegation, 10**6 + number)  # a number apart from cpu_per_request's
        events.clear()
        started[:] = [time.process_time(), time.perf_counter()]
        with connection.execute_wrapper(traced_sql):
            status, _, _ = call(app, "POST", form, body=body, cookies=cookie, address=f"10.77.{number}.1")
        mark(f"end ({status})")
    names = [what for _, _, what in events]
    first = next(index for index, what in enumerate(names) if "FOR UPDATE" in what)
    last = next(index for index, what in enumerate(names) if what == "sql   COMMIT") + 1  # COMMIT's answer
    for index, (cpu, wall, what) in enumerate(events):
        print(f"{cpu * 1e3:7.2f} ms CPU {wall * 1e3:7.2f} ms wall  {'| ' if first <= index <= last else '  '}{what}")
    print(
        f"\nlock held (marked |): {(events[last][1] - events[first][1]) * 1e3:.2f} ms wall, "
        f"{(events[last][0] - events[first][0]) * 1e3:.2f} ms of this process's CPU"
    )


if __name__ == "__main__":
    main()

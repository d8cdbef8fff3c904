"""How long one submission holds the seat lock, in one process, with and without other processes busy on the CPU.

    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/lock_hold.py [--busy 3] [--count 300]

Run after bench/cpu_per_request.py (it seeds the "cpu-bench" delegation in the same scratch database; set the same
environment as bench/submission_trace.py). Empties that delegation (and vacuums), then submits ``--count`` registrations one after the other through the WSGI
application and times, for each, the wall time from the moment the lock's statement is sent to the moment COMMIT
has answered: every other submission waits that long. ``--busy N`` starts N processes that only spin, as busy
gunicorn workers do during a burst: each answer from PostgreSQL then waits for this process to get a CPU back, so
the figure shows what each round trip under the lock costs when the machine is loaded. Prints the median and p90
for each setting, alternated over ``--rounds`` rounds. To compare two checkouts, copy this file into the other's
``bench/`` and run it there (it imports the checkout it lies in).
"""

import argparse
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "incheon_delegation.settings")


def spin(stop) -> None:
    while not stop.is_set():
        for _ in range(10_000):
            pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--busy", type=int, default=3, help="spinning processes in the loaded setting")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--without-pipeline",
        action="store_true",
        help="also measure, alternated round by round, every statement under the lock sent and answered on its own",
    )
    args = parser.parse_args()

    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    from django.db import connection, transaction

    from bench.cpu_per_request import call, prepared_post
    from registrations.models import Delegation, Registration

    delegation = Delegation.objects.get(slug="cpu-bench")
    form = f"/d/{delegation.slug}/register/"
    held: list[float] = []
    started = [0.0]

    def stamp(execute, sql, params, many, context):
        if "FOR UPDATE" in sql and connection.in_atomic_block:
            started[0] = time.perf_counter()
            transaction.on_commit(lambda: held.append(time.perf_counter() - started[0]))  # runs right after COMMIT
        return execute(sql, params, many, context)

    number = [2 * 10**6 + os.getpid() % 1000 * 10**4]

    def submissions(count: int) -> list[float]:
        # The same delegation each time: emptied and vacuumed, so that the counts under the lock read as many rows.
        Registration.objects.filter(delegation=delegation).delete()
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {Registration._meta.db_table}")
        held.clear()
        for _ in range(count):
            number[0] += 1
            body, cookie, _ = prepared_post(app, delegation, number[0])
            with connection.execute_wrapper(stamp):
                status, _, _ = call(app, "POST", form, body=body, cookies=cookie, address=f"10.78.{number[0] % 250}.1")
            if not status.startswith("302"):
                raise SystemExit(f"submission answered {status}")
        return list(held)

    if args.without_pipeline:  # only this checkout has core/pipeline.py; an older one is measured without the flag
        from registrations.core import pipeline as pipelines

        pipelined = pipelines.pipeline_supported

    def settings() -> list[tuple[str, bool]]:
        return [("", True), (" without pipeline", False)] if args.without_pipeline else [("", True)]

    submissions(20)  # warm
    figures: dict[str, list[list[float]]] = {}
    for _ in range(args.rounds):
        for busy in (0, args.busy):
            stop = multiprocessing.Event()
            workers = [multiprocessing.Process(target=spin, args=(stop,), daemon=True) for _ in range(busy)]
            for worker in workers:
                worker.start()
            time.sleep(0.2)
            try:
                for label, pipeline in settings():
                    if args.without_pipeline:
                        pipelines.pipeline_supported = pipelined if pipeline else (lambda: False)
                    figures.setdefault(f"{busy} busy{label}", []).append(submissions(args.count))
            finally:
                if args.without_pipeline:
                    pipelines.pipeline_supported = pipelined
                stop.set()
                for worker in workers:
                    worker.join()
    for name, rounds in figures.items():
        cells = []
        for values in rounds:
            values.sort()
            cells.append(f"median {statistics.median(values) * 1e3:.2f} p90 {values[int(len(values) * 0.9)] * 1e3:.2f}")
        print(f"lock held, {name:>24}: " + " | ".join(cells) + " ms")


if __name__ == "__main__":
    main()

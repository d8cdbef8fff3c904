"""The burst and back-to-back submission scenarios of bench/run.py, with the CPU time of every process per request.

    .venv/bin/python bench/submission_cpu.py [--db NAME] [--port 8125] [--per-client 20] [--skip-burst] [--admin-rows N] [--prefill N]
    ROOT_DIR=/path/to/another/checkout .venv/bin/python bench/submission_cpu.py --db other --port 8126

Recreates the PostgreSQL database NAME (on 127.0.0.1), loads the bench data (--admin-rows registrations in the admin-list delegation, 10 unless told;
--prefill: registrations already in the back-to-back delegation, as make bench's paced scenario leaves), starts gunicorn (4 workers, the checkout's gunicorn.conf.py) and runs the burst (200 people, 30 seats) and 50 clients
submitting back to back, like bench/run.py. For each scenario it prints req/s, p50/p99, and the CPU time (from
/proc: user + system) of the gunicorn master and workers, this database's PostgreSQL backends, redis-server
and this client, divided by the requests; then the memory of each worker (Pss, private dirty pages). Redis is shared with other users of the machine: its figure is rough.
With SPY=file and py-spy installed, the back-to-back scenario is also sampled (--gil, raw stacks, all workers).
"""

import argparse
import os
import secrets
import sys
import time
from pathlib import Path

ROOT = os.environ.get("ROOT_DIR", str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, ROOT)
os.chdir(ROOT)
import psycopg  # noqa: E402

from bench import load  # noqa: E402
from bench import run as B  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def cpu_of(pid: int, *, system_only: bool = False) -> float:
    """User + system CPU seconds of a process (0 if it is gone); ``system_only``: the kernel's part alone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[12]) + (0 if system_only else int(fields[11]))) / TICK


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1] == str(pid):
                    found.append(int(entry))
            except (FileNotFoundError, IndexError):
                pass
    return found


def memory_of(pid: int) -> dict:
    """Pss and Private_Dirty of a process in MiB (/proc/PID/smaps_rollup); {} if it is gone."""
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except FileNotFoundError:
        return {}
    fields = dict(line.split(":", 1) for line in lines if ":" in line)
    return {name: int(fields[name].split()[0]) / 1024 for name in ("Pss", "Private_Dirty") if name in fields}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="submission_cpu")
    parser.add_argument("--port", type=int, default=8125)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--per-client", type=int, default=20)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--skip-burst", action="store_true")
    parser.add_argument(
        "--prefill", type=int, default=0, help="registrations already in the back-to-back delegation (make bench: ~2,000 from its paced scenario)"
    )
    parser.add_argument("--vacuum", action="store_true", help="VACUUM ANALYZE the database after loading it (what autovacuum does in time)")
    parser.add_argument("--admin-rows", type=int, default=10, help="registrations in the admin-list delegation (make bench: 10,000)")
    options = parser.parse_args()
    url = f"postgres://postgres@127.0.0.1:5432/{options.db}"
    env = B.server_env(
        argparse.Namespace(port=options.port, database_url=url, workers=options.workers, send_in_request=False), "redis://127.0.0.1:6379/0"
    )
    B.recreate_database(url)
    B.manage(env, "migrate", "--noinput")
    B.manage(env, "collectstatic", "--noinput")
    os.environ.update(
        {
            key: env[key]
            for key in (
                "DJANGO_SETTINGS_MODULE",
                "DJANGO_SECRET_KEY",
                "DJANGO_DEBUG",
                "SITE_URL",
                "DATABASE_URL",
                "REDIS_URL",
                "CACHE_KEY_PREFIX",
                "EMAIL_SEND_AFTER_COMMIT",
            )
        }
    )
    import django

    django.setup()
    from django.db import connection

    from bench import data as bench_data

    data = bench_data.prepare(admin_rows=options.admin_rows)
    if options.prefill:
        bench_data.prefill(bench_data.SUBMIT_SLUG, options.prefill)
    if options.vacuum:
        B.vacuum(url)
    connection.close()
    log = Path(ROOT) / "bench" / "results" / f"server-{options.port}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    server = B.start_server(env, options.port, log)
    admin = psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True)
    redis_pid = int(os.popen("pidof redis-server").read().split()[0])

    def snapshot() -> dict:
        backends = [row[0] for row in admin.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", (options.db,))]
        workers = [server.pid, *children(server.pid)]
        return {
            "gunicorn": sum(cpu_of(pid) for pid in workers),
            "gunicorn_kernel": sum(cpu_of(pid, system_only=True) for pid in workers),
            "postgres": sum(cpu_of(pid) for pid in backends),
            "redis": cpu_of(redis_pid),
            "client": time.process_time(),
        }

    marks: dict = {}

    def mark_start() -> None:  # the burst's instant: its form GETs are not counted
        marks["before"] = snapshot()

    def measure(name: str, scenario) -> None:
        marks["before"], load_before = snapshot(), os.getloadavg()[0]
        result = load.run(scenario)
        before = marks["before"]
        after = snapshot()
        row, count = result.summary(), result.requests
        print(
            f"{name:14} n={count} errors={result.errors} {row['rps']:.1f} req/s p50 {row['p50_ms']:.0f} ms "
            f"p99 {row['p99_ms']:.0f} ms (load average {load_before:.2f})"
        )
        print(
            "   CPU ms per request: "
            + ", ".join(f"{key} {(after[key] - before[key]) / count * 1e3:.2f}" for key in after if key != "gunicorn_kernel")
            + f", total {sum(after[key] - before[key] for key in after if key != 'gunicorn_kernel') / count * 1e3:.2f}"
            + f" (gunicorn's part in the kernel: {(after['gunicorn_kernel'] - before['gunicorn_kernel']) / count * 1e3:.2f})"
        )

    base, run = f"http://127.0.0.1:{options.port}", secrets.token_hex(3)
    try:
        if not options.skip_burst:
            measure(
                "burst",
                load.burst(
                    "burst",
                    f"{base}/d/incheon-tech-week/register/",
                    sector_id=data["burst_sector"],
                    people=options.burst,
                    run=run,
                    on_start=mark_start,
                ),
            )
            print("   outcome", bench_data.burst_outcome())
        spy = None
        if os.environ.get("SPY"):
            import subprocess

            spy = subprocess.Popen(
                [
                    os.environ.get("PY_SPY", "py-spy"),
                    "record",
                    "--gil",
                    "--subprocesses",
                    "-r",
                    "400",
                    "-f",
                    "raw",
                    "-o",
                    os.environ["SPY"],
                    "--pid",
                    str(server.pid),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(1)
        measure(
            "back to back",
            load.submit_load(
                "back to back",
                f"{base}/d/bench-submissions/register/",
                sector_id=data["submit_sector"],
                clients=options.clients,
                per_client=options.per_client,
                seconds=40,
                run=run,
                first=100_000,
            ),
        )
        if spy is not None:
            import signal

            spy.send_signal(signal.SIGINT)
            spy.wait(timeout=30)

        def shown(memory: dict) -> str:
            return f"Pss {memory['Pss']:.1f}, private {memory['Private_Dirty']:.1f}" if memory else "gone"

        print(
            "memory after both scenarios (MiB): workers "
            + "; ".join(shown(memory_of(pid)) for pid in children(server.pid))
            + f"; the master {shown(memory_of(server.pid))}"
        )
    finally:
        B.stop_server(server)


if __name__ == "__main__":
    main()

"""The public pages' throughput as a ratio of the floor (a bare Django page), measured with wrk.

Starts the production stack (gunicorn, the repository's gunicorn.conf.py, DEBUG off, WhiteNoise) on
SQLite or PostgreSQL (+ Redis when --redis-url is given) with the demo delegation, and the floor app
of /work/shared/bench-floor (README there) with the same gunicorn and worker count; then runs wrk in
alternating rounds (floor, delegation page, registration form, ...) and prints, per page, the median
over the rounds of app req/s divided by the floor's req/s of the same round.

    .venv/bin/python bench/floor_ratio.py
    .venv/bin/python bench/floor_ratio.py --database-url postgres://postgres@127.0.0.1:5432/floor_ratio \
        --redis-url redis://127.0.0.1:6379/0

wrk is a Debian package (`apt-get install -y wrk`). The PostgreSQL database is dropped and created.
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import dj_database_url
import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))

PAGES = {"delegation page": "/d/incheon-tech-week/", "registration form": "/d/incheon-tech-week/register/"}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="postgres://... (dropped and created); SQLite in a temporary directory without it.")
    parser.add_argument("--redis-url", default="", help="Shared cache; '' (default) for the database cache.")
    parser.add_argument("--floor-dir", type=Path, default=Path("/work/shared/bench-floor"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=5, help="Duration of each wrk run.")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=8106)
    parser.add_argument("--floor-port", type=int, default=8099)
    return parser.parse_args(argv)


def recreate_database(url: str) -> None:
    config = dj_database_url.parse(url)
    params = {
        "host": config["HOST"] or "127.0.0.1",
        "port": config["PORT"] or 5432,
        "user": config["USER"] or "postgres",
        "password": config["PASSWORD"] or None,
        "dbname": "postgres",
    }
    with psycopg.connect(**params, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{config["NAME"]}"')


def manage(env: dict, *arguments: str) -> None:
    subprocess.run([PYTHON, "manage.py", *arguments], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def start(command: list[str], *, env: dict, log: Path, url: str) -> subprocess.Popen:
    """Start a server in its own process group; return once ``url`` answers 200."""
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    for _ in range(60):
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.5)
    stop(process)
    raise SystemExit(f"{command[0]} did not start; see {log}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def wrk(args: argparse.Namespace, url: str) -> float:
    """Requests per second of one wrk run; refuses a run with errors or non-2xx answers."""
    out = subprocess.run(
        ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.seconds}s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise SystemExit(f"wrk saw errors on {url}:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def measure(args: argparse.Namespace) -> dict:
    """Serve the app and the floor, run the alternating wrk rounds; the rates and ratios of every round."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk (a Debian package; `make bench` installs it)")
    workdir = Path(tempfile.mkdtemp(prefix="floor-ratio-"))
    if args.database_url:
        recreate_database(args.database_url)
        database_url = args.database_url
    else:
        database_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "incheon_delegation.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_DEBUG": "0",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "60",
        "REDIS_URL": args.redis_url,
        "CACHE_KEY_PREFIX": f"floor-{secrets.token_hex(4)}",
        "WEB_CONCURRENCY": str(args.workers),
        "SITE_URL": f"http://127.0.0.1:{args.port}",
    }
    for command in (["migrate", "--noinput"], ["createcachetable"], ["collectstatic", "--noinput", "-v", "0"], ["seed_demo"]):
        manage(env, *command)
    base, floor_url = f"http://127.0.0.1:{args.port}", f"http://127.0.0.1:{args.floor_port}/"
    app = start(
        [GUNICORN, "incheon_delegation.wsgi:application"],
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{args.port}"},
        log=workdir / "app.log",
        url=f"{base}/healthz",
    )
    floor = None
    try:
        floor = start(
            [GUNICORN, "--chdir", str(args.floor_dir), "floorapp:application", "-w", str(args.workers), "-b", f"127.0.0.1:{args.floor_port}"],
            env=dict(os.environ),
            log=workdir / "floor.log",
            url=floor_url,
        )
        for path in PAGES.values():  # warm: fragments rendered and cached once
            urllib.request.urlopen(base + path, timeout=10).read()
        wrk(args, floor_url)
        ratios: dict[str, list[float]] = {name: [] for name in PAGES}
        rates: dict[str, list[float]] = {"floor": [], **{name: [] for name in PAGES}}
        for round_number in range(1, args.rounds + 1):
            floor_rps = wrk(args, floor_url)
            rates["floor"].append(floor_rps)
            for name, path in PAGES.items():
                rps = wrk(args, base + path)
                rates[name].append(rps)
                ratios[name].append(rps / floor_rps)
            print(
                f"  round {round_number}: floor {floor_rps:.0f} req/s; "
                + "; ".join(f"{name} {rates[name][-1]:.0f} req/s ({ratios[name][-1]:.2f} x)" for name in PAGES),
                flush=True,
            )
    finally:
        stop(app)
        if floor is not None:
            stop(floor)
        shutil.rmtree(workdir, ignore_errors=True)
    stack = f"{'PostgreSQL' if args.database_url else 'SQLite'} + {'Redis' if args.redis_url else 'database cache'}"
    return {
        "stack": stack,
        "workers": args.workers,
        "wrk": f"wrk -t{args.threads} -c{args.connections} -d{args.seconds}s",
        "rounds": args.rounds,
        "rates": rates,
        "ratios": ratios,
        "median_ratio": {name: statistics.median(values) for name, values in ratios.items()},
        "median_rps": {name: statistics.median(values) for name, values in rates.items()},
    }


def summary(result: dict) -> str:
    lines = [
        f"{result['stack']}, {result['workers']} workers, {result['wrk']}, {result['rounds']} alternating rounds; "
        f"median floor {result['median_rps']['floor']:.0f} req/s"
    ]
    for name in PAGES:
        lines.append(f"  {name:20} median {result['median_rps'][name]:7.0f} req/s   app/floor {result['median_ratio'][name]:.2f} x")
    return "\n".join(lines)


def main() -> None:
    result = measure(parse_args())
    print()
    print(summary(result))


if __name__ == "__main__":
    main()

"""CPU time of one request in one process (no server, no client): a figure the machine's other load hardly moves.

    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/cpu_per_request.py [--root CHECKOUT]

Migrates and seeds the database given (it must be a scratch one), then calls the WSGI application directly:
the floor's page (/work/shared/bench-floor), the delegation page and the registration form (warm, a new
visitor each time: no cookies), and a submission of the form (a new person each time, first come, free
seat, e-mail recorded with EMAIL_SEND_AFTER_COMMIT=0). Prints the minimum over rounds of the mean
process CPU time per request. ``--root`` measures another checkout of the project (e.g. main) the same way.
"""

import argparse
import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def call(app, method: str, path: str, *, body: bytes = b"", cookies: str = "", address: str = "10.9.0.1") -> tuple[str, bytes, list]:
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_X_FORWARDED_FOR": address,
        "wsgi.errors": sys.stderr,
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        **({"HTTP_COOKIE": cookies} if cookies else {}),
    }
    answer = {}
    result = app(environ, lambda status, headers, exc_info=None: answer.update(status=status, headers=headers))
    content = b"".join(result)
    getattr(result, "close", lambda: None)()
    return answer["status"], content, answer["headers"]


def per_request(function, *, count: int, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(count):
            function()
        best = min(best, (time.process_time() - started) / count)
    return best * 1e6


def prepared_post(app, delegation, number: int) -> tuple[bytes, str, str]:
    """A new visitor opens the form (not timed): the body, cookie and address of their POST."""
    form = f"/d/{delegation.slug}/register/"
    status, page, headers = call(app, "GET", form)
    cookie = next(value.strip().split(";")[0] for name, value in headers if name == "Set-Cookie" and "csrftoken=" in value)
    body = urlencode(
        {
            "full_name": f"CPU {number}",
            "company": "CPU Ltd",
            "job_title": "CEO",
            "email": f"cpu-{os.getpid()}-{number}@example.com",
            "phone": "+86 138 0000 0000",
            "consent": "on",
            "sector": delegation.sectors.first().pk,
            "csrfmiddlewaretoken": CSRF_INPUT.search(page).group(1),
        }
    ).encode()
    return body, cookie, f"10.{number // 250 % 250}.{number % 250}.9"


def server_settings() -> dict:
    """The environment both scripts run the app with: the production stack's settings, e-mails left to the cron."""
    return {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "EMAIL_SEND_AFTER_COMMIT": "0",
        "DATABASE_CONN_MAX_AGE": "60",
        "SITE_URL": "http://127.0.0.1:8000",
        "DJANGO_TRUSTED_PROXIES": "127.0.0.1",
        "RATELIMIT_PER_ADDRESS": "100000/60",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "cpu-per-request-" + "x" * 40),
    }


def measure_app(args) -> None:
    """Run inside the checkout measured (its settings, its code)."""
    sys.path.insert(0, str(args.root))
    os.chdir(args.root)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "incheon_delegation.settings")
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    from registrations.models import Delegation

    delegation = Delegation.objects.get(slug="cpu-bench")
    form = f"/d/{delegation.slug}/register/"
    for path in (f"/d/{delegation.slug}/", form):
        call(app, "GET", path)
        print(f"{path:32} {per_request(lambda path=path: call(app, 'GET', path), count=300, rounds=args.rounds):7.0f} us", flush=True)
    numbers = iter(range(10**6))

    def prepared() -> tuple[bytes, str, str]:
        return prepared_post(app, delegation, next(numbers))

    best = float("inf")
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile(time.process_time)  # CPU, not waiting for the database
    for _ in range(args.rounds):
        posts = [prepared() for _ in range(100)]
        started = time.process_time()
        if profiler is not None:
            profiler.enable()
        for body, cookie, address in posts:
            status, _, _ = call(app, "POST", form, body=body, cookies=cookie, address=address)
            assert status.startswith("302"), status
        if profiler is not None:
            profiler.disable()
        best = min(best, (time.process_time() - started) / len(posts))
    print(f"{'submission (POST of the form)':32} {best * 1e6:7.0f} us" + (" (under cProfile)" if profiler else ""), flush=True)
    if profiler is not None:
        profiler.dump_stats(args.profile)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=ROOT, help="The checkout to measure.")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", help="cProfile the submissions and write the stats to this file (pstats)")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        return measure_app(args)
    env = server_settings()
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=args.root, env=env, check=True)
    subprocess.run([python, "manage.py", "createcachetable"], cwd=args.root, env=env, check=True)
    subprocess.run([python, "manage.py", "shell", "-c", SEED], cwd=args.root, env=env, check=True)
    sys.path.insert(0, "/work/shared/bench-floor")
    floor = subprocess.run([python, "-c", FLOOR], env=env, check=True, capture_output=True, text=True).stdout.strip()
    print(f"{'floor page (bench-floor)':32} {floor:>7} us", flush=True)
    profile = ["--profile", str(Path(args.profile).resolve())] if args.profile else []
    subprocess.run([python, __file__, "--inside", "--root", str(args.root), "--rounds", str(args.rounds), *profile], env=env, check=True)


SEED = """
from datetime import timedelta
from django.utils import timezone
from registrations.models import Delegation, Sector
today = timezone.localdate()
if not Delegation.objects.filter(slug="cpu-bench").exists():
    d = Delegation.objects.create(slug="cpu-bench", title="CPU bench", city="Incheon", starts_on=today + timedelta(days=120),
                                  ends_on=today + timedelta(days=123), seats=1_000_000, is_published=True, email_confirmation_hours=0)
    for order, name in enumerate(["Biotechnology", "Clean energy"], 1):
        Sector.objects.create(delegation=d, name=name, order=order)
"""
FLOOR = f"""
import sys, io, time
sys.path.insert(0, "/work/shared/bench-floor"); sys.path.insert(0, {str(ROOT)!r})
import floorapp
from bench.cpu_per_request import call, per_request
call(floorapp.application, "GET", "/")
print(f"{{per_request(lambda: call(floorapp.application, 'GET', '/'), count=300, rounds=5):.0f}}")
"""

if __name__ == "__main__":
    main()

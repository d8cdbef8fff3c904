"""Instructions per submission, counted by valgrind (callgrind): a figure the machine's other load does not move.

    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/post_instructions.py [--root CHECKOUT]

Times on a shared two-core machine move by a third from one minute to the next; instruction counts repeat.
Runs the in-process submission of bench/cpu_per_request.py (its database, seeded by it; its settings) under
``valgrind --tool=callgrind`` twice, with FEW and MANY submissions, and prints the difference of the two
instruction counts ÷ (MANY − FEW): start-up and warm-up cancel out. Only this process is counted (not PostgreSQL
nor Redis). Needs valgrind (a Debian package). About two minutes per checkout; two runs of one checkout differed
by about 1 %.
"""

import argparse
import importlib.util
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This checkout's bench/cpu_per_request.py by its path: the checkout measured (--root) has a bench package of its own.
_spec = importlib.util.spec_from_file_location("cpu_per_request", Path(__file__).resolve().parent / "cpu_per_request.py")
HERE = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(HERE)
FEW, MANY = 20, 120


def posts(root: Path, count: int) -> None:
    """Inside valgrind: warm up, then ``count`` submissions of the form, each by a new visitor."""
    sys.path.insert(0, str(root))
    os.chdir(root)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "incheon_delegation.settings")
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    from registrations.models import Delegation

    delegation = Delegation.objects.get(slug="cpu-bench")
    prepared = [HERE.prepared_post(app, delegation, number) for number in range(20 + count)]
    for index, (body, cookie, address) in enumerate(prepared):
        if index == 20:
            subprocess.run(["callgrind_control", "--instr=on", str(os.getpid())], check=True, capture_output=True)
        status, _, _ = HERE.call(app, "POST", f"/d/{delegation.slug}/register/", body=body, cookies=cookie, address=address)
        assert status.startswith("302"), status


def counted(root: Path, count: int, env: dict) -> int:
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory) / "callgrind.out"
        subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--instr-atstart=no",
                f"--callgrind-out-file={out}",
                sys.executable,
                __file__,
                "--inside",
                str(count),
                "--root",
                str(root),
            ],
            env=env,
            check=True,
            capture_output=True,
        )
        summary = re.search(r"^summary: (\d+)", out.read_text(), re.MULTILINE)
        return int(summary.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=ROOT, help="The checkout to measure.")
    parser.add_argument("--inside", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside is not None:
        return posts(args.root, args.inside)
    env = HERE.server_settings()
    few, many = counted(args.root, FEW, env), counted(args.root, MANY, env)
    print(f"{'submission (POST of the form)':32} {(many - few) / (MANY - FEW) / 1e6:7.2f} M instructions ({args.root})", flush=True)


if __name__ == "__main__":
    main()

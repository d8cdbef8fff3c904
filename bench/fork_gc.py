"""What a worker's full garbage collection costs after gunicorn forks it, with and without the master's freeze.

    .venv/bin/python bench/fork_gc.py

Loads the app and runs the master's warm-up (incheon_delegation/warmup.py) in a fresh process, freezes its objects
(``freeze_for_fork``, as gunicorn.conf.py's ``when_ready`` does) or not, forks a child as gunicorn forks a worker,
and in the child runs one full collection: prints the objects it walks, its CPU time, and the child's private dirty
memory before and after it (/proc/self/smaps_rollup: the master's pages the collection wrote to, copied into the
child). Each way runs in a process of its own, twice, alternated. No database is opened. DJANGO_DEBUG is 1 unless
set (no secret key needed); with the production settings the master holds a few percent more objects.
"""

import gc
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def private_dirty_kib() -> int:
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
        if line.startswith("Private_Dirty:"):
            return int(line.split()[1])
    return 0


def measure(freeze: bool) -> str:
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "incheon_delegation.settings")
    from django.core.wsgi import get_wsgi_application

    get_wsgi_application()
    from incheon_delegation.warmup import freeze_for_fork, warm_up

    warm_up()
    if freeze:
        freeze_for_fork()
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker
        before, walked = private_dirty_kib(), len(gc.get_objects())
        started = time.process_time()
        gc.collect()
        spent = time.process_time() - started
        after = private_dirty_kib()
        os.write(
            writing,
            f"{'frozen' if freeze else 'not frozen':10}  objects walked {walked:8,}  full collection {spent * 1e3:6.1f} ms CPU  "
            f"private dirty {before / 1024:5.1f} -> {after / 1024:5.1f} MiB".encode(),
        )
        os._exit(0)
    os.waitpid(pid, 0)
    return os.read(reading, 1000).decode()


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in ("--frozen", "--not-frozen"):
        print(measure(sys.argv[1] == "--frozen"))
        return
    env = {**os.environ, "DJANGO_DEBUG": os.environ.get("DJANGO_DEBUG", "1")}
    for _ in range(2):
        for way in ("--not-frozen", "--frozen"):
            subprocess.run([sys.executable, __file__, way], env=env, check=True)


if __name__ == "__main__":
    main()

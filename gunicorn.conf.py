"""gunicorn settings for the production stack (`make serve`, deploy/delegation.service).

gunicorn reads this file from the working directory. Environment variables:
  WEB_CONCURRENCY   worker processes (default: 2 per core + 1)
  GUNICORN_BIND     address to listen on (default 127.0.0.1:8000; keep it on loopback behind nginx)
  GUNICORN_TIMEOUT  seconds before a stuck worker is restarted (default 30)

The workers fork from a master that has loaded the app (preload_app) and built what their first
requests would otherwise build, each of them, then frozen its objects out of the garbage collector's reach
(when_ready, incheon_delegation/warmup.py).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"  # nginx buffers slow clients; each worker handles one request at a time
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Load the app once in the master: a missing DJANGO_SECRET_KEY stops start-up with a clear error.
preload_app = True
# Recycle workers now and then so that no slow leak accumulates.
max_requests = 10000
max_requests_jitter = 1000
# Request line and headers stay small; the body limit is Django's DATA_UPLOAD_MAX_MEMORY_SIZE.
limit_request_line = 4094
limit_request_fields = 60
limit_request_field_size = 8190
# Logs: to stderr (journald); no client address, no query string, private tokens masked.
accesslog = "-"
errorlog = "-"
access_log_format = '"%(m)s %(U)s" %(s)s %(B)s %(M)sms "%(a)s"'  # no address, no query string
logger_class = "incheon_delegation.gunicorn_logging.RedactingLogger"
# Managed by systemd (deploy/delegation.service); no control socket shared between instances.
control_socket_disable = True


def when_ready(server):
    """In the master, after the app is loaded and before the workers fork: what their first requests would build,
    then what it holds frozen for the garbage collector (no worker's collection walks or copies it)."""
    if not str(getattr(server.app, "app_uri", "")).startswith("incheon_delegation."):
        return  # another app under this configuration (the bench's floor page): nothing of ours to build
    from incheon_delegation.warmup import freeze_for_fork, warm_up

    warm_up()
    freeze_for_fork()

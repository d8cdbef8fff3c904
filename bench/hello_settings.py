"""The baseline for the benchmark: the project's own settings and middleware, one "hello" view."""

from incheon_delegation.settings import *  # noqa: F401,F403

ROOT_URLCONF = "bench.hello_urls"

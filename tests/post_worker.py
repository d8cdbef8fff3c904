"""Run as a separate process by test_ratelimit: POST to a URL N times, print the status codes.

Usage: python -m tests.post_worker URL COUNT   (settings come from the environment)
"""

import json
import sys

import django


def main() -> None:
    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings

    url, count = sys.argv[1], int(sys.argv[2])
    client = Client(REMOTE_ADDR="198.51.100.77")
    plain_static = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=plain_static):  # as in the suite: no collectstatic manifest
        print(json.dumps([client.post(url, {"full_name": "Worker"}).status_code for _ in range(count)]))


if __name__ == "__main__":
    main()

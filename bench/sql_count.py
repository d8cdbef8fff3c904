"""SQL statements of one registration, through the whole stack (middleware, view, service), run inside Django.

    DATABASE_URL=... .venv/bin/python bench/sql_count.py   # prints the statements of one submission

bench/run.py prints the count (and writes the statements to its results) for a first-come submission
with a free seat, the case of every submission in its "submissions" scenarios.
"""

import re
import secrets

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def submission_statements(*, form_path: str, sector_id: int, host: str = "127.0.0.1") -> list[str]:
    """The SQL statements of one POST of the registration form (a first-come submission), in order."""
    client = Client(enforce_csrf_checks=True, HTTP_HOST=host, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.250.0.1")
    page = client.get(form_path).content.decode()
    number = secrets.token_hex(4)
    data = {
        "full_name": "SQL Count",
        "company": "SQL Count Ltd",
        "job_title": "CEO",
        "email": f"sql-{number}@example.com",
        "phone": "+86 138 0000 0000",
        "wechat_id": "",
        "note": "",
        "consent": "on",
        "source": "bench",
        "website": "",
        "sector": str(sector_id),
        "csrfmiddlewaretoken": CSRF_INPUT.search(page).group(1),
    }
    with CaptureQueriesContext(connection) as queries:
        response = client.post(form_path, data)
    if response.status_code != 302:
        raise RuntimeError(f"The counted submission was not accepted: HTTP {response.status_code}")
    return [query["sql"] for query in queries.captured_queries]


if __name__ == "__main__":
    import os
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "incheon_delegation.settings")
    import django

    django.setup()
    from registrations.models import Delegation

    delegation = Delegation.objects.filter(is_published=True).order_by("pk").first()
    statements = submission_statements(form_path=f"/d/{delegation.slug}/register/", sector_id=delegation.sectors.first().pk)
    for number, sql in enumerate(statements, 1):
        print(f"{number:3}. {sql[:300]}")
    print(f"\n{len(statements)} SQL statements for one submission")

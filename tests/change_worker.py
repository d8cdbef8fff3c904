"""Run as a separate process (change_elsewhere) by test_page_memo and test_form_content: change a delegation as another server process would.

Usage: python -m tests.change_worker SLUG register|cancel|rename|cap-last-sector|add-question|delete-second-sector
(settings come from the environment)
"""

import os
import subprocess
import sys
from pathlib import Path

import django


def change_elsewhere(delegation, change: str) -> None:
    """Run ``change`` on ``delegation`` in another process, with this test's database, Redis and cache prefix."""
    from django.conf import settings

    from tests.test_ratelimit import REDIS_URL, _test_database_url

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "incheon_delegation.settings",
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"],
    }
    subprocess.run(
        [sys.executable, "-m", "tests.change_worker", delegation.slug, change],
        cwd=Path(__file__).parent.parent,
        env=env,
        capture_output=True,
        check=True,
        timeout=120,
    )


def main() -> None:
    django.setup()
    from registrations import services
    from registrations.models import Delegation, Question, Registration

    slug, change = sys.argv[1], sys.argv[2]
    delegation = Delegation.objects.get(slug=slug)
    if change == "register":
        number = Registration.objects.filter(delegation=delegation).count() + 1
        services.registration_submit(
            delegation=delegation,
            full_name=f"Elsewhere {number}",
            company="Other Process Co.",
            job_title="CEO",
            sector=delegation.sectors.first(),
            email=f"elsewhere{number}@example.com",
            phone="+86 138 0000 0000",
        )
    elif change == "cancel":
        services.registration_cancel(registration=Registration.objects.filter(delegation=delegation).latest("pk"))
    elif change == "rename":
        delegation.title = "Renamed in another process"
        delegation.save()
    elif change == "cap-last-sector":  # no seat left in that field
        services.sector_set_cap(sector=delegation.sectors.last(), seat_cap=0)
    elif change == "add-question":
        Question.objects.create(delegation=delegation, text="Added in another process", kind=Question.Kind.SHORT_TEXT, required=True)
    elif change == "delete-second-sector":
        delegation.sectors.all()[1].delete()
    else:
        raise SystemExit(f"unknown change {change!r}")


if __name__ == "__main__":
    main()

import itertools
import os
import uuid
from datetime import timedelta
from pathlib import Path

import pytest

from registrations import services
from registrations.models import Delegation, ItineraryItem, Sector
from tests.helpers import trip_day, trip_time

_counter = itertools.count(1)


def pytest_configure(config):
    """TESTS_SHIFT_DAYS=400 runs the suite with every clock (timezone.now(), date.today(), time.time())
    moved that many days ahead, ticking: the proof that no test depends on today's date (README "The two commands")."""
    days = int(os.environ.get("TESTS_SHIFT_DAYS") or 0)
    if days:
        import time_machine

        config._shifted_clock = time_machine.travel(timedelta(days=days), tick=True)
        config._shifted_clock.start()
        # Python processes started by tests (manage.py commands, workers) shift their clock too.
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path(__file__).parent / "shifted_clock"), os.environ.get("PYTHONPATH")]))


def pytest_report_header(config):
    days = os.environ.get("TESTS_SHIFT_DAYS")
    return f"clock shifted {days} days ahead (TESTS_SHIFT_DAYS)" if days else None


def make_delegation(*, seats: int = 10, slug: str | None = None, **overrides) -> Delegation:
    """A published, open delegation with the four sectors and two itinerary items."""
    number = next(_counter)
    fields = {
        "slug": slug or f"delegation-{number}",
        "title": f"Delegation {number}",
        "organizer": "AsianFin Global Business Leaders Club",
        "city": "Incheon",
        "starts_on": trip_day(0),
        "ends_on": trip_day(3),
        "seats": seats,
        "is_published": True,
        "email_confirmation_hours": 0,
        **overrides,
    }
    delegation = Delegation.objects.create(**fields)
    for order, name in enumerate(["Biotechnology", "Automotive and autonomous driving", "Clean energy", "Smart logistics"], 1):
        Sector.objects.create(delegation=delegation, name=name, order=order)
    start = trip_time(0, 9)
    ItineraryItem.objects.create(delegation=delegation, title="Opening", starts_at=start, ends_at=start + timedelta(hours=2), order=1)
    ItineraryItem.objects.create(
        delegation=delegation,
        title="Songdo Bio Industrial Park",
        hosts="Samsung Biologics",
        starts_at=start + timedelta(days=1),
        ends_at=start + timedelta(days=1, hours=3),
        order=2,
    )
    return delegation


def submission(delegation: Delegation, **overrides) -> dict:
    number = next(_counter)
    return {
        "delegation": delegation,
        "full_name": f"Person {number}",
        "company": f"Company {number}",
        "job_title": "CEO",
        "sector": delegation.sectors.first(),
        "email": f"person{number}@example.com",
        "phone": "+86 138 0000 0000",
        **overrides,
    }


def submit(delegation: Delegation, **overrides):
    return services.registration_submit(**submission(delegation, **overrides))


@pytest.fixture
def delegation(db) -> Delegation:
    return make_delegation(seats=2)


@pytest.fixture(autouse=True)
def plain_static_files_and_own_cache_namespace(settings):
    """Tests run with DEBUG off but without collectstatic: plain static names, served from static/.

    Each test gets its own cache key prefix, so rate-limit counters and cached page parts never
    leak between tests (nor between test runs sharing one Redis).
    """
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.WHITENOISE_USE_FINDERS = True
    settings.STATIC_ROOT = None
    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}

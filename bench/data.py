"""Benchmark data, written through the project's own code (run inside Django)."""

import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from registrations.models import Delegation, Registration, Sector

Status = Registration.Status
BURST_SLUG = "incheon-tech-week"  # the demo delegation, 30 seats
SUBMIT_SLUG = "bench-submissions"
ADMIN_SLUG = "bench-admin-list"


def _delegation(slug: str, seats: int) -> Delegation:
    delegation = Delegation.objects.create(
        slug=slug,
        title=f"Benchmark {slug}",
        city="Incheon",
        starts_on=timezone.localdate() + timedelta(days=120),  # relative: the bench runs on any day
        ends_on=timezone.localdate() + timedelta(days=123),
        seats=seats,
        is_published=True,
    )
    for order, name in enumerate(["Biotechnology", "Automotive and autonomous driving", "Clean energy", "Smart logistics"], 1):
        Sector.objects.create(delegation=delegation, name=name, order=order)
    return delegation


def _many_registrations(delegation: Delegation, count: int, confirmed: int, prefix: str = "listed") -> None:
    """``count`` registrations in bulk: the first ``confirmed`` confirmed, the rest waitlisted in order."""
    sectors = list(delegation.sectors.all())
    now = timezone.now()
    rows = []
    for number in range(count):
        waiting = number >= confirmed
        rows.append(
            Registration(
                delegation=delegation,
                full_name=f"Listed Person {number}",
                company=f"Listed Company {number % 700}",
                job_title="CEO",
                sector=sectors[number % len(sectors)],
                email=f"{prefix}-{number}@example.com",
                phone="+86 138 0000 0000",
                consent_at=now,
                consent_version="2027-01",
                consent_text="bench",
                status=Status.WAITLISTED if waiting else Status.CONFIRMED,
                waitlist_position=number - confirmed + 1 if waiting else None,
                source=("article", "poster", "wechat", "")[number % 4],
            )
        )
    Registration.objects.bulk_create(rows, batch_size=2000)


def prepare(*, admin_rows: int) -> dict:
    """Demo delegation (30 seats) for the burst, one with room for submissions, one with ``admin_rows`` registrations."""
    call_command("seed_demo", verbosity=0)
    with transaction.atomic():
        submit = _delegation(SUBMIT_SLUG, seats=100_000)
        listed = _delegation(ADMIN_SLUG, seats=2_000)
        _many_registrations(listed, admin_rows, confirmed=2_000)
    password = secrets.token_urlsafe(16)
    get_user_model().objects.create_superuser(username="bench-admin", email="", password=password)
    burst = Delegation.objects.get(slug=BURST_SLUG)
    return {
        "burst_sector": burst.sectors.first().pk,
        "submit_sector": submit.sectors.first().pk,
        "admin_password": password,
        "admin_delegation": listed.pk,
    }


def prefill(slug: str, count: int) -> None:
    """``count`` confirmed registrations more in the delegation ``slug`` (as a scenario run before would leave)."""
    with transaction.atomic():
        _many_registrations(Delegation.objects.get(slug=slug), count, confirmed=count, prefix=f"prefill-{slug}")


def burst_outcome() -> dict:
    """Seats taken (confirmed, or held until the e-mail is confirmed: the demo delegation asks for it) and the waiting list."""
    rows = Registration.objects.filter(delegation__slug=BURST_SLUG)
    waiting = sorted(rows.filter(status=Status.WAITLISTED).values_list("waitlist_position", flat=True))
    return {
        "seats_taken": rows.taking_seats().count(),
        "waitlisted": len(waiting),
        "positions_consecutive": waiting == list(range(1, len(waiting) + 1)),
    }

"""Helpers for the check-in tests written after the switch to dates relative to now."""

import importlib
import itertools
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from registrations import services
from registrations.models import Delegation, ItineraryItem, Registration, Sector

_counter = itertools.count(1)
PASSWORD = "pw-for-tests-only"


def korea_today_at(hour: int, minute: int = 0, days: int = 0) -> datetime:
    """An aware datetime on today's date in Korea (plus ``days``), at hour:minute Korea time."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def trip(*, seats: int = 10, visits: list[tuple[str, datetime]] | None = None) -> Delegation:
    """A published delegation under way now, with the four sectors and the given visits (2 h each)."""
    number = next(_counter)
    today = timezone.localdate()
    delegation = Delegation.objects.create(
        slug=f"trip-{number}",
        title=f"Trip {number}",
        organizer="AsianFin Global Business Leaders Club",
        city="Incheon",
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=3),
        seats=seats,
        is_published=True,
        email_confirmation_hours=0,  # seats confirmed at once; tests/test_email_confirmation.py covers holds
    )
    for order, name in enumerate(["Biotechnology", "Automotive and autonomous driving", "Clean energy", "Smart logistics"], 1):
        Sector.objects.create(delegation=delegation, name=name, order=order)
    for order, (title, starts_at) in enumerate(visits or [("Songdo Bio Industrial Park", timezone.now() + timedelta(minutes=30))], 1):
        ItineraryItem.objects.create(delegation=delegation, title=title, starts_at=starts_at, ends_at=starts_at + timedelta(hours=2), order=order)
    return delegation


def person(delegation: Delegation, **overrides) -> Registration:
    number = next(_counter)
    fields = {
        "delegation": delegation,
        "full_name": f"Delegate {number}",
        "company": f"Firm {number}",
        "job_title": "CEO",
        "sector": delegation.sectors.first(),
        "email": f"delegate{number}@example.com",
        "phone": "+86 138 0000 0000",
        **overrides,
    }
    return services.registration_submit(**fields)


def checkin_only_user(username: str = "door1", **fields):
    """A staff member in the "Check-in staff" group (the migration creates it; made again after a flush)."""
    user = get_user_model().objects.create_user(username, password=PASSWORD, is_staff=True, **fields)
    user.groups.add(services.checkin_staff_group())
    return user


def organizers_group() -> Group:
    """The "Organizers" group as migrations 0009 and checkin_staff_group leave it (made again after a
    transactional test's flush emptied the tables)."""
    group, created = Group.objects.get_or_create(name="Organizers")
    if created:
        codenames = importlib.import_module("registrations.migrations.0009_organizers_group").codenames()
        group.permissions.set(Permission.objects.filter(content_type__app_label="registrations", codename__in=codenames))
        group.permissions.add(permission("auth.add_user"))
    return group


def organizer(username: str = "organizer1"):
    """A staff member in the "Organizers" group."""
    user = get_user_model().objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(organizers_group())
    return user


def permission(codename: str) -> Permission:
    app, name = codename.split(".")
    return Permission.objects.get(content_type__app_label=app, codename=name)

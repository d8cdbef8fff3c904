"""A delegation two months from now (dates relative to today), for the organizer quick-task tests."""

import itertools
from datetime import timedelta

from django.utils import timezone

from registrations import services
from registrations.models import Delegation, ItineraryItem, Sector

_counter = itertools.count(1)


def make_trip(*, seats: int = 2, mode: str = Delegation.Mode.FIRST_COME, **overrides) -> Delegation:
    """A published, open delegation starting in 60 days, with two sectors (Chinese names too) and one visit."""
    number = next(_counter)
    starts_on = timezone.localdate() + timedelta(days=60)
    delegation = Delegation.objects.create(
        **{
            "slug": f"trip-{number}",
            "title": f"Trip {number}",
            "title_zh_hans": f"代表团 {number}",
            "organizer": "AsianFin Global Business Leaders Club",
            "organizer_zh_hans": "钛媒体全球商业领袖俱乐部",
            "city": "Incheon",
            "starts_on": starts_on,
            "ends_on": starts_on + timedelta(days=3),
            "seats": seats,
            "is_published": True,
            "registration_mode": mode,
            "email_confirmation_hours": 0,
            **overrides,
        }
    )
    Sector.objects.create(delegation=delegation, name="Biotechnology", name_zh_hans="生物技术", order=1)
    Sector.objects.create(delegation=delegation, name="Clean energy", name_zh_hans="清洁能源", order=2)
    start = timezone.now().replace(microsecond=0) + timedelta(days=61)
    ItineraryItem.objects.create(
        delegation=delegation,
        title="Songdo Bio Park",
        title_zh_hans="松岛生物园",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        is_optional=True,
        capacity=5,
    )
    return delegation


def apply(delegation: Delegation, *, sector: Sector | None = None, **overrides):
    number = next(_counter)
    return services.registration_submit(
        **{
            "delegation": delegation,
            "full_name": f"Applicant {number}",
            "company": f"Firm {number}",
            "job_title": "CEO",
            "sector": sector or delegation.sectors.first(),
            "email": f"applicant{number}@example.com",
            "phone": "+86 138 0000 0000",
            **overrides,
        }
    )

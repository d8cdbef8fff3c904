"""Small explicit helpers for the announcement and reminder tests: a trip with people in every state."""

from dataclasses import dataclass

from registrations import services
from registrations.models import Announcement, Delegation, ItineraryItem, OutboxEmail, Registration
from tests.conftest import make_delegation, submit
from tests.visit_helpers import make_visit

Audience = Announcement.Audience


@dataclass
class Trip:
    delegation: Delegation
    zh: Registration  # confirmed, reads Chinese, booked on the optional visit
    ko: Registration  # confirmed, reads Korean, booked on the optional visit
    en: Registration  # confirmed, reads English, not on the optional visit
    cancelled: Registration  # was confirmed and booked on the visit, then cancelled
    waiting: Registration  # on the delegation's waiting list
    visit: ItineraryItem  # optional, with places
    opening: ItineraryItem  # not optional: every confirmed delegate attends


def make_trip() -> Trip:
    delegation = make_delegation(seats=4)
    zh = submit(delegation, full_name="王小明", language="zh-hans")
    ko = submit(delegation, full_name="박서준", language="ko")
    en = submit(delegation, full_name="Emily Zhang", language="en")
    cancelled = submit(delegation, full_name="Li Na", language="zh-hans")
    visit = make_visit(delegation, capacity=5, title="Songdo bio park tour")  # not the item make_delegation adds
    visit.title_zh_hans, visit.title_ko = "松岛生物产业园区", "송도 바이오산업단지"
    visit.save()
    for person in (zh, ko, cancelled):
        services.visit_join(registration=person, visits=[visit])
    services.registration_cancel(registration=cancelled)
    cancelled.refresh_from_db()
    services.delegation_set_seats(delegation=delegation, seats=3)  # full again: the next person waits
    waiting = submit(delegation, full_name="Chen Wei", language="zh-hans")
    assert (cancelled.status, waiting.status) == (Registration.Status.CANCELLED, Registration.Status.WAITLISTED)
    return Trip(delegation, zh, ko, en, cancelled, waiting, visit, delegation.itinerary.get(title="Opening"))


def write(delegation: Delegation, *, audience: str = Audience.CONFIRMED, visit: ItineraryItem | None = None, **texts) -> Announcement:
    """A draft announcement with its text in the three languages (override any of them with ``texts``)."""
    fields = {
        "subject": "Bus leaves at 07:30",
        "subject_zh_hans": "大巴07:30出发",
        "subject_ko": "버스 07:30 출발",
        "body": "Meet in the hotel lobby.",
        "body_zh_hans": "请在酒店大堂集合。",
        "body_ko": "호텔 로비에서 모입니다.",
        **texts,
    }
    return Announcement.objects.create(delegation=delegation, audience=audience, visit=visit, **fields)


def announcement_emails(announcement: Announcement | None = None):
    emails = OutboxEmail.objects.filter(kind=OutboxEmail.Kind.ANNOUNCEMENT)
    return emails.filter(announcement_delivery__announcement=announcement) if announcement else emails


def recipient_counts(kind: str) -> dict[str, int]:
    """How many e-mails of ``kind`` each address got."""
    counts: dict[str, int] = {}
    for recipient in OutboxEmail.objects.filter(kind=kind).values_list("recipient", flat=True):
        counts[recipient] = counts.get(recipient, 0) + 1
    return counts

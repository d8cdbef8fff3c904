"""The itinerary as an iCalendar (RFC 5545) file."""

from collections.abc import Iterable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.conf import settings

from registrations.models import Delegation, ItineraryItem

_VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    "TZID:Asia/Seoul",
    "BEGIN:STANDARD",
    "DTSTART:19880508T030000",
    "TZOFFSETFROM:+0900",
    "TZOFFSETTO:+0900",
    "TZNAME:KST",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _fold(line: str) -> list[str]:
    """Lines longer than 75 octets continue on the next line after a space."""
    out, current = [], ""
    for char in line:
        limit = 75 if not out else 74
        if len((current + char).encode("utf-8")) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return [out[0]] + [" " + part for part in out[1:]]


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


SEOUL = ZoneInfo("Asia/Seoul")


def _seoul(value: datetime) -> str:
    return value.astimezone(SEOUL).strftime("%Y%m%dT%H%M%S")


# SEQUENCE counts seconds from this moment to the item's last change: it grows with every edit.
SEQUENCE_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


def sequence(item: ItineraryItem) -> int:
    """The event's revision number (RFC 5545 SEQUENCE): later edits give larger numbers."""
    return max(0, int((item.updated_at - SEQUENCE_EPOCH).total_seconds()))


def _event(item: ItineraryItem, stamp: str) -> list[str]:
    host = settings.SITE_URL.split("://", 1)[1]
    lines = [
        "BEGIN:VEVENT",
        f"UID:itinerary-{item.pk}@{host}",
        f"DTSTAMP:{stamp}",
        f"SEQUENCE:{sequence(item)}",
        f"LAST-MODIFIED:{_utc(item.updated_at)}",
        f"DTSTART;TZID=Asia/Seoul:{_seoul(item.starts_at)}",
        f"DTEND;TZID=Asia/Seoul:{_seoul(item.ends_at)}",
        f"SUMMARY:{_escape(item.local.title)}",
    ]
    if item.local.location:
        lines.append(f"LOCATION:{_escape(item.local.location)}")
    description = "\n".join(part for part in [item.local.hosts, item.local.description] if part)
    if description:
        lines.append(f"DESCRIPTION:{_escape(description)}")
    return lines + ["END:VEVENT"]


def itinerary_ics(*, delegation: Delegation, items: Iterable[ItineraryItem]) -> bytes:
    """One VEVENT per itinerary item in the active language, times in Asia/Seoul."""
    stamp = _utc(datetime.now(UTC))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//AsianFin Global Business Leaders Club//Delegation//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(delegation.local.title)}",
        "X-WR-TIMEZONE:Asia/Seoul",
        *_VTIMEZONE,
    ]
    for item in items:
        lines.extend(_event(item, stamp))
    lines.append("END:VCALENDAR")
    folded = [part for line in lines for part in _fold(line)]
    return ("\r\n".join(folded) + "\r\n").encode("utf-8")

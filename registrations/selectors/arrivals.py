"""Arrivals and departures of a delegation's confirmed delegates, grouped into time windows (Korea time), for airport pickups.

Flights and times come from the encrypted travel documents (``arrival_flight``, ``arrival_at``,
``departure_flight``, ``departure_at``); a window of N hours starts at midnight and every N hours
after it. ``movements_table`` is the one table behind the CSV and XLSX downloads.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from registrations.models import SEOUL, Delegation, Registration
from registrations.models.travel import TravelDocument

WINDOW_HOURS = (1, 2, 3, 4, 6, 12, 24)
DEFAULT_WINDOW_HOURS = 2
DIRECTIONS = {"arrival": ("arrival_flight", "arrival_at"), "departure": ("departure_flight", "departure_at")}


@dataclass(frozen=True)
class Traveller:
    registration_id: int
    full_name: str
    company: str
    phone: str
    flight: str
    at: datetime | None


@dataclass
class TravelWindow:
    starts_at: datetime
    ends_at: datetime
    travellers: list[Traveller] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.travellers)


@dataclass(frozen=True)
class Movements:
    direction: str  # "arrival" or "departure"
    windows: list[TravelWindow]  # only windows with someone in them, earliest first
    unknown: list[Traveller]  # confirmed delegates who gave no time (or no travel documents)

    @property
    def count(self) -> int:
        return sum(window.count for window in self.windows)


def _moment(text: str) -> datetime | None:
    """A stored time as an aware moment in Korea time (a time stored without offset is Korea time); None when absent."""
    try:
        moment = datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
    if moment is None:
        return None
    return (moment.replace(tzinfo=SEOUL) if moment.tzinfo is None else moment).astimezone(SEOUL)


def window_start(moment: datetime, hours: int) -> datetime:
    """The start of the ``hours``-long window (counted from midnight, Korea time) holding ``moment``."""
    local = moment.astimezone(SEOUL)
    return local.replace(hour=local.hour // hours * hours, minute=0, second=0, microsecond=0)


def _group(travellers: list[Traveller], direction: str, hours: int) -> Movements:
    windows: dict[datetime, TravelWindow] = {}
    for traveller in sorted((t for t in travellers if t.at), key=lambda t: (t.at, t.full_name, t.registration_id)):
        start = window_start(traveller.at, hours)
        windows.setdefault(start, TravelWindow(starts_at=start, ends_at=start + timedelta(hours=hours))).travellers.append(traveller)
    unknown = sorted((t for t in travellers if not t.at), key=lambda t: (t.full_name, t.registration_id))
    return Movements(direction=direction, windows=list(windows.values()), unknown=unknown)


def travel_movements(*, delegation: Delegation, hours: int = DEFAULT_WINDOW_HOURS) -> tuple[list[int], list[Movements]]:
    """(ids of the travel documents read, [arrivals, departures]) of the delegation's confirmed delegates."""
    people = list(Registration.objects.filter(delegation=delegation, status=Registration.Status.CONFIRMED).order_by("full_name", "pk"))
    documents = {d.registration_id: d.details for d in TravelDocument.objects.filter(registration__in=people).exclude(data="")}
    movements = []
    for direction, (flight_key, time_key) in DIRECTIONS.items():
        travellers = [
            Traveller(
                registration_id=person.pk,
                full_name=person.full_name,
                company=person.company,
                phone=person.phone,
                flight=documents.get(person.pk, {}).get(flight_key) or "",
                at=_moment(documents.get(person.pk, {}).get(time_key) or ""),
            )
            for person in people
        ]
        movements.append(_group(travellers, direction, hours))
    return sorted(documents), movements


def window_label(window: TravelWindow) -> str:
    """ "2027-04-13 08:00–10:00" (a window ending at midnight ends at 24:00)."""
    end = "24:00" if window.ends_at.hour == 0 else f"{window.ends_at:%H:%M}"
    return f"{window.starts_at:%Y-%m-%d %H:%M}–{end}"


def movements_table(movements: list[Movements]) -> tuple[list[str], list[list]]:
    """Header and rows for CSV/XLSX: one row per delegate and direction, window by window, then those without a time."""
    header = [
        _("Direction"),
        _("Window (Korea time)"),
        _("People in the window"),
        _("Full name"),
        _("Company"),
        _("Mobile phone"),
        _("Flight"),
        _("Time (Korea time)"),
    ]
    names = {"arrival": _("Arrival"), "departure": _("Departure")}
    rows = []
    for group in movements:
        for window in group.windows:
            rows += [
                [names[group.direction], window_label(window), window.count, t.full_name, t.company, t.phone, t.flight, f"{t.at:%Y-%m-%d %H:%M}"]
                for t in window.travellers
            ]
        rows += [
            [names[group.direction], _("No time given"), len(group.unknown), t.full_name, t.company, t.phone, t.flight, ""] for t in group.unknown
        ]
    return header, rows

from zoneinfo import ZoneInfo

import icalendar

from registrations.models import ItineraryItem
from tests.helpers import trip_time


def test_itinerary_ics_has_one_event_per_item_in_seoul_time(client, delegation):
    ItineraryItem.objects.filter(delegation=delegation, order=1).update(
        title="Opening; policy, exchange",
        location="Songdo Convensia, Incheon",
        description="Line one\nLine two " + "long " * 40,
    )

    response = client.get(f"/d/{delegation.slug}/itinerary.ics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 2
    opening = next(e for e in events if str(e["SUMMARY"]).startswith("Opening"))
    assert str(opening["SUMMARY"]) == "Opening; policy, exchange"
    assert str(opening["LOCATION"]) == "Songdo Convensia, Incheon"
    assert str(opening["DESCRIPTION"]).startswith("Line one\nLine two long")
    start = opening.decoded("DTSTART")
    assert start == trip_time(0, 9) and start.tzinfo == ZoneInfo("Asia/Seoul")
    assert all(len(line.encode()) <= 75 for line in response.content.decode().split("\r\n"))

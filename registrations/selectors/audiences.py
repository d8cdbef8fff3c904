"""Who gets an announcement: one query per audience, in one table (AUDIENCES).

A new segment is one value in ``Announcement.Audience`` and one entry here; the preview, the
count, sending and the admin all read ``announcement_recipients``. Anonymised registrations
never receive anything.
"""

from collections import Counter
from collections.abc import Callable

from django.conf import settings
from django.db.models import QuerySet

from registrations.models import Announcement, Registration
from registrations.selectors import visit_attendee_registrations
from registrations.selectors.questions import details_incomplete, with_completeness

Audience = Announcement.Audience
Status = Registration.Status


def _with_status(status: str) -> Callable[[Announcement], QuerySet[Registration]]:
    return lambda announcement: Registration.objects.filter(delegation_id=announcement.delegation_id, status=status)


AUDIENCES: dict[str, Callable[[Announcement], QuerySet[Registration]]] = {
    Audience.CONFIRMED: _with_status(Status.CONFIRMED),
    Audience.WAITLISTED: _with_status(Status.WAITLISTED),
    # The visit's attendees by the rule every attendee list uses (selectors.visit_attendee_registrations).
    Audience.VISIT: lambda announcement: visit_attendee_registrations(visit=announcement.visit),
    # Required answers or travel documents still due, by the one completeness rule (questions_selectors).
    Audience.INCOMPLETE: lambda announcement: with_completeness(Registration.objects.filter(delegation_id=announcement.delegation_id)).filter(
        details_incomplete()
    ),
}


def announcement_recipients(*, announcement: Announcement) -> QuerySet[Registration]:
    """The people an announcement goes to now, by name."""
    people = AUDIENCES[announcement.audience](announcement)
    return people.filter(anonymised_at__isnull=True).select_related("delegation").order_by("full_name", "pk")


def recipients_by_language(*, announcement: Announcement) -> list[tuple[str, str, int]]:
    """(language code, language name, number of recipients reading it), for every site language, in one query."""
    counts = Counter(announcement_recipients(announcement=announcement).values_list("language", flat=True))
    return [(code, name, counts.get(code, 0)) for code, name in settings.LANGUAGES]

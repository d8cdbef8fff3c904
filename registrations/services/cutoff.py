"""Until when a delegate may change their own record (details, answers, handing the seat on)."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from registrations.models import Registration


def registration_edit_refusal_reason(*, registration: Registration, now: datetime | None = None) -> str | None:
    """Why the delegate cannot change their own details now (None: they can): active, not anonymised, before the cutoff."""
    if not registration.is_active or registration.anonymised_at is not None:
        return _("This registration is closed: its details can no longer be changed.")
    if (now or timezone.now()) >= registration.delegation.details_edit_deadline():
        return _("Details can no longer be changed here. Please write to the organizer.")
    return None

"""Every write that touches seats or statuses goes through a function exported here.

Views, admin actions and management commands import ``registrations.services`` and call these.
"""

from .messages import Messages
from .seats import (
    ALLOWED_TRANSITIONS,
    delegation_check_seats,
    delegation_set_seats,
    registration_cancel,
    registration_set_status,
    registration_submit,
    waitlist_fill,
)
from .visits import (
    visit_bookings_release,
    visit_check_places,
    visit_join,
    visit_leave,
    visit_set_places,
    visit_waitlists_fill,
)

__all__ = [
    "ALLOWED_TRANSITIONS",
    "Messages",
    "delegation_check_seats",
    "delegation_set_seats",
    "registration_cancel",
    "registration_set_status",
    "registration_submit",
    "waitlist_fill",
    "visit_bookings_release",
    "visit_check_places",
    "visit_join",
    "visit_leave",
    "visit_set_places",
    "visit_waitlists_fill",
]

"""Every write that touches seats or statuses goes through a function exported here.

Views, admin actions and management commands import ``registrations.services`` and call these.
"""

from .campaigns import device_class, source_scan_record
from .checkin import (
    CHECKIN_PERMISSION,
    can_check_in,
    checkin_code_rotate,
    checkin_record,
    checkin_refusal_reason,
    checkin_undo,
    visit_booking_refusal_reason,
)
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

__all__ = [
    "ALLOWED_TRANSITIONS",
    "CHECKIN_PERMISSION",
    "can_check_in",
    "checkin_code_rotate",
    "checkin_record",
    "checkin_refusal_reason",
    "checkin_undo",
    "device_class",
    "source_scan_record",
    "visit_booking_refusal_reason",
    "Messages",
    "delegation_check_seats",
    "delegation_set_seats",
    "registration_cancel",
    "registration_set_status",
    "registration_submit",
    "waitlist_fill",
]

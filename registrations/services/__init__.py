"""Every write that touches seats or statuses goes through a function exported here.

Views, admin actions and management commands import ``registrations.services`` and call these.
"""

from .messages import Messages
from .privacy import PERSONAL_FIELDS, personal_data_purge, registration_anonymise
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
    "Messages",
    "PERSONAL_FIELDS",
    "personal_data_purge",
    "registration_anonymise",
    "delegation_check_seats",
    "delegation_set_seats",
    "registration_cancel",
    "registration_set_status",
    "registration_submit",
    "waitlist_fill",
]

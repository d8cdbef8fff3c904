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
from .checkin_staff import (
    ADD_STAFF_PERMISSION,
    CHECKIN_STAFF_GROUP,
    checkin_staff_create,
    checkin_staff_group,
    is_checkin_only,
)
from .confirmation import MAX_CODE_ATTEMPTS, email_confirm_reminders_send, registration_email_confirm
from .delegations import PendingPlan, delegation_set_mode, delegation_set_open, mode_switch_plan
from .details import registration_edit_refusal_reason
from .details_reminders import DETAILS_REMINDER_DAYS, details_due_reminders_send, details_reminders_send
from .invitations import invitation_check_and_lock, invitation_create, invitation_delete, invitation_revoke, invitation_send
from .messages import Messages
from .offers import registration_offer_accept, registration_offer_decline
from .privacy import PERSONAL_FIELDS, personal_data_purge, registration_anonymise
from .questions import answers_refusal_reason, answers_save, questions_applying
from .review import registration_reject, registration_waitlist, registrations_confirm
from .seats import (
    ALLOWED_TRANSITIONS,
    DUPLICATE_EMAIL,
    LockOutsideTransaction,
    delegation_check_seats_and_lock,
    delegation_lock,
    delegation_set_capacity,
    delegation_set_seats,
    registration_cancel,
    registration_set_status,
    registration_submit,
    seat_refusal_locked,
    seats_settle,
    sector_check_cap_and_lock,
    sector_set_cap,
)
from .travel import (
    TRAVEL_CONSENT_VERSION,
    travel_consent_give,
    travel_document_access_record,
    travel_document_delete,
    travel_document_keys_rotate,
    travel_document_refusal_reason,
    travel_document_save,
    travel_documents_cutoff,
    travel_documents_purge,
)
from .visits import (
    visit_bookings_release,
    visit_check_places_and_lock,
    visit_join,
    visit_leave,
    visit_set_places,
    visit_waitlists_fill,
)

__all__ = [
    "DETAILS_REMINDER_DAYS",
    "answers_refusal_reason",
    "answers_save",
    "details_due_reminders_send",
    "details_reminders_send",
    "questions_applying",
    "DUPLICATE_EMAIL",
    "TRAVEL_CONSENT_VERSION",
    "travel_consent_give",
    "travel_document_access_record",
    "travel_document_delete",
    "travel_document_keys_rotate",
    "travel_document_refusal_reason",
    "travel_document_save",
    "travel_documents_cutoff",
    "travel_documents_purge",
    "ADD_STAFF_PERMISSION",
    "CHECKIN_STAFF_GROUP",
    "checkin_staff_create",
    "checkin_staff_group",
    "is_checkin_only",
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
    "PERSONAL_FIELDS",
    "personal_data_purge",
    "registration_anonymise",
    "delegation_check_seats_and_lock",
    "delegation_set_capacity",
    "delegation_set_mode",
    "delegation_set_open",
    "delegation_set_seats",
    "mode_switch_plan",
    "PendingPlan",
    "invitation_check_and_lock",
    "invitation_create",
    "invitation_delete",
    "invitation_revoke",
    "invitation_send",
    "registration_cancel",
    "registration_edit_refusal_reason",
    "registration_offer_accept",
    "registration_offer_decline",
    "registration_reject",
    "registration_set_status",
    "registration_submit",
    "registration_waitlist",
    "registrations_confirm",
    "seat_refusal_locked",
    "delegation_lock",
    "LockOutsideTransaction",
    "MAX_CODE_ATTEMPTS",
    "email_confirm_reminders_send",
    "registration_email_confirm",
    "seats_settle",
    "sector_check_cap_and_lock",
    "sector_set_cap",
    "visit_bookings_release",
    "visit_check_places_and_lock",
    "visit_join",
    "visit_leave",
    "visit_set_places",
    "visit_waitlists_fill",
]

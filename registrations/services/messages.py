"""Every message a person can see from a refused action, in one place."""

from django.utils.translation import gettext as _

from ..models import Registration

Status = Registration.Status


class Messages:
    """Every message a person can see from a refused action, in one place."""

    @staticmethod
    def registration_closed() -> str:
        return _("Registration for this delegation is closed.")

    @staticmethod
    def duplicate_email() -> str:
        return _(
            "This e-mail address is already registered for this delegation. "
            "Use the private link we gave you to see or change your registration."
        )

    @staticmethod
    def wrong_sector() -> str:
        return _("Choose one of this delegation's fields.")

    @staticmethod
    def transition_refused(current: str, wanted: str) -> str:
        return _("A registration that is %(current)s cannot become %(wanted)s.") % {
            "current": Status(current).label,
            "wanted": Status(wanted).label,
        }

    @staticmethod
    def seats_negative() -> str:
        return _("The number of seats cannot be negative.")

    @staticmethod
    def seats_below_confirmed(confirmed: int) -> str:
        return _(
            "%(confirmed)d registrations are already confirmed, so seats cannot be lower than "
            "%(confirmed)d. Cancel registrations first."
        ) % {"confirmed": confirmed}

    # --- Check-in ------------------------------------------------------------

    @staticmethod
    def checkin_status_refused(status_label: str) -> str:
        return _("Not checked in: this registration is “%(status)s”. Only confirmed delegates can be checked in.") % {
            "status": status_label,
        }

    @staticmethod
    def checkin_wrong_delegation() -> str:
        return _("Not checked in: this visit belongs to another delegation.")

    @staticmethod
    def checkin_already_undone() -> str:
        return _("This check-in was already undone.")

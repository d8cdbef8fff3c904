"""Every message a person can see from a refused action, in one place."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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

    # --- Site visits (services/visits.py) ---

    @staticmethod
    def visit_needs_confirmed_seat() -> str:
        return _("Optional visits are for confirmed delegates. Once your seat is confirmed, you can choose them here.")

    @staticmethod
    def visit_not_optional(title: str) -> str:
        return _("“%(title)s” is part of every delegate's programme: there is nothing to choose.") % {"title": title}

    @staticmethod
    def visit_other_delegation(title: str) -> str:
        return _("“%(title)s” belongs to another delegation.") % {"title": title}

    @staticmethod
    def visit_started(title: str) -> str:
        return _("“%(title)s” has already started, so its places can no longer change.") % {"title": title}

    @staticmethod
    def visit_capacity_needs_optional() -> str:
        return _(
            "Only optional visits have their own number of places: every confirmed delegate attends the others. "
            "Tick “optional visit” or leave places empty."
        )

    @staticmethod
    def visit_has_choices(count: int) -> str:
        return ngettext(
            "%(count)d delegate has chosen this visit or is waiting for it, so it must stay optional. "
            "Remove them from the visit first.",
            "%(count)d delegates have chosen this visit or are waiting for it, so it must stay optional. "
            "Remove them from the visit first.",
            count,
        ) % {"count": count}

    @staticmethod
    def visit_capacity_below_booked(booked: int) -> str:
        return ngettext(
            "%(booked)d place is already taken, so places cannot be lower than %(booked)d. "
            "Remove people from the visit first.",
            "%(booked)d places are already taken, so places cannot be lower than %(booked)d. "
            "Remove people from the visit first.",
            booked,
        ) % {"booked": booked}

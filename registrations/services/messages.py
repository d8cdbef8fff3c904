"""Every message a person can see from a refused action, in one place."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from registrations.models import Registration

Status = Registration.Status


class Messages:
    """Every message a person can see from a refused action, in one place."""

    @staticmethod
    def registration_closed() -> str:
        return _("Registration for this delegation is closed.")

    @staticmethod
    def duplicate_email() -> str:
        return _("This e-mail address is already registered for this delegation. Its private link shows it and lets its owner cancel it.")

    @staticmethod
    def duplicate_email_public() -> str:
        """The public form's answer: the same kind of words as "Lost your link?", telling no one who registered."""
        return _("If this address is already registered, we have e-mailed its private link to it.")

    @staticmethod
    def email_not_changeable() -> str:
        return _(
            "Your e-mail address cannot be changed here: it is the address you confirmed, and your private link is sent to it. "
            "Please write to the organizer."
        )

    @staticmethod
    def sector_change_refused(status_label: str) -> str:
        return _("The field cannot be changed while your registration is “%(status)s”. Please write to the organizer.") % {"status": status_label}

    @staticmethod
    def sector_full(sector: str) -> str:
        return _("%(sector)s is full: its seats are all taken. Keep your field or choose one with seats left.") % {"sector": sector}

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
    def seats_below_taken(taken: int) -> str:
        return _(
            "%(taken)d seats are already taken (confirmed, offered or held by an invitation), so seats cannot be "
            "lower than %(taken)d. Cancel registrations or revoke invitations first."
        ) % {"taken": taken}

    @staticmethod
    def sector_cap_below_taken(taken: int, sector: str) -> str:
        return _("%(taken)d seats in %(sector)s are already taken, so its cap cannot be lower than %(taken)d.") % {
            "taken": taken,
            "sector": sector,
        }

    @staticmethod
    def seats_left(left: int, wanted: int) -> str:
        return _("Only %(left)d seats left; %(wanted)d selected.") % {"left": left, "wanted": wanted}

    @staticmethod
    def sector_seats_left(left: int, sector: str, wanted: int) -> str:
        return _("Only %(left)d seats left in %(sector)s; %(wanted)d selected.") % {
            "left": left,
            "sector": sector,
            "wanted": wanted,
        }

    @staticmethod
    def no_live_offer() -> str:
        return _("There is no seat offer waiting for you on this registration.")

    @staticmethod
    def offer_expired(when) -> str:
        return _("This offer expired at %(when)s (Korea time) and the seat has gone to the next person.") % {
            "when": date_format(timezone.localtime(when), "DATETIME_FORMAT"),
        }

    @staticmethod
    def offer_expired_reason() -> str:
        return _("The seat offer expired without an answer.")

    @staticmethod
    def offer_declined_reason() -> str:
        return _("The seat offer was declined.")

    @staticmethod
    def invited_reason() -> str:
        return _("Registered through a personal invitation.")

    @staticmethod
    def invitation_not_valid() -> str:
        return _("This invitation is no longer valid: it was used, withdrawn, or its deadline has passed.")

    @staticmethod
    def invitation_deadline() -> str:
        return _("Choose a deadline in the future and before the delegation starts.")

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
            "%(count)d delegate has chosen this visit or is waiting for it, so it must stay optional. Remove them from the visit first.",
            "%(count)d delegates have chosen this visit or are waiting for it, so it must stay optional. Remove them from the visit first.",
            count,
        ) % {"count": count}

    @staticmethod
    def visit_capacity_below_booked(booked: int) -> str:
        return ngettext(
            "%(booked)d place is already taken, so places cannot be lower than %(booked)d. Remove people from the visit first.",
            "%(booked)d places are already taken, so places cannot be lower than %(booked)d. Remove people from the visit first.",
            booked,
        ) % {"booked": booked}

    # --- Check-in ------------------------------------------------------------

    @staticmethod
    def checkin_status_refused(status_label: str) -> str:
        return _("Not checked in: this registration is “%(status)s”. Only confirmed delegates can be checked in.") % {
            "status": status_label,
        }

    @staticmethod
    def checkin_not_booked(title: str) -> str:
        return _("Not checked in: “%(title)s” has limited places and this delegate has no place booked on it.") % {
            "title": title,
        }

    @staticmethod
    def checkin_wrong_delegation() -> str:
        return _("Not checked in: this visit belongs to another delegation.")

    @staticmethod
    def checkin_already_undone() -> str:
        return _("This check-in was already undone.")

    @staticmethod
    def checkin_staff_username_taken() -> str:
        return _("This username is already taken. Choose another one; existing accounts are never changed here.")

    # --- e-mail confirmation (services/confirmation.py) ---

    @staticmethod
    def email_not_confirmed_reason() -> str:
        return _("E-mail not confirmed in time.")

    @staticmethod
    def email_confirmed_reason() -> str:
        return _("E-mail address confirmed.")

    @staticmethod
    def email_confirmed_by_hand_reason() -> str:
        return _("E-mail address confirmed by hand by an organizer.")

    @staticmethod
    def email_nothing_to_confirm() -> str:
        return _("This registration is not waiting for an e-mail confirmation (the time to confirm may have run out).")

    @staticmethod
    def email_code_wrong(attempts_left: int) -> str:
        return ngettext(
            "This code is not right. %(count)d more try is allowed.",
            "This code is not right. %(count)d more tries are allowed.",
            attempts_left,
        ) % {"count": attempts_left}

    @staticmethod
    def email_code_locked() -> str:
        return _("Too many wrong codes. Use the link in the e-mail, or ask the organizers to confirm your address.")

    # --- seat substitution (services/substitution.py) ---

    @staticmethod
    def handover_not_confirmed() -> str:
        return _("Only a confirmed seat can be handed to a colleague.")

    @staticmethod
    def handover_other_company(company: str) -> str:
        return _("The seat stays with %(company)s: enter a colleague from the same company.") % {"company": company}

    @staticmethod
    def handover_seat_changed() -> str:
        return _("This seat has changed in the meantime (it may have been handed on already). Open the page again.")

    @staticmethod
    def handover_expired() -> str:
        return _("This link is no longer valid: the handover was withdrawn, replaced or not accepted in time.")

    @staticmethod
    def handover_reason(old_name: str, new_name: str, *, by_delegate: bool) -> str:
        if by_delegate:
            return _("Seat handed from %(old)s to %(new)s at the delegate's request; %(new)s accepted.") % {"old": old_name, "new": new_name}
        return _("Seat handed from %(old)s to %(new)s by an organizer; %(new)s accepted.") % {"old": old_name, "new": new_name}

    # --- announcements and reminders (services/announcements.py) ---

    @staticmethod
    def announcement_not_draft() -> str:
        return _("This announcement is already scheduled or sent, so it can no longer be changed or sent again.")

    @staticmethod
    def announcement_not_scheduled() -> str:
        return _("This announcement is not scheduled (it may have just been sent).")

    @staticmethod
    def announcement_nobody() -> str:
        return _("Nobody is in this audience now, so there is no one to send it to.")

    @staticmethod
    def announcement_visit_needed() -> str:
        return _("Choose the visit whose attendees get it.")

    @staticmethod
    def announcement_visit_other_delegation() -> str:
        return _("This visit belongs to another delegation.")

    @staticmethod
    def reminder_after_start() -> str:
        return _("The reminder must go out before the visit starts.")

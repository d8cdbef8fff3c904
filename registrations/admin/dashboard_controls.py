"""Quick controls on a delegation's dashboard: seats, registration open or closed, registration mode.

Each is a small form posting to its own admin URL; the view calls one service and reports with
message_user. Changing anything needs the "change delegation" permission.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from registrations import selectors, services
from registrations.admin.review import review_list_url
from registrations.models import Delegation

Mode = Delegation.Mode


class SeatsForm(forms.Form):
    seats = forms.IntegerField(label=gettext_lazy("Seats"), min_value=0, max_value=100000)


class ModeForm(forms.Form):
    mode = forms.ChoiceField(choices=Mode.choices, widget=forms.HiddenInput)


class OpenForm(forms.Form):
    is_open = forms.TypedChoiceField(coerce=lambda value: value == "1", choices=[("1", "1"), ("0", "0")], widget=forms.HiddenInput)


def registration_state(delegation: Delegation, now=None) -> str:
    """One line for the dashboard: is registration open now, and why not."""
    now = now or timezone.now()
    if not delegation.is_published:
        return _("Closed: the delegation is not published.")
    if delegation.registration_opens_at and now < delegation.registration_opens_at:
        return _("Closed until %(when)s.") % {"when": timezone.localtime(delegation.registration_opens_at).strftime("%Y-%m-%d %H:%M")}
    if delegation.registration_closes_at and now >= delegation.registration_closes_at:
        return _("Closed since %(when)s.") % {"when": timezone.localtime(delegation.registration_closes_at).strftime("%Y-%m-%d %H:%M")}
    return _("Open.")


def mode_switch_consequence(delegation: Delegation) -> str:
    """What the mode switch would do, shown before the organizer presses it."""
    if not delegation.is_review:
        return _(
            "Nobody's status changes. New submissions wait for your review, and freed seats are no longer offered to the waiting list automatically."
        )
    plan = services.mode_switch_plan(delegation=delegation)
    if not plan.confirm and not plan.waitlist:
        return _("No application is pending: nobody's status changes. New submissions are confirmed while seats are left.")
    confirm = ngettext(
        "%(count)d pending application will be confirmed",
        "%(count)d pending applications will be confirmed",
        len(plan.confirm),
    ) % {"count": len(plan.confirm)}
    waitlist = ngettext(
        "%(count)d will go on the waiting list",
        "%(count)d will go on the waiting list",
        len(plan.waitlist),
    ) % {"count": len(plan.waitlist)}
    return _("%(confirm)s and %(waitlist)s, in submission order (confirmed while seats are left).") % {
        "confirm": confirm,
        "waitlist": waitlist,
    }


class DelegationDashboardControlsMixin:
    """URLs, views and template context of the dashboard's quick controls (for DelegationAdmin)."""

    def dashboard_control_urls(self) -> list:
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/dashboard/seats/", view(require_POST(self.dashboard_seats)), name="registrations_delegation_dashboard_seats"),
            path("<int:pk>/dashboard/open/", view(require_POST(self.dashboard_open)), name="registrations_delegation_dashboard_open"),
            path("<int:pk>/dashboard/mode/", view(require_POST(self.dashboard_mode)), name="registrations_delegation_dashboard_mode"),
        ]

    def dashboard_controls_context(self, request: HttpRequest, delegation: Delegation) -> dict:
        return {
            "can_change": self.has_change_permission(request, delegation),
            "seats_form": SeatsForm(initial={"seats": delegation.seats}, auto_id="id_dashboard_%s"),
            "registration_open": delegation.is_registration_open(),
            "registration_state": registration_state(delegation),
            "other_mode": Mode.FIRST_COME if delegation.is_review else Mode.REVIEW,
            "other_mode_label": (Mode.FIRST_COME if delegation.is_review else Mode.REVIEW).label,
            "mode_consequence": mode_switch_consequence(delegation),
            "review_list_url": review_list_url(delegation.pk),
        }

    def _changeable(self, request: HttpRequest, pk: int) -> Delegation:
        delegation = get_object_or_404(Delegation, pk=pk)
        if not self.has_change_permission(request, delegation):
            raise PermissionDenied
        return delegation

    def _back(self, delegation: Delegation) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:registrations_delegation_dashboard", args=[delegation.pk]))

    def _report_offers(self, request: HttpRequest, offers: list) -> None:
        if offers:
            self.message_user(
                request,
                ngettext(
                    "%(count)d person on the waiting list was offered a seat.",
                    "%(count)d people on the waiting list were offered a seat.",
                    len(offers),
                )
                % {"count": len(offers)},
                messages.SUCCESS,
            )

    def dashboard_seats(self, request: HttpRequest, pk: int) -> HttpResponseRedirect:
        delegation = self._changeable(request, pk)
        form = SeatsForm(request.POST)
        if not form.is_valid():
            self.message_user(request, " ".join(form.errors["seats"]), messages.ERROR)
            return self._back(delegation)
        try:
            offers = services.delegation_set_seats(delegation=delegation, seats=form.cleaned_data["seats"])
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return self._back(delegation)
        self.message_user(request, _("Seats set to %(seats)d.") % {"seats": delegation.seats}, messages.SUCCESS)
        self._report_offers(request, offers)
        if not offers and delegation.is_review and selectors.seat_counts(delegation=delegation).waitlisted:
            self.message_user(
                request, _("Application review: free seats are not offered automatically. Confirm people from the waiting list."), messages.INFO
            )
        return self._back(delegation)

    def dashboard_open(self, request: HttpRequest, pk: int) -> HttpResponseRedirect:
        delegation = self._changeable(request, pk)
        form = OpenForm(request.POST)
        if form.is_valid():
            offers = services.delegation_set_open(delegation=delegation, is_open=form.cleaned_data["is_open"])
            self.message_user(
                request,
                _("Registration is open.") if form.cleaned_data["is_open"] else _("Registration is closed. The delegation's page stays published."),
                messages.SUCCESS,
            )
            self._report_offers(request, offers)
        return self._back(delegation)

    def dashboard_mode(self, request: HttpRequest, pk: int) -> HttpResponseRedirect:
        delegation = self._changeable(request, pk)
        form = ModeForm(request.POST)
        if not form.is_valid():
            return self._back(delegation)
        plan = services.delegation_set_mode(delegation=delegation, mode=form.cleaned_data["mode"], by=request.user)
        self.message_user(request, _("Registration mode: %(mode)s.") % {"mode": delegation.get_registration_mode_display()}, messages.SUCCESS)
        if plan.confirm or plan.waitlist:
            self.message_user(
                request,
                _("%(confirmed)d pending applications confirmed, %(waitlisted)d put on the waiting list.")
                % {"confirmed": len(plan.confirm), "waitlisted": len(plan.waitlist)},
                messages.SUCCESS,
            )
        return self._back(delegation)

"""Deciding one application from its own admin page: Confirm / Waiting list / Reject / Cancel, then the next one.

The buttons post to a custom admin URL that calls the same services as the list actions. After a
decision the organizer lands on the next pending application of that delegation (oldest first), so
deciding one takes two clicks from the review list (open it, press Confirm) and one after that.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from registrations import services
from registrations.models import Registration

Status = Registration.Status

# Decision -> the status it leads to (offered only if the transition from the current status is allowed).
DECISIONS = {"confirm": Status.CONFIRMED, "waitlist": Status.WAITLISTED, "reject": Status.REJECTED, "cancel": Status.CANCELLED}
DECISION_LABELS = {"confirm": _("Confirm"), "waitlist": _("Waiting list"), "reject": _("Reject"), "cancel": _("Cancel registration")}
# The review list shows what a decision needs; status, position and source say nothing about pending people.
# Company and title share a cell and the date is short, so the list fits 1366 px beside the admin's sidebars.
REVIEW_LIST_DISPLAY = ["full_name", "company_and_title", "sector", "email", "language", "short_note", "submitted"]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[(key, key) for key in DECISIONS])
    reason = forms.CharField(
        label=_("Reason shown to the person (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
    )


def next_pending(registration: Registration) -> Registration | None:
    """The oldest pending application of the same delegation, other than this one."""
    pending = Registration.objects.filter(delegation_id=registration.delegation_id, status=Status.PENDING)
    return pending.exclude(pk=registration.pk).order_by("created_at", "pk").first()


def review_list_url(delegation_id: int) -> str:
    query = urlencode({"delegation__id__exact": delegation_id, "status__exact": Status.PENDING})
    return f"{reverse('admin:registrations_registration_changelist')}?{query}"


class RegistrationReviewMixin:
    """Decision buttons and "next pending" on a registration's change page; note and e-mail in the review list."""

    change_form_template = "admin/registrations/registration/review_change_form.html"

    @property
    def media(self):
        return super().media + forms.Media(css={"all": ["css/admin-review.css"]})

    @staticmethod
    def _is_review_list(request: HttpRequest) -> bool:
        return request.GET.get("status__exact") == Status.PENDING

    def get_list_display(self, request: HttpRequest):
        return REVIEW_LIST_DISPLAY if self._is_review_list(request) else super().get_list_display(request)

    @admin.display(description=_("note"))
    def short_note(self, obj: Registration) -> str:
        return Truncator(obj.note).chars(60)

    @admin.display(description=_("company"), ordering="company")
    def company_and_title(self, obj: Registration) -> str:
        return format_html('{}<br><span class="quiet">{}</span>', obj.company, obj.job_title)

    @admin.display(description=_("created at"), ordering="created_at")
    def submitted(self, obj: Registration) -> str:
        return timezone.localtime(obj.created_at).strftime("%Y-%m-%d %H:%M")

    def get_urls(self):
        decide = self.admin_site.admin_view(require_POST(self.decide_view))
        return [path("<int:pk>/decide/", decide, name="registrations_registration_decide"), *super().get_urls()]

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        registration = self.get_object(request, object_id)
        if registration is not None:
            extra_context = {**(extra_context or {}), **self._review_context(request, registration)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _review_context(self, request: HttpRequest, registration: Registration) -> dict:
        allowed = services.ALLOWED_TRANSITIONS[registration.status]
        following = next_pending(registration)
        can_decide = self.has_change_permission(request, registration)
        return {
            "decisions": [(key, DECISION_LABELS[key]) for key, status in DECISIONS.items() if status in allowed] if can_decide else [],
            "decision_form": DecisionForm(auto_id="id_decision_%s"),
            "next_pending": following,
            "review_list_url": review_list_url(registration.delegation_id),
        }

    def decide_view(self, request: HttpRequest, pk: int) -> HttpResponseRedirect:
        registration = get_object_or_404(Registration.objects.select_related("delegation", "sector"), pk=pk)
        if not self.has_change_permission(request, registration):
            raise PermissionDenied
        form = DecisionForm(request.POST)
        here = HttpResponseRedirect(reverse("admin:registrations_registration_change", args=[pk]))
        if not form.is_valid():
            for errors in form.errors.values():
                self.message_user(request, " ".join(errors), messages.ERROR)
            return here
        decision = form.cleaned_data["decision"]
        try:
            self._apply(request, registration, decision, form.cleaned_data["reason"])
        except ValidationError as error:
            self.message_user(request, f"{registration.full_name}: {' '.join(error.messages)}", messages.ERROR)
            return here
        self.message_user(request, self._done_message(decision, registration), messages.SUCCESS)
        following = next_pending(registration)
        if following is not None:
            return HttpResponseRedirect(reverse("admin:registrations_registration_change", args=[following.pk]))
        self.message_user(request, _("No application is waiting for review."), messages.INFO)
        return HttpResponseRedirect(review_list_url(registration.delegation_id))

    @staticmethod
    def _apply(request: HttpRequest, registration: Registration, decision: str, reason: str) -> None:
        by = request.user
        if decision == "confirm":
            services.registrations_confirm(delegation=registration.delegation, registrations=[registration], by=by)
        elif decision == "waitlist":
            services.registration_waitlist(registration=registration, by=by)
        elif decision == "reject":
            services.registration_reject(registration=registration, by=by, reason=reason)
        else:
            services.registration_cancel(registration=registration, by=by)

    @staticmethod
    def _done_message(decision: str, registration: Registration) -> str:
        messages_by_decision = {
            "confirm": ngettext("Confirmed %(count)d registration.", "Confirmed %(count)d registrations.", 1),
            "waitlist": ngettext("Put %(count)d registration on the waiting list.", "Put %(count)d registrations on the waiting list.", 1),
            "reject": ngettext("Rejected %(count)d registration.", "Rejected %(count)d registrations.", 1),
            "cancel": ngettext("Cancelled %(count)d registration.", "Cancelled %(count)d registrations.", 1),
        }
        return f"{registration.full_name}: {messages_by_decision[decision] % {'count': 1}}"

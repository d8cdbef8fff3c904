""" "Hand this seat to a colleague" on a confirmed registration's admin page: one form, then the colleague accepts by e-mail.

Clicks: open the registration (1), "Hand this seat to a colleague" (2), fill in and "Send the request" (3). The
seat moves when the colleague accepts from their e-mail (their own consent; services/substitution.py).
"""

from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from registrations import services
from registrations.forms.substitution import OrganizerColleagueForm
from registrations.models import Registration


class RegistrationSubstitutionMixin:
    def get_urls(self):
        view = self.admin_site.admin_view(self.substitute_view)
        return [path("<int:pk>/substitute/", view, name="registrations_registration_substitute"), *super().get_urls()]

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        registration = self.get_object(request, object_id)
        if registration is not None:
            extra_context = {
                **(extra_context or {}),
                "can_hand_over": self.has_change_permission(request, registration)
                and services.seat_handover_refusal_reason(registration=registration, by_delegate=False) is None,
                "pending_handover": services.seat_handover_pending(registration=registration),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def substitute_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        registration = get_object_or_404(Registration.objects.select_related("delegation", "sector"), pk=pk)
        if not self.has_change_permission(request, registration):
            raise PermissionDenied
        change_url = reverse("admin:registrations_registration_change", args=[pk])
        refusal = services.seat_handover_refusal_reason(registration=registration, by_delegate=False)
        if refusal:
            self.message_user(request, f"{registration.full_name}: {refusal}", messages.ERROR)
            return HttpResponseRedirect(change_url)
        if request.method == "POST" and "withdraw" in request.POST:
            services.seat_handover_withdraw(registration=registration)
            self.message_user(
                request, _("The handover request was withdrawn; the seat stays with %(name)s.") % {"name": registration.full_name}, messages.SUCCESS
            )
            return HttpResponseRedirect(change_url)
        form = OrganizerColleagueForm(
            request.POST if request.method == "POST" else None, initial={"company": registration.company, "language": registration.language}
        )
        if request.method == "POST" and form.is_valid():
            try:
                handover = services.seat_handover_request(
                    registration=registration,
                    new_person=form.new_person(),
                    by=request.user,
                    allow_other_company=form.cleaned_data["allow_other_company"],
                )
            except ValidationError as error:
                self._add_errors(form, error)
            else:
                self.message_user(
                    request,
                    _("We e-mailed %(new)s a link to accept the seat by %(when)s (Korea time). Until then it stays with %(old)s.")
                    % {
                        "new": handover.full_name,
                        "old": registration.full_name,
                        "when": date_format(timezone.localtime(handover.expires_at), "SHORT_DATETIME_FORMAT"),
                    },
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(change_url)
        return TemplateResponse(
            request,
            "admin/registrations/registration/substitute.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Hand this seat to a colleague"),
                "opts": self.model._meta,
                "original": registration,
                "form": form,
                "adminform": helpers.AdminForm(form, [(None, {"fields": form.field_order})], {}),
                "pending": services.seat_handover_pending(registration=registration),
                "change_url": change_url,
            },
        )

    @staticmethod
    def _add_errors(form: OrganizerColleagueForm, error: ValidationError) -> None:
        for field, errors in (error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}).items():
            form.add_error(field if field in form.fields else None, errors)

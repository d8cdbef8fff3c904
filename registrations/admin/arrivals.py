"""Arrivals and departures of a delegation (for airport pickups): a page of the travel-document admin; every look is logged."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _

from registrations import services
from registrations.core.exports import csv_response, xlsx_response
from registrations.models import Delegation
from registrations.models.travel import TravelDocumentAccess
from registrations.selectors.arrivals import DEFAULT_WINDOW_HOURS, WINDOW_HOURS, movements_table, travel_movements, window_label

Action = TravelDocumentAccess.Action
EXPORTS = {"csv": (Action.ARRIVALS_CSV, csv_response), "xlsx": (Action.ARRIVALS_XLSX, xlsx_response)}


def _hours(request: HttpRequest) -> int:
    text = request.GET.get("hours", "")
    return int(text) if text.isdigit() and int(text) in WINDOW_HOURS else DEFAULT_WINDOW_HOURS


class ArrivalsMixin:
    """``/admin/registrations/traveldocument/arrivals/<delegation id>/`` (``?hours=``, ``&format=csv|xlsx``) for TravelDocumentAdmin."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("arrivals/<int:delegation_id>/", view(self.arrivals_view), name="registrations_traveldocument_arrivals"),
        ] + super().get_urls()

    def arrivals_view(self, request: HttpRequest, delegation_id: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        delegation = get_object_or_404(Delegation, pk=delegation_id)
        hours = _hours(request)
        read, movements = travel_movements(delegation=delegation, hours=hours)
        export = request.GET.get("format", "")
        action, respond = EXPORTS.get(export, (Action.ARRIVALS, None))
        services.travel_document_access_record(user=request.user, action=action, delegation=delegation, registration_ids=read)
        if respond is not None:
            header, rows = movements_table(movements)
            response = respond(filename=f"arrivals-departures-{delegation.slug}-{hours}h.{export}", header=header, rows=rows)
        else:
            for group in movements:
                for window in group.windows:
                    window.label = window_label(window)
            response = TemplateResponse(
                request,
                "admin/registrations/traveldocument/arrivals.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.model._meta,
                    "delegation": delegation,
                    "title": _("Arrivals and departures: %(delegation)s") % {"delegation": delegation},
                    "hours": hours,
                    "hour_choices": WINDOW_HOURS,
                    "sections": [(movements[0], _("Arrivals")), (movements[1], _("Departures"))],
                },
            )
        response["Cache-Control"] = "private, no-store"
        return response

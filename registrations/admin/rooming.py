"""The rooming list of a delegation (for the hotel): a page of the registration admin, with CSV, XLSX and PDF of one table.

Anyone who may view registrations sees it; the passport-name columns only with the travel-document
permission. Every decryption of travel documents is logged: shown (page or download) or only compared
to pair roommates.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _

from registrations import services
from registrations.core.exports import csv_response, file_response, xlsx_response
from registrations.documents.pdf import PdfFontMissing, table_pdf
from registrations.models import Delegation
from registrations.models.travel import VIEW_TRAVEL_DOCUMENTS, TravelDocumentAccess
from registrations.selectors.rooming import rooming_list, rooming_table

Action = TravelDocumentAccess.Action
SHOWN = {"": Action.ROOMING, "csv": Action.ROOMING_CSV, "xlsx": Action.ROOMING_XLSX, "pdf": Action.ROOMING_PDF}


class RoomingMixin:
    """``/admin/registrations/registration/rooming/<delegation id>/`` (``?format=csv|xlsx|pdf``) for RegistrationAdmin."""

    def get_urls(self):
        view = self.admin_site.admin_view(self.rooming_view)
        return [path("rooming/<int:delegation_id>/", view, name="registrations_registration_rooming"), *super().get_urls()]

    def rooming_view(self, request: HttpRequest, delegation_id: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        delegation = get_object_or_404(Delegation, pk=delegation_id)
        export = request.GET.get("format", "")
        export = export if export in SHOWN else ""
        shown = request.user.has_perm(VIEW_TRAVEL_DOCUMENTS)
        rooming = rooming_list(delegation=delegation, with_passport_names=shown)
        if shown or rooming.read:
            action = SHOWN[export] if shown else Action.ROOMING_PAIRING
            services.travel_document_access_record(user=request.user, action=action, delegation=delegation, registration_ids=rooming.read)
        header, rows = rooming_table(rooming)
        title = _("Rooming list: %(delegation)s") % {"delegation": delegation}
        filename = f"rooming-list-{delegation.slug}.{export}"
        if export == "csv":
            response = csv_response(filename=filename, header=header, rows=rows)
        elif export == "xlsx":
            response = xlsx_response(filename=filename, header=header, rows=rows)
        elif export == "pdf":
            subtitle = _("%(rooms)d rooms, %(to_pair)d to pair, %(without)d without a room type") % {
                "rooms": len(rooming.rooms),
                "to_pair": len(rooming.to_pair),
                "without": len(rooming.no_room_type),
            }
            try:
                widths = [4, 3, *([3, 3, 3] if rooming.with_passport_names else [3, 3]) * 2, 5]
                content = table_pdf(title=title, subtitle=subtitle, header=header, rows=rows, widths=widths)
            except PdfFontMissing as error:
                self.message_user(request, str(error), messages.ERROR)
                return HttpResponseRedirect(request.path)
            response = file_response(filename=filename, content_type="application/pdf", content=content)
        else:
            response = TemplateResponse(
                request,
                "admin/registrations/registration/rooming.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.model._meta,
                    "delegation": delegation,
                    "title": title,
                    "rooming": rooming,
                    "counts": rooming.counts(),
                    "header": header,
                    "rows": rows,
                },
            )
        response["Cache-Control"] = "private, no-store"
        return response

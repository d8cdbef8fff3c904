"""Admin for travel documents: only for users with the dedicated permission; every look is logged.

Nothing of a travel document is shown in the registration admin or its exports. The list here
decrypts per delegation; the access log is read-only and for superusers only.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from registrations import services
from registrations.admin.arrivals import ArrivalsMixin
from registrations.core.exports import csv_response, xlsx_response
from registrations.models import Delegation
from registrations.models.travel import NATIONALITIES, VIEW_TRAVEL_DOCUMENTS, TravelDocument, TravelDocumentAccess

COLUMNS = [
    ("full_name", _("Registered name")),
    ("passport_name", _("Name in passport")),
    ("passport_number", _("Passport number")),
    ("nationality", _("Nationality")),
    ("date_of_birth", _("Date of birth")),
    ("passport_expires_on", _("Passport expiry date")),
    ("arrival_flight", _("Arrival flight")),
    ("arrival_at", _("Arrival time")),
    ("departure_flight", _("Departure flight")),
    ("departure_at", _("Departure time")),
    ("consent", _("Consent")),
]


def _rows(documents) -> list[list[str]]:
    names = dict(NATIONALITIES)
    rows = []
    for document in documents:
        details = document.details
        details["nationality"] = str(names.get(details.get("nationality"), details.get("nationality", "")))
        details["full_name"] = document.registration.full_name
        for name in ("arrival_at", "departure_at"):
            details[name] = (details.get(name) or "").replace("T", " ")
        details["consent"] = f"{document.consent_version} {document.consent_given_at:%Y-%m-%d %H:%M}"
        rows.append([details.get(name, "") for name, _label in COLUMNS])
    return rows


class ReadOnlyAdmin(admin.ModelAdmin):
    """Nothing is added, changed or deleted here; who may look is the subclass's has_module_permission."""

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(TravelDocument)
class TravelDocumentAdmin(ArrivalsMixin, ReadOnlyAdmin):
    """One page: pick a delegation, see (and export) its travel documents; and its arrivals and departures (ArrivalsMixin)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.has_perm(VIEW_TRAVEL_DOCUMENTS)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        raise PermissionDenied  # one place shows travel documents: the list, which logs the access

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        delegation_id = request.GET.get("delegation", "")
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "title": _("Travel documents")}
        if not delegation_id.isdigit():
            context["delegations"] = Delegation.objects.order_by("-starts_on", "pk")
            return TemplateResponse(request, "admin/registrations/traveldocument/delegations.html", context)
        delegation = get_object_or_404(Delegation, pk=int(delegation_id))
        documents = list(
            TravelDocument.objects.filter(registration__delegation=delegation)
            .exclude(data="")
            .select_related("registration")
            .order_by("registration__full_name", "pk")
        )
        ids = [document.registration_id for document in documents]
        export = request.GET.get("format", "")
        action = {"csv": TravelDocumentAccess.Action.EXPORT_CSV, "xlsx": TravelDocumentAccess.Action.EXPORT_XLSX}.get(
            export, TravelDocumentAccess.Action.VIEW
        )
        services.travel_document_access_record(user=request.user, action=action, delegation=delegation, registration_ids=ids)
        header = [str(label) for _name, label in COLUMNS]
        if export in ("csv", "xlsx"):
            respond = csv_response if export == "csv" else xlsx_response
            return respond(filename=f"travel-documents-{delegation.slug}.{export}", header=header, rows=_rows(documents))
        context.update(delegation=delegation, header=header, rows=_rows(documents))
        response = TemplateResponse(request, "admin/registrations/traveldocument/list.html", context)
        response["Cache-Control"] = "private, no-store"
        return response


@admin.register(TravelDocumentAccess)
class TravelDocumentAccessAdmin(ReadOnlyAdmin):
    """Who looked at travel documents: superusers only, read-only."""

    list_display = ["at", "username", "action", "delegation", "registration_ids"]
    list_filter = ["action", "delegation"]
    date_hierarchy = "at"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

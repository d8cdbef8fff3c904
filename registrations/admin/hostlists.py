"""Admin for host lists: per visit, tick the host's columns and freeze a version; its link, expiry, accesses, withdrawal.

The page hangs off the visit's admin (``HostListsMixin`` on ItineraryItemAdmin):
``/admin/registrations/itineraryitem/<id>/host-lists/``. Seeing it needs "view host list" and
"view registration"; freezing "add host list" (and the travel-document permission for passport
columns); withdrawing "change host list". The full access log is a read-only list.
"""

from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from registrations import services
from registrations.admin.travel import ReadOnlyAdmin
from registrations.forms.hostlists import HostListFreezeForm
from registrations.models import ItineraryItem
from registrations.models.hostlists import FIELDS_BY_KEY, PASSPORT_FIELDS, HostList, HostListAccess, HostListRow
from registrations.models.travel import VIEW_TRAVEL_DOCUMENTS
from registrations.selectors import visit_attendees
from registrations.selectors.hostlists import host_list_state, host_lists_of_visit
from registrations.selectors.links import host_list_url

DEFAULT_COLUMNS = ["passport_name", "full_name", "company", "job_title"]
STATES = {"open": gettext_lazy("Link works"), "withdrawn": gettext_lazy("Withdrawn"), "expired": gettext_lazy("Expired")}


def _default_expiry(visit: ItineraryItem):
    """A day after the visit ends; a week from now once that has passed."""
    after_visit = visit.ends_at + timedelta(days=1)
    return timezone.localtime(after_visit if after_visit > timezone.now() else timezone.now() + timedelta(days=7))


class HostListsMixin:
    """The host-lists page of a visit, for ItineraryItemAdmin."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:object_id>/host-lists/", view(self.host_lists_view), name="registrations_itineraryitem_host_lists"),
        ] + super().get_urls()

    @admin.display(description=gettext_lazy("host lists"))
    def host_lists_link(self, obj: ItineraryItem) -> str:
        if obj.pk is None:
            return "—"
        url = reverse("admin:registrations_itineraryitem_host_lists", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Visitor lists for the host"))

    def _freeze_form(self, request: HttpRequest, visit: ItineraryItem, data=None) -> HostListFreezeForm:
        latest = HostList.objects.filter(visit=visit).order_by("-version").first()
        with_passport = request.user.has_perm(VIEW_TRAVEL_DOCUMENTS)
        columns = latest.fields if latest else DEFAULT_COLUMNS
        initial = {
            "columns": [key for key in columns if with_passport or key not in PASSPORT_FIELDS] or ["full_name"],
            "expires_at": _default_expiry(visit),
            "withdraw_earlier": True,
        }
        return HostListFreezeForm(data, initial=initial, with_passport=with_passport)

    def host_lists_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        visit = get_object_or_404(ItineraryItem.objects.select_related("delegation"), pk=object_id)
        user = request.user
        if not (user.has_perm("registrations.view_hostlist") and user.has_perm("registrations.view_registration")):
            raise PermissionDenied
        form = self._freeze_form(request, visit)
        if request.method == "POST":
            if request.POST.get("withdraw"):
                return self._withdraw(request, visit, request.POST["withdraw"])
            if not user.has_perm("registrations.add_hostlist"):
                raise PermissionDenied
            form = self._freeze_form(request, visit, request.POST)
            if form.is_valid() and self._freeze(request, visit, form):
                return redirect(request.path)
        return TemplateResponse(request, "admin/registrations/itineraryitem/host_lists.html", self._context(request, visit, form))

    def _freeze(self, request: HttpRequest, visit: ItineraryItem, form: HostListFreezeForm) -> bool:
        try:
            host_list = services.host_list_freeze(
                visit=visit,
                fields=form.cleaned_data["columns"],
                expires_at=form.cleaned_data["expires_at"],
                user=request.user,
                withdraw_earlier=form.cleaned_data["withdraw_earlier"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return False
        rows = HostListRow.objects.filter(host_list=host_list)
        self.message_user(
            request,
            ngettext(
                "Version %(version)d frozen with %(count)d visitor. Copy its link below and send it to the host.",
                "Version %(version)d frozen with %(count)d visitors. Copy its link below and send it to the host.",
                rows.count(),
            )
            % {"version": host_list.version, "count": rows.count()},
            messages.SUCCESS,
        )
        if host_list.has_passport_fields and (missing := rows.filter(protected="").count()):
            self.message_user(
                request,
                ngettext(
                    "%(count)d visitor has not entered passport details: their passport columns are empty.",
                    "%(count)d visitors have not entered passport details: their passport columns are empty.",
                    missing,
                )
                % {"count": missing},
                messages.WARNING,
            )
        return True

    def _withdraw(self, request: HttpRequest, visit: ItineraryItem, host_list_id: str) -> HttpResponse:
        if not request.user.has_perm("registrations.change_hostlist"):
            raise PermissionDenied
        host_list = get_object_or_404(HostList, pk=host_list_id if host_list_id.isdigit() else 0, visit=visit)
        if services.host_list_withdraw(host_list=host_list, user=request.user):
            self.message_user(
                request, _("The link of version %(version)d is withdrawn: it no longer opens.") % {"version": host_list.version}, messages.SUCCESS
            )
        else:
            self.message_user(request, _("The link of version %(version)d was already withdrawn.") % {"version": host_list.version}, messages.WARNING)
        return redirect(request.path)

    def _context(self, request: HttpRequest, visit: ItineraryItem, form: HostListFreezeForm) -> dict:
        user = request.user
        versions = list(host_lists_of_visit(visit=visit))
        now = timezone.now()
        for host_list in versions:
            host_list.state = host_list_state(host_list, now)
            host_list.state_label = STATES[host_list.state]
            host_list.column_labels = ", ".join(str(FIELDS_BY_KEY[key].label) for key in host_list.fields if key in FIELDS_BY_KEY)
            host_list.url = host_list_url(host_list) if user.has_perm("registrations.change_hostlist") else ""
        accesses = HostListAccess.objects.filter(host_list__visit=visit).select_related("host_list")[:20]
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Visitor lists for the host: %(title)s") % {"title": visit.title},
            "visit": visit,
            "attending": len(visit_attendees(visit=visit).attendees),
            "form": form,
            "can_freeze": user.has_perm("registrations.add_hostlist"),
            "can_withdraw": user.has_perm("registrations.change_hostlist"),
            "passport_hidden": not user.has_perm(VIEW_TRAVEL_DOCUMENTS),
            "versions": versions,
            "accesses": accesses,
            "access_log_url": reverse("admin:registrations_hostlistaccess_changelist") + f"?host_list__visit__id__exact={visit.pk}",
            "default_expiry": date_format(_default_expiry(visit), "DATETIME_FORMAT"),
        }


@admin.register(HostListAccess)
class HostListAccessAdmin(ReadOnlyAdmin):
    """Every opening of a host link: when, which list, what, and a keyed hash of the client address."""

    list_display = ["at", "host_list", "what", "client_hash"]
    list_filter = ["what", "host_list__visit__delegation", "host_list__visit"]
    list_select_related = ["host_list__visit"]
    date_hierarchy = "at"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.has_perm("registrations.view_hostlist")

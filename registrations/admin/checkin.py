"""Admin for on-site check-in: attendance per visit (with CSV), manual check-in, undo, code rotation."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from registrations import services
from registrations.admin.checkin_staff import CheckInStaffAdminMixin
from registrations.core.exports import csv_response, local_time_text
from registrations.models import CheckIn, Delegation, ItineraryItem, Registration
from registrations.selectors import attendance


def _user_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


@admin.action(description=gettext_lazy("Issue new check-in codes (their old QR codes stop working)"), permissions=["change"])
def rotate_checkin_codes(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Registration]) -> None:
    count = 0
    for registration in queryset.order_by("pk"):
        services.checkin_code_rotate(registration=registration)
        count += 1
    modeladmin.message_user(
        request,
        ngettext(
            "Issued a new check-in code for %(count)d registration. Its old QR code no longer works.",
            "Issued new check-in codes for %(count)d registrations. Their old QR codes no longer work.",
            count,
        )
        % {"count": count},
        messages.SUCCESS,
    )


class ManualCheckInForm(forms.Form):
    """A person on the visit's list, by registration number; anyone else is "not on the list", with no details."""

    registration = forms.ModelChoiceField(queryset=Registration.objects.none())

    def __init__(self, *args, item: ItineraryItem, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration"].queryset = attendance.checkin_expected(item=item)


class DelegationAttendanceMixin:
    """Adds the read-only "attendance" field (checked in / expected per visit) to the delegation page."""

    @admin.display(description=gettext_lazy("attendance per visit"))
    def attendance(self, obj: Delegation) -> str:
        if obj.pk is None:
            return "—"
        return render_to_string(
            "admin/registrations/_attendance_summary.html",
            {
                "items": attendance.items_with_attendance(delegation=obj),
            },
        )


@admin.register(CheckIn)
class CheckInAdmin(CheckInStaffAdminMixin, admin.ModelAdmin):
    list_display = ["registration", "item", "checked_in_at", "checked_in_by", "undone_at", "undone_by"]
    list_filter = ["item__delegation", "item", ("undone_at", admin.EmptyFieldListFilter)]
    list_select_related = ["registration", "item", "checked_in_by", "undone_by"]
    search_fields = ["registration__full_name", "registration__company"]
    readonly_fields = ["registration", "item", "checked_in_at", "checked_in_by", "undone_at", "undone_by"]
    actions = ["undo_selected"]

    # Staff with only the check-in permission may see attendance; undo needs "change check-in".
    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_view_permission(request, obj) or services.can_check_in(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return super().has_module_permission(request) or services.can_check_in(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # check-ins come from the scan page or the attendance page

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # undo keeps the record

    @admin.action(description=gettext_lazy("Undo selected check-ins (kept in the record)"), permissions=["change"])
    def undo_selected(self, request: HttpRequest, queryset: QuerySet[CheckIn]) -> None:
        done, refused = 0, 0
        for checkin in queryset.order_by("pk"):
            try:
                services.checkin_undo(checkin=checkin, by=request.user)
                done += 1
            except ValidationError:
                refused += 1
        if done:
            self.message_user(request, ngettext("Undid %(count)d check-in.", "Undid %(count)d check-ins.", done) % {"count": done}, messages.SUCCESS)
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%(count)d check-in was already undone.",
                    "%(count)d check-ins were already undone.",
                    refused,
                )
                % {"count": refused},
                messages.WARNING,
            )

    def get_urls(self):
        view = self.admin_site.admin_view
        return (
            [
                path("attendance/", view(self.attendance_overview), name="registrations_checkin_attendance"),
                path("attendance/<int:item_id>/", view(self.attendance_item), name="registrations_checkin_attendance_item"),
                path("attendance/<int:item_id>/csv", view(self.attendance_csv), name="registrations_checkin_attendance_csv"),
            ]
            + self.staff_urls()
            + super().get_urls()
        )

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra = {"attendance_url": reverse("admin:registrations_checkin_attendance"), **(extra_context or {})}
        if request.user.has_perm(services.ADD_STAFF_PERMISSION):
            extra["add_staff_url"] = reverse("admin:registrations_checkin_add_staff")
        return super().changelist_view(request, extra)

    def _require_view(self, request: HttpRequest) -> None:
        if not self.has_view_permission(request):
            raise PermissionDenied

    def attendance_overview(self, request: HttpRequest) -> HttpResponse:
        self._require_view(request)
        return render(
            request,
            "admin/registrations/attendance_overview.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Attendance per visit"),
                "opts": self.model._meta,
                "items": attendance.items_with_attendance(),
            },
        )

    def attendance_item(self, request: HttpRequest, item_id: int) -> HttpResponse:
        self._require_view(request)
        item = get_object_or_404(ItineraryItem.objects.select_related("delegation"), pk=item_id)
        if request.method == "POST":
            return self._manual_checkin(request, item)
        return render(
            request,
            "admin/registrations/attendance_item.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Attendance: %(visit)s") % {"visit": item.title},
                "opts": self.model._meta,
                "item": item,
                "attendance": attendance.attendance(item=item),
                "can_check_in": services.can_check_in(request.user),
                "can_undo": self.has_change_permission(request),
            },
        )

    def _manual_checkin(self, request: HttpRequest, item: ItineraryItem) -> HttpResponse:
        """A delegate without their phone: staff check them in from the list of who is missing."""
        if not services.can_check_in(request.user):
            raise PermissionDenied
        form = ManualCheckInForm(request.POST, item=item)
        if not form.is_valid():
            self.message_user(request, _("Choose a person on the list."), messages.ERROR)
            return redirect("admin:registrations_checkin_attendance_item", item.pk)
        registration = form.cleaned_data["registration"]
        try:
            services.checkin_record(registration=registration, item=item, by=request.user)
        except ValidationError as error:
            self.message_user(request, f"{registration.full_name}: {' '.join(error.messages)}", messages.WARNING)
        else:
            self.message_user(request, _("%(name)s is checked in.") % {"name": registration.full_name}, messages.SUCCESS)
        return redirect("admin:registrations_checkin_attendance_item", item.pk)

    def attendance_csv(self, request: HttpRequest, item_id: int) -> HttpResponse:
        self._require_view(request)
        item = get_object_or_404(ItineraryItem.objects.select_related("delegation"), pk=item_id)
        result = attendance.attendance(item=item)
        header = [
            _("Checked in"),
            _("Name"),
            _("Company"),
            _("Job title"),
            _("Field"),
            _("Mobile phone"),
            _("Status"),
            _("Checked in at (Korea time)"),
            _("Checked in by"),
        ]
        rows = [self._csv_row(_("yes"), checkin.registration, checkin) for checkin in result.present]
        rows += [self._csv_row(_("no"), registration, None) for registration in result.missing]
        return csv_response(filename=f"{item.delegation.slug}-visit-{item.pk}-attendance.csv", header=header, rows=rows)

    @staticmethod
    def _csv_row(present: str, registration: Registration, checkin: CheckIn | None) -> list[str]:
        values = [
            present,
            registration.full_name,
            registration.company,
            registration.job_title,
            registration.sector.name,
            registration.phone,
            registration.get_status_display(),
            local_time_text(checkin.checked_in_at) if checkin else "",
            _user_name(checkin.checked_in_by) if checkin else "",
        ]
        return values

"""Admin for site visits: places taken / capacity, attendee lists (printable page and CSV), bookings."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from registrations import selectors, services
from registrations.admin.announcements import delivery_table
from registrations.admin.hostlists import HostListsMixin
from registrations.core.exports import csv_response
from registrations.core.i18n import content_fieldsets, translation_fields
from registrations.forms import ItineraryItemAdminForm
from registrations.models import Announcement, ItineraryItem, Registration, VisitBooking


def places_label(item: ItineraryItem) -> str:
    """'12 / 20 · 3 waiting' for an item annotated by selectors.itinerary_with_fill."""
    fill = selectors.fill_of(item)
    if not item.is_optional:
        return _("every confirmed delegate (%(count)d)") % {"count": fill.taken}
    if fill.capacity is None:
        label = _("%(taken)d (no limit)") % {"taken": fill.taken}
    else:
        label = _("%(taken)d / %(capacity)d") % {"taken": fill.taken, "capacity": fill.capacity}
    if fill.waiting:
        label += " · " + _("%(waiting)d waiting") % {"waiting": fill.waiting}
    return label


def report_promoted(model_admin: admin.ModelAdmin, request: HttpRequest, promoted: list[VisitBooking]) -> None:
    if promoted:
        model_admin.message_user(
            request,
            ngettext(
                "%(count)d person got a place on a visit from its waiting list.",
                "%(count)d people got a place on a visit from its waiting list.",
                len(promoted),
            )
            % {"count": len(promoted)},
            messages.SUCCESS,
        )


def hold_back_service_fields(forms, fields: list[str]) -> list[tuple]:
    """For saved objects whose ``fields`` changed: put the old values back before the plain save, and
    return ``(instance, {field: new value})`` so the caller changes them through their service."""
    held = []
    for form in forms:
        if form.instance.pk is None or not form.has_changed() or not set(fields) & set(form.changed_data):
            continue
        if getattr(form, "cleaned_data", {}).get("DELETE"):
            continue
        held.append((form.instance, {field: getattr(form.instance, field) for field in fields}))
        for field in fields:
            setattr(form.instance, field, form.initial[field])
    return held


class VisitPlacesMixin:
    """For admins listing itinerary items: places from one annotated query and attendee-list links."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[ItineraryItem]:
        return selectors.itinerary_with_fill(super().get_queryset(request))

    @admin.display(description=gettext_lazy("places taken"))
    def places(self, obj: ItineraryItem) -> str:
        return "—" if obj.pk is None or not hasattr(obj, "booked_count") else places_label(obj)

    @admin.display(description=gettext_lazy("attendee list"))
    def attendee_links(self, obj: ItineraryItem) -> str:
        if obj.pk is None:
            return "—"
        page = reverse("admin:registrations_itineraryitem_attendees", args=[obj.pk])
        csv = reverse("admin:registrations_itineraryitem_attendees_csv", args=[obj.pk])
        hosts = reverse("admin:registrations_itineraryitem_host_lists", args=[obj.pk])
        write = (
            reverse("admin:registrations_announcement_add")
            + "?"
            + urlencode({"delegation": obj.delegation_id, "audience": Announcement.Audience.VISIT, "visit": obj.pk})
        )
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            page,
            _("Printable list"),
            csv,
            _("CSV"),
            hosts,
            _("For the host"),
            write,
            _("Write to them"),
        )


@admin.register(ItineraryItem)
class ItineraryItemAdmin(VisitPlacesMixin, HostListsMixin, admin.ModelAdmin):
    form = ItineraryItemAdminForm
    list_display = ["title", "starts_at", "is_optional", "places", "attendee_links", "delegation"]
    list_filter = ["delegation", "is_optional"]
    list_select_related = ["delegation"]
    search_fields = [*translation_fields("title"), *translation_fields("hosts"), *translation_fields("location")]
    ordering = ["delegation", "starts_at", "order", "pk"]
    readonly_fields = ["places", "attendee_links", "host_lists_link", "reminder_sent_to"]
    # Every text registrants read, in all three languages (English is the fallback); the reminder's
    # meeting point and note are among them.
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "delegation",
                    ("starts_at", "ends_at"),
                    "order",
                    ("is_optional", "capacity"),
                    "places",
                    "attendee_links",
                    "host_lists_link",
                ]
            },
        ),
        (gettext_lazy("Reminder e-mail to those attending"), {"fields": [("reminder_at", "meeting_at"), "reminder_sent_to"]}),
        *content_fieldsets(ItineraryItem.TRANSLATED_FIELDS),
    ]

    @admin.display(description=gettext_lazy("reminder sent to"))
    def reminder_sent_to(self, obj: ItineraryItem) -> str:
        if obj.pk is None:
            return "—"
        return delivery_table(obj.reminder_deliveries.all())

    def get_readonly_fields(self, request: HttpRequest, obj: ItineraryItem | None = None) -> list[str]:
        # Bookings belong to the visit's delegation: the item stays with it.
        return self.readonly_fields + (["delegation"] if obj is not None else [])

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:object_id>/attendees/", view(self.attendees_view), name="registrations_itineraryitem_attendees"),
            path("<int:object_id>/attendees.csv", view(self.attendees_csv_view), name="registrations_itineraryitem_attendees_csv"),
        ] + super().get_urls()

    def get_deleted_objects(self, objs, request: HttpRequest):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Bookings and check-ins protect their item (never deleted with it): say that, not "no permission".
        return deleted, model_count, (set() if protected else perms_needed), protected

    def save_model(self, request, obj, form, change):
        # Places change through their service, as on the delegation page: extra places go to the waiting list.
        held_back = hold_back_service_fields([form], ["is_optional", "capacity"]) if change else []
        super().save_model(request, obj, form, change)
        for visit, values in held_back:
            report_promoted(self, request, services.visit_set_places(visit=visit, **values))

    def _visit_for_list(self, request: HttpRequest, object_id: int) -> ItineraryItem:
        visit = get_object_or_404(selectors.itinerary_with_fill().select_related("delegation"), pk=object_id)
        if not (self.has_view_permission(request, visit) and request.user.has_perm("registrations.view_registration")):
            raise PermissionDenied
        return visit

    def attendees_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        visit = self._visit_for_list(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Attendees: %(title)s") % {"title": visit.title},
            "visit": visit,
            "places": places_label(visit),
            "lists": selectors.visit_attendees(visit=visit),
            "printed_at": timezone.now(),
        }
        return TemplateResponse(request, "admin/registrations/itineraryitem/attendees.html", context)

    def attendees_csv_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        visit = self._visit_for_list(request, object_id)
        lists = selectors.visit_attendees(visit=visit)
        header = [
            _("No."),
            _("Full name"),
            _("Company"),
            _("Job title"),
            _("Field"),
            _("E-mail"),
            _("Mobile phone"),
            _("WeChat ID"),
            _("On this visit"),
            _("Waiting-list position"),
        ]
        here = _("Place booked") if visit.is_optional else _("Confirmed delegate")
        rows = [self._csv_row(number, person, here, None) for number, person in enumerate(lists.attendees, 1)]
        rows += [self._csv_row("", person, _("Waiting list"), person.visit_position) for person in lists.waiting]
        filename = f"{visit.delegation.slug}-visit-{visit.pk}-attendees.csv"
        return csv_response(filename=filename, header=header, rows=rows)

    @staticmethod
    def _csv_row(number, person: Registration, here: str, position: int | None) -> list:
        return [
            number,
            person.full_name,
            person.company,
            person.job_title,
            person.sector.name,
            person.email,
            person.phone,
            person.wechat_id,
            here,
            position,
        ]


@admin.register(VisitBooking)
class VisitBookingAdmin(admin.ModelAdmin):
    """Who chose which visit. Read-only: people join on their own page; organizers remove by action."""

    list_display = ["person", "company", "visit", "status", "waitlist_position", "status_changed_at"]
    list_filter = ["visit__delegation", "visit", "status"]
    list_select_related = ["registration", "visit"]
    search_fields = ["registration__full_name", "registration__company", "registration__email", "visit__title"]
    ordering = ["visit__starts_at", "visit", "status", "waitlist_position", "registration__full_name"]
    actions = ["remove_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: VisitBooking | None = None) -> bool:
        # The list's action needs "change"; a single booking is only viewed (no field can be edited safely).
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: VisitBooking | None = None) -> bool:
        # Deleting would skip the waiting list: use the action, which moves it up.
        return False

    @admin.display(description=gettext_lazy("person"), ordering="registration__full_name")
    def person(self, obj: VisitBooking) -> str:
        return obj.registration.full_name

    @admin.display(description=gettext_lazy("company"), ordering="registration__company")
    def company(self, obj: VisitBooking) -> str:
        return obj.registration.company

    @admin.action(description=gettext_lazy("Remove selected people from their visit (its waiting list moves up)"), permissions=["change"])
    def remove_selected(self, request: HttpRequest, queryset: QuerySet[VisitBooking]) -> None:
        removed, promoted, refused = 0, [], []
        for booking in queryset.select_related("registration", "visit").order_by("pk"):
            try:
                promoted += services.visit_leave(registration=booking.registration, visit=booking.visit)
                removed += 1
            except ValidationError as error:
                refused.append(f"{booking.registration.full_name}: {' '.join(error.messages)}")
        if removed:
            self.message_user(
                request,
                ngettext(
                    "Removed %(count)d person from a visit.",
                    "Removed %(count)d people from their visits.",
                    removed,
                )
                % {"count": removed},
                messages.SUCCESS,
            )
        report_promoted(self, request, promoted)
        for message in refused:
            self.message_user(request, message, messages.WARNING)

"""Admin for delegations: seats, sectors, itinerary, QR code."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from registrations import selectors, services
from registrations.admin.checkin import DelegationAttendanceMixin
from registrations.admin.dashboard_controls import DelegationDashboardControlsMixin
from registrations.admin.questions import DelegationQuestionsMixin, QuestionInline
from registrations.admin.sources import DelegationSourcesMixin
from registrations.admin.visits import VisitPlacesMixin, hold_back_service_fields, report_promoted
from registrations.core.i18n import content_fieldsets, translation_fields
from registrations.forms import DelegationAdminForm, ItineraryItemAdminForm, SectorAdminForm
from registrations.models import Delegation, ItineraryItem, Sector


def _status_rows(counts: selectors.SeatCounts) -> list[tuple[str, int]]:
    return [
        (_("pending"), counts.pending),
        (_("confirmed"), counts.confirmed),
        (_("offered"), counts.offered),
        (_("awaiting e-mail confirmation"), counts.unconfirmed),
        (_("held by invitations"), counts.held),
        (_("left"), counts.left),
        (_("waitlisted"), counts.waitlisted),
    ]


# The desk's order: seats and registration first; texts per language folded (opened when they hold an
# error); sectors and the itinerary next (change_form.html puts the inlines there); QR, sources, check-in last.
LATER = "desk-later"  # fieldsets change_form.html renders after the inlines


class SectorInline(admin.TabularInline):
    model = Sector
    form = SectorAdminForm
    extra = 0
    fields = [*translation_fields("name"), "order", "seat_cap"]


class ItineraryItemInline(VisitPlacesMixin, admin.TabularInline):
    """One compact row per item: places are edited here, texts and times on the item's own page (link)."""

    model = ItineraryItem
    form = ItineraryItemAdminForm
    template = "admin/registrations/delegation/itinerary_inline.html"
    extra = 0
    fields = ["when", "item_link", "is_optional", "capacity", "places", "attendee_links"]
    readonly_fields = ["when", "item_link", "places", "attendee_links"]

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # new items on the Itinerary page, in all three languages (the link under the table)

    @admin.display(description=_("when"))
    def when(self, obj: ItineraryItem) -> str:
        return date_format(localtime(obj.starts_at), "D j M, H:i")

    @admin.display(description=_("item (texts and times)"))
    def item_link(self, obj: ItineraryItem) -> str:
        url = reverse("admin:registrations_itineraryitem_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.local.title)


@admin.register(Delegation)
class DelegationAdmin(
    DelegationSourcesMixin,
    DelegationAttendanceMixin,
    DelegationDashboardControlsMixin,
    DelegationQuestionsMixin,
    admin.ModelAdmin,
):
    form = DelegationAdminForm
    list_display = [
        # Key columns only, short headers that wrap: the table fits a 1366 px laptop with the menu open.
        "title_and_mode",
        "seats",
        "confirmed",
        "pending",
        "offered",
        "unconfirmed",
        "held",
        "waitlisted",
        "left",
        "dashboard_link",
    ]
    list_filter = ["is_published", "registration_mode"]
    search_fields = [*translation_fields("title"), "slug", *translation_fields("city")]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["seat_overview", "dashboard_link", "qr_code", "source_report", "attendance", "documents_link"]
    inlines = [SectorInline, ItineraryItemInline, QuestionInline]
    fieldsets = [
        (
            _("Seats and registration"),
            {
                "fields": [
                    ("seats", "registration_mode"),
                    "seat_overview",
                    ("registration_opens_at", "registration_closes_at"),
                    ("offer_hold_hours", "email_confirmation_hours"),
                    ("dashboard_link", "documents_link"),
                ]
            },
        ),
        (
            _("Dates and publication"),
            {
                "fields": [
                    ("starts_on", "ends_on"),
                    ("details_editable_until", "details_due_at"),
                    "is_published",
                    "slug",
                ]
            },
        ),
        (_("Organizer's contact"), {"fields": [("contact_email", "contact_wechat_id")]}),
        *content_fieldsets(Delegation.TRANSLATED_FIELDS, classes=("collapse",)),
        (
            _("Visa invitation letter (English, Korean)"),
            {
                "fields": [
                    *[(name, f"{name}_ko") for name in Delegation.LETTER_FIELDS],
                ],
                "classes": ["collapse", LATER],
                "description": _(
                    "The letterhead's first line is the inviting organization's name. The letterhead and the signatory's name are "
                    "needed (without them: no letters). An empty Korean field prints the English text in the Korean letter. "
                    "Purpose, e.g. “to attend Incheon Tech Week and meet Korean companies in biotechnology”."
                ),
            },
        ),
        (_("QR code"), {"fields": ["qr_code"], "classes": ["collapse", LATER]}),
        (_("Sources and posters"), {"fields": ["source_report"], "classes": ["collapse", LATER]}),
        (_("Check-in"), {"fields": ["attendance"], "classes": ["collapse", LATER]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Delegation]:
        return selectors.delegations_with_counts()

    @admin.display(description=_("delegation"), ordering="starts_on")
    def title_and_mode(self, obj: Delegation) -> str:
        return format_html(
            '{}<br><span class="quiet">{} · {} · {}</span>',
            obj,
            date_format(obj.starts_on, "SHORT_DATE_FORMAT"),
            _("review") if obj.is_review else _("first come"),
            _("published") if obj.is_published else _("not published"),
        )

    @admin.display(description=_("pending"), ordering="pending_count")
    def pending(self, obj: Delegation) -> int:
        return obj.pending_count

    @admin.display(description=_("confirmed"), ordering="confirmed_count")
    def confirmed(self, obj: Delegation) -> int:
        return obj.confirmed_count

    @admin.display(description=_("offered"), ordering="offered_count")
    def offered(self, obj: Delegation) -> int:
        return obj.offered_count

    @admin.display(description=_("awaiting e-mail"), ordering="unconfirmed_count")
    def unconfirmed(self, obj: Delegation) -> int:
        return obj.unconfirmed_count

    @admin.display(description=_("held by invitations"), ordering="held_count")
    def held(self, obj: Delegation) -> int:
        return obj.held_count

    @admin.display(description=_("waiting"), ordering="waitlisted_count")
    def waitlisted(self, obj: Delegation) -> int:
        return obj.waitlisted_count

    @admin.display(description=_("left"))
    def left(self, obj: Delegation) -> int:
        return selectors.seat_counts_annotated(delegation=obj).left

    @admin.display(description=_("seats now"))
    def seat_overview(self, obj: Delegation) -> str:
        if obj.pk is None:
            return "—"
        return format_html(
            "{} {} · {} {} · {} {} · {} {} · {} {} · {} {} · {} {}",
            obj.pending_count,
            _("pending"),
            obj.confirmed_count,
            _("confirmed"),
            obj.offered_count,
            _("offered"),
            obj.unconfirmed_count,
            _("awaiting e-mail confirmation"),
            obj.held_count,
            _("held by invitations"),
            obj.waitlisted_count,
            _("waitlisted"),
            self.left(obj),
            _("left"),
        )

    @admin.display(description=_("dashboard"))
    def dashboard_link(self, obj: Delegation) -> str:
        if obj.pk is None:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:registrations_delegation_dashboard", args=[obj.pk]), _("Open the dashboard"))

    def get_urls(self):
        dashboard = path("<int:pk>/dashboard/", self.admin_site.admin_view(self.dashboard_view), name="registrations_delegation_dashboard")
        return [dashboard, *self.dashboard_control_urls(), *self.questions_urls(), *super().get_urls()]

    def dashboard_view(self, request: HttpRequest, pk: int) -> TemplateResponse:
        delegation = get_object_or_404(Delegation, pk=pk)
        if not self.has_view_permission(request, delegation):
            raise PermissionDenied
        counts = selectors.seat_counts(delegation=delegation)
        per_day = selectors.registrations_per_day(delegation=delegation)
        return TemplateResponse(
            request,
            "admin/registrations/delegation/dashboard.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Dashboard: %(title)s") % {"title": delegation.local.title},
                "opts": self.model._meta,
                "original": delegation,
                "delegation": delegation,
                "counts": counts,
                "status_rows": _status_rows(counts),
                "sectors": selectors.sector_fill(delegation=delegation),
                "visits": selectors.visit_fill(delegation=delegation),
                "per_day": per_day,
                "most_per_day": max([n for _day, n in per_day], default=1),
                "sources": selectors.registrations_per_source(delegation=delegation),
                **self.dashboard_controls_context(request, delegation),
                **self.questions_dashboard_context(delegation),
            },
        )

    @admin.display(description=_("letters, badges, table cards"))
    def documents_link(self, obj: Delegation) -> str:
        if obj.pk is None:
            return "—"
        url = reverse("admin:registrations_registration_changelist") + f"?delegation__id__exact={obj.pk}&status__exact=confirmed"
        return format_html('<a href="{}">{}</a>', url, _("Confirmed delegates: select them, then a letter, badge or table card action"))

    @admin.display(description=_("QR code for registration"))
    def qr_code(self, obj: Delegation) -> str:
        if obj.pk is None:
            return _("Save the delegation to get its QR code.")
        png = reverse("registrations:qr_png", kwargs={"slug": obj.slug})
        svg = reverse("registrations:qr_svg", kwargs={"slug": obj.slug})
        return format_html(
            '<img src="{}?size=256" width="256" height="256" alt="{}"><br>'
            '<a href="{}?size=1024" download="{}-qr.png">{}</a> · <a href="{}" download="{}-qr.svg">{}</a>',
            png,
            _("QR code"),
            png,
            obj.slug,
            _("Download PNG"),
            svg,
            obj.slug,
            _("Download SVG (print)"),
        )

    # Seats and sector caps are saved through one service call after the form and its inlines (every
    # check first, then one settle); visit places through theirs. The plain saves keep the old values.
    def save_model(self, request, obj, form, change):
        form.seat_changes = {"seats": None, "sector_caps": {}}
        if change and obj.seats != form.initial["seats"]:
            form.seat_changes["seats"], obj.seats = obj.seats, form.initial["seats"]
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is Sector:
            held_back = hold_back_service_fields(formset, ["seat_cap"])
            super().save_formset(request, form, formset, change)
            form.seat_changes["sector_caps"].update({sector: values["seat_cap"] for sector, values in held_back})
        elif formset.model is ItineraryItem:
            held_back = hold_back_service_fields(formset, ["is_optional", "capacity"])
            super().save_formset(request, form, formset, change)
            for visit, values in held_back:
                report_promoted(self, request, services.visit_set_places(visit=visit, **values))
        else:
            super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Also when only the mode or the registration window changed: settle as every other path does.
        report_offers(self, request, services.delegation_set_capacity(delegation=form.instance, **form.seat_changes))


def report_offers(model_admin: admin.ModelAdmin, request: HttpRequest, offers: list) -> None:
    if offers:
        model_admin.message_user(
            request,
            ngettext(
                "%(count)d person on the waiting list was offered a seat.", "%(count)d people on the waiting list were offered a seat.", len(offers)
            )
            % {"count": len(offers)},
            messages.SUCCESS,
        )

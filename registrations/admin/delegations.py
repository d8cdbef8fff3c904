"""Admin for delegations: seats, sectors, itinerary, QR code."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import selectors, services
from ..forms import DelegationAdminForm, ItineraryItemAdminForm, SectorAdminForm
from ..i18n import CONTENT_LANGUAGES, translation_fields
from ..models import Delegation, ItineraryItem, Sector
from .campaigns import DelegationChannelsMixin
from .checkin import DelegationAttendanceMixin
from .visits import VisitPlacesMixin, report_promoted


def _status_rows(counts: selectors.SeatCounts) -> list[tuple[str, int]]:
    return [
        (_("pending"), counts.pending), (_("confirmed"), counts.confirmed), (_("offered"), counts.offered),
        (_("awaiting e-mail confirmation"), counts.unconfirmed), (_("held by invitations"), counts.held), (_("left"), counts.left), (_("waitlisted"), counts.waitlisted),
    ]


# Content is entered in English (required, shown when a translation is empty), Chinese and Korean.
CONTENT_FIELDSETS = [
    (_("Text in English (shown when a translation is empty)"), {"fields": list(Delegation.TRANSLATED_FIELDS)}),
    *[
        (format_lazy(_("Text in {language}"), language=language_name),
         {"fields": [f"{field}_{suffix}" for field in Delegation.TRANSLATED_FIELDS]})
        for suffix, language_name in CONTENT_LANGUAGES.values()
    ],
]


class SectorInline(admin.TabularInline):
    model = Sector
    form = SectorAdminForm
    extra = 0
    fields = [*translation_fields("name"), "order", "seat_cap"]


class ItineraryItemInline(VisitPlacesMixin, admin.StackedInline):
    model = ItineraryItem
    form = ItineraryItemAdminForm
    extra = 0
    fields = [
        ("order", "starts_at", "ends_at"),
        translation_fields("title"), translation_fields("hosts"),
        translation_fields("location"), translation_fields("description"),
        ("is_optional", "capacity"), ("places", "attendee_links"),
    ]
    readonly_fields = ["places", "attendee_links"]


@admin.register(Delegation)
class DelegationAdmin(DelegationChannelsMixin, DelegationAttendanceMixin, admin.ModelAdmin):
    form = DelegationAdminForm
    list_display = [
        "__str__", "starts_on", "registration_mode", "seats", "pending", "confirmed", "offered", "unconfirmed", "held", "waitlisted", "left",
        "is_published", "dashboard_link",
    ]
    list_filter = ["is_published", "registration_mode"]
    search_fields = [*translation_fields("title"), "slug", *translation_fields("city")]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["seat_overview", "dashboard_link", "qr_code", "channels", "attendance"]
    inlines = [SectorInline, ItineraryItemInline]
    fieldsets = [
        *CONTENT_FIELDSETS,
        (_("Dates and publication"), {"fields": ["slug", ("starts_on", "ends_on"), "is_published"]}),
        (_("Seats and registration"), {"fields": [
            "seats", "seat_overview", "dashboard_link", "registration_mode", ("registration_opens_at", "registration_closes_at"), "offer_hold_hours",
            "email_confirmation_hours",
        ]}),
        (_("QR code"), {"fields": ["qr_code"]}),
        (_("Channels and posters"), {"fields": ["channels"]}),
        (_("Check-in"), {"fields": ["attendance"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Delegation]:
        return selectors.delegations_with_counts()

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

    @admin.display(description=_("waitlisted"), ordering="waitlisted_count")
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
            obj.pending_count, _("pending"), obj.confirmed_count, _("confirmed"), obj.offered_count, _("offered"),
            obj.unconfirmed_count, _("awaiting e-mail confirmation"),
            obj.held_count, _("held by invitations"), obj.waitlisted_count, _("waitlisted"), self.left(obj), _("left"),
        )

    @admin.display(description=_("dashboard"))
    def dashboard_link(self, obj: Delegation) -> str:
        if obj.pk is None:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:registrations_delegation_dashboard", args=[obj.pk]), _("Open the dashboard"))

    def get_urls(self):
        dashboard = path("<int:pk>/dashboard/", self.admin_site.admin_view(self.dashboard_view), name="registrations_delegation_dashboard")
        return [dashboard, *super().get_urls()]

    def dashboard_view(self, request: HttpRequest, pk: int) -> TemplateResponse:
        delegation = get_object_or_404(Delegation, pk=pk)
        if not self.has_view_permission(request, delegation):
            raise PermissionDenied
        counts = selectors.seat_counts(delegation=delegation)
        per_day = selectors.registrations_per_day(delegation=delegation)
        return TemplateResponse(request, "admin/registrations/delegation/dashboard.html", {
            **self.admin_site.each_context(request),
            "title": _("Dashboard: %(title)s") % {"title": delegation.title},
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
        })

    @admin.display(description=_("QR code for registration"))
    def qr_code(self, obj: Delegation) -> str:
        if obj.pk is None:
            return _("Save the delegation to get its QR code.")
        png = reverse("registrations:qr_png", kwargs={"slug": obj.slug})
        svg = reverse("registrations:qr_svg", kwargs={"slug": obj.slug})
        return format_html(
            '<img src="{}?size=256" width="256" height="256" alt="{}"><br>'
            '<a href="{}?size=1024" download="{}-qr.png">{}</a> · <a href="{}" download="{}-qr.svg">{}</a>',
            png, _("QR code"), png, obj.slug, _("Download PNG"), svg, obj.slug, _("Download SVG (print)"),
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # More seats than before: in first-come mode the waiting list is offered them at once.
        offers = services.seats_settle(delegation=form.instance)
        if offers:
            self.message_user(request, ngettext(
                "%(count)d person on the waiting list was offered a seat.",
                "%(count)d people on the waiting list were offered a seat.",
                len(offers)) % {"count": len(offers)}, messages.SUCCESS)
        # More places on a visit than before: its waiting list moves up at once.
        report_promoted(self, request, services.visit_waitlists_fill(delegation=form.instance))

"""Admin for delegations: seats, sectors, itinerary, QR code."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import selectors, services
from ..forms import DelegationAdminForm
from ..i18n import CONTENT_LANGUAGES, translation_fields
from ..models import Delegation, ItineraryItem, Sector


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
    extra = 0
    fields = [*translation_fields("name"), "order"]


class ItineraryItemInline(admin.StackedInline):
    model = ItineraryItem
    extra = 0
    fields = [
        ("order", "starts_at", "ends_at"),
        translation_fields("title"), translation_fields("hosts"),
        translation_fields("location"), translation_fields("description"),
    ]


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    form = DelegationAdminForm
    list_display = ["__str__", "starts_on", "ends_on", "seats", "confirmed", "waitlisted", "left", "is_published"]
    list_filter = ["is_published"]
    search_fields = [*translation_fields("title"), "slug", *translation_fields("city")]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["seat_overview", "qr_code"]
    inlines = [SectorInline, ItineraryItemInline]
    fieldsets = [
        *CONTENT_FIELDSETS,
        (_("Dates and publication"), {"fields": ["slug", ("starts_on", "ends_on"), "is_published"]}),
        (_("Seats and registration"), {"fields": ["seats", "seat_overview", ("registration_opens_at", "registration_closes_at")]}),
        (_("QR code"), {"fields": ["qr_code"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Delegation]:
        return selectors.delegations_with_counts()

    @admin.display(description=_("confirmed"), ordering="confirmed_count")
    def confirmed(self, obj: Delegation) -> int:
        return obj.confirmed_count

    @admin.display(description=_("waitlisted"), ordering="waitlisted_count")
    def waitlisted(self, obj: Delegation) -> int:
        return obj.waitlisted_count

    @admin.display(description=_("left"))
    def left(self, obj: Delegation) -> int:
        return max(obj.seats - obj.confirmed_count, 0)

    @admin.display(description=_("seats now"))
    def seat_overview(self, obj: Delegation) -> str:
        if obj.pk is None:
            return "—"
        return format_html(
            "{} {} · {} {} · {} {}",
            obj.confirmed_count, _("confirmed"), obj.waitlisted_count, _("waitlisted"), self.left(obj), _("left"),
        )

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
        # More seats than before: the waiting list moves up at once.
        promoted = services.waitlist_fill(delegation=form.instance)
        if promoted:
            self.message_user(request, ngettext(
                "%(count)d person moved up from the waiting list.",
                "%(count)d people moved up from the waiting list.",
                len(promoted)) % {"count": len(promoted)}, messages.SUCCESS)

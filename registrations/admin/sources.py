"""Admin for sources: scans, registrations, conversion, QR downloads, printable posters."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from registrations.documents import posters
from registrations.models import Delegation, Source
from registrations.selectors import links, sources

POSTER_QR_PIXELS = 1200  # printed 12 cm wide: about 250 dpi, whole pixels per module


def qr_urls(delegation: Delegation, code: str = "") -> dict[str, str]:
    """Site-relative URLs of a delegation's QR images, for a source code or none."""
    query = {"src": code} if code else {}
    png = reverse("registrations:qr_png", kwargs={"slug": delegation.slug})
    svg = reverse("registrations:qr_svg", kwargs={"slug": delegation.slug})
    return {
        "thumbnail": f"{png}?{urlencode({**query, 'size': 256})}",
        "png": f"{png}?{urlencode({**query, 'size': 1024})}",
        "poster": f"{png}?{urlencode({**query, 'size': POSTER_QR_PIXELS})}",
        "svg": f"{svg}?{urlencode(query)}" if query else svg,
    }


class DelegationSourcesMixin:
    """Adds the read-only "source_report" field (per-source counts, posters) to the delegation page."""

    @admin.display(description=_("sources"))
    def source_report(self, obj: Delegation) -> str:
        if obj.pk is None:
            return _("Save the delegation first.")
        return render_to_string(
            "admin/registrations/_sources.html",
            {
                "delegation": obj,
                "rows": sources.source_report(delegation=obj),
                "add_url": reverse("admin:registrations_source_add") + "?" + urlencode({"delegation": obj.pk}),
                "poster_url": reverse("admin:registrations_source_delegation_poster", args=[obj.pk]),
            },
        )


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "delegation_slug", "scans", "registrations", "confirmed", "conversion", "downloads"]
    list_filter = ["delegation"]
    search_fields = ["name", "code"]
    list_select_related = ["delegation"]
    fields = ["delegation", "name", "code", "short_link", "counts", "qr_code"]
    readonly_fields = ["short_link", "counts", "qr_code"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Source]:
        return sources.sources_with_counts()

    def get_readonly_fields(self, request: HttpRequest, obj: Source | None = None) -> list[str]:
        # The code is printed on paper: once saved it never changes.
        return self.readonly_fields + (["delegation", "code"] if obj is not None else [])

    @admin.display(description=_("delegation"), ordering="delegation__slug")
    def delegation_slug(self, obj: Source) -> str:
        return obj.delegation.slug

    @admin.display(description=_("scans"), ordering="scan_count")
    def scans(self, obj: Source) -> int:
        return obj.scan_count

    @admin.display(description=_("registrations"), ordering="registration_count")
    def registrations(self, obj: Source) -> int:
        return obj.registration_count

    @admin.display(description=_("confirmed"), ordering="confirmed_count")
    def confirmed(self, obj: Source) -> int:
        return obj.confirmed_count

    @admin.display(description=_("conversion"))
    def conversion(self, obj: Source) -> str:
        return sources.conversion(obj.registration_count, obj.scan_count)

    @admin.display(description=_("QR and poster"))
    def downloads(self, obj: Source) -> str:
        urls = qr_urls(obj.delegation, obj.code)
        return format_html(
            '<a href="{}" download="{}-qr.png">PNG</a> · <a href="{}" download="{}-qr.svg">SVG</a> · <a href="{}">{}</a>',
            urls["png"],
            obj.code,
            urls["svg"],
            obj.code,
            reverse("admin:registrations_source_poster", args=[obj.pk]),
            _("Poster"),
        )

    @admin.display(description=_("short link"))
    def short_link(self, obj: Source) -> str:
        if obj.pk is None:
            return _("Save the source to get its short link.")
        url = links.source_short_url(obj)
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, url)

    @admin.display(description=_("so far"))
    def counts(self, obj: Source) -> str:
        if obj.pk is None:
            return "—"
        return format_html(
            "{} {} · {} {} · {} {} · {} {}",
            obj.scan_count,
            _("scans"),
            obj.registration_count,
            _("registrations"),
            obj.confirmed_count,
            _("confirmed"),
            self.conversion(obj),
            _("conversion"),
        )

    @admin.display(description=_("QR code"))
    def qr_code(self, obj: Source) -> str:
        if obj.pk is None:
            return _("Save the source to get its QR code.")
        urls = qr_urls(obj.delegation, obj.code)
        return format_html(
            '<img src="{}" width="256" height="256" alt="{}"><br>'
            '<a href="{}" download="{}-qr.png">{}</a> · <a href="{}" download="{}-qr.svg">{}</a> · <a href="{}">{}</a>',
            urls["thumbnail"],
            _("QR code"),
            urls["png"],
            obj.code,
            _("Download PNG"),
            urls["svg"],
            obj.code,
            _("Download SVG (print)"),
            reverse("admin:registrations_source_poster", args=[obj.pk]),
            _("Printable poster (A4)"),
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:source_id>/poster/", view(self.source_poster), name="registrations_source_poster"),
            path("poster/delegation/<int:delegation_id>/", view(self.delegation_poster), name="registrations_source_delegation_poster"),
        ] + super().get_urls()

    def source_poster(self, request: HttpRequest, source_id: int) -> HttpResponse:
        source = get_object_or_404(Source.objects.select_related("delegation"), pk=source_id)
        if not self.has_view_permission(request, source):
            raise PermissionDenied
        return self._poster(request, source.delegation, source)

    def delegation_poster(self, request: HttpRequest, delegation_id: int) -> HttpResponse:
        if not request.user.has_perm("registrations.view_delegation"):
            raise PermissionDenied
        return self._poster(request, get_object_or_404(Delegation, pk=delegation_id), None)

    def _poster(self, request: HttpRequest, delegation: Delegation, source: Source | None) -> HttpResponse:
        url = links.source_short_url(source) if source else links.register_url(delegation)
        # The poster's language is a query parameter, never the admin's language (no cookie, no activate).
        choice = request.GET.get("lang", posters.DEFAULT_POSTER)
        sectors = list(delegation.sectors.all())
        texts = [posters.poster_texts(delegation=delegation, sectors=sectors, language=code) for code in posters.poster_languages(choice)]
        return render(
            request,
            "registrations/poster.html",
            {
                "delegation": delegation,
                "source": source,
                "main": texts[0],
                "second": texts[1] if len(texts) > 1 else None,
                "poster_choices": [(code, name, code == choice) for code, name in posters.POSTER_CHOICES],
                "qr_src": qr_urls(delegation, source.code if source else "")["poster"],
                "written_url": links.without_scheme(url),
            },
        )

"""The host's page behind a host-list link (/h/<token>/): the frozen visitor list in English and Korean, and its XLSX file.

No login: the 256-bit token is the key. Every opening is logged (a refused one too); an unknown,
expired or withdrawn link gets one clear "not valid" page (404). Rate-limited per client address.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from registrations import services
from registrations.core.client_address import client_address
from registrations.core.exports import file_response, xlsx_response
from registrations.core.i18n import localized
from registrations.core.middleware import host_list_rate_limited
from registrations.documents.pdf import PdfFontMissing, table_pdf
from registrations.models.hostlists import HostList, HostListAccess
from registrations.selectors.hostlists import host_list_by_token, host_list_table, in_host_languages
from registrations.views.helpers import private

What = HostListAccess.What

TEXTS = {
    "title": _("Visitor list"),
    "frozen": _("List as of"),
    "version": _("Version"),
    "visitors": _("Visitors"),
    "until": _("This link works until"),
    "print": _("Print"),
    "xlsx": _("Download XLSX"),
    "pdf": _("Download PDF"),
    "pdf_unavailable": _("The PDF cannot be made right now. Please use Print or the XLSX file."),
    "korea_time": _("Korea time"),
    "care": _("This list holds personal data of the visitors: use it only for this visit, do not pass it on, and delete it after the visit."),
    "nobody": _("Nobody is on this list."),
    "invalid_title": _("This visitor list link is not valid"),
    "invalid": _("The link may be mistyped, it may have expired, or the organizer may have withdrawn it. Please ask the organizer for a new link."),
}


def _texts() -> dict[str, tuple[str, str]]:
    return {key: in_host_languages(text) for key, text in TEXTS.items()}


def _open_host_list(request: HttpRequest, token: str, what: str) -> tuple[HostList | None, HttpResponse | None]:
    """The open host list behind the token (its access logged), or the answer to give instead (429, or the 404 page)."""
    if limited := host_list_rate_limited(request):
        return None, private(limited)
    host_list = host_list_by_token(token=token)
    if host_list is not None:
        opened = host_list.is_open()
        services.host_list_access_record(host_list=host_list, what=what if opened else What.REFUSED, client_address=client_address(request))
        if opened:
            return host_list, None
    with translation.override("en"):
        response = render(request, "registrations/host_list_invalid.html", {"texts": _texts()}, status=404)
    return None, private(response)


def _visit_texts(host_list: HostList) -> dict:
    visit = host_list.visit
    return {
        "title": (visit.title, localized(visit, "title", "ko")),
        "hosts": (visit.hosts, localized(visit, "hosts", "ko")),
        "location": (visit.location, localized(visit, "location", "ko")),
        "delegation": (host_list.visit.delegation.title, localized(visit.delegation, "title", "ko")),
    }


@never_cache
@require_GET
def host_list(request: HttpRequest, token: str) -> HttpResponse:
    found, refusal = _open_host_list(request, token, What.PAGE)
    if refusal:
        return refusal
    with translation.override("en"):
        response = render(
            request,
            "registrations/host_list.html",
            {
                "host_list": found,
                "visit": found.visit,
                "table": host_list_table(host_list=found),
                "texts": _texts(),
                "content": _visit_texts(found),
                "frozen_at": timezone.localtime(found.frozen_at),
                "expires_at": timezone.localtime(found.expires_at),
            },
        )
    return private(response)


@never_cache
@require_GET
def host_list_xlsx(request: HttpRequest, token: str) -> HttpResponse:
    found, refusal = _open_host_list(request, token, What.XLSX)
    if refusal:
        return refusal
    table = host_list_table(host_list=found)
    filename = f"visitors-{found.visit.delegation.slug}-visit-{found.visit_id}-v{found.version}.xlsx"
    return private(xlsx_response(filename=filename, header=table.header(), rows=table.rows))


@never_cache
@require_GET
def host_list_pdf(request: HttpRequest, token: str) -> HttpResponse:
    found, refusal = _open_host_list(request, token, What.PDF)
    if refusal:
        return refusal
    table = host_list_table(host_list=found)
    content = _visit_texts(found)
    title = f"{TEXTS['title']} / {in_host_languages(TEXTS['title'])[1]}: {content['title'][0]}"
    subtitle = " · ".join(
        filter(
            None,
            [
                content["delegation"][0],
                content["hosts"][0],
                content["location"][0],
                f"{TEXTS['frozen']} {timezone.localtime(found.frozen_at):%Y-%m-%d %H:%M} ({TEXTS['korea_time']}), {TEXTS['version']} {found.version}",
            ],
        )
    )
    try:
        with translation.override("en"):
            pdf = table_pdf(title=title, subtitle=subtitle, header=table.header(), rows=table.rows)
    except PdfFontMissing:
        with translation.override("en"):
            texts = _texts()
            texts.update(invalid_title=texts["pdf"], invalid=texts["pdf_unavailable"])
            response = render(request, "registrations/host_list_invalid.html", {"texts": texts}, status=503)
        return private(response)
    filename = f"visitors-{found.visit.delegation.slug}-visit-{found.visit_id}-v{found.version}.pdf"
    return private(file_response(filename=filename, content_type="application/pdf", content=pdf))

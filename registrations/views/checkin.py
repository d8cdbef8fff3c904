"""On-site check-in: the staff page behind a registrant's check-in QR code, and that QR code.

Anonymous visitors (or anyone without the check-in permission) never see personal data.
Unknown or malformed codes are refused and logged, without the code or any personal data.
"""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from registrations import selectors, services
from registrations.core import qr
from registrations.models import CheckIn, ItineraryItem, Registration
from registrations.selectors import attendance, links
from registrations.views.helpers import SESSION_VISIT

logger = logging.getLogger("registrations.checkin")

# The visit a staff member chose with "Scan next": a QR opened from the phone's camera checks in for it.
# The check-in this staff member has just made: shown once as the green result, then as "already".
SESSION_FRESH = "checkin_fresh"


def private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _log_refused_code(request: HttpRequest, code: str) -> None:
    kind = "unknown" if attendance.is_well_formed_checkin_code(code) else "malformed"
    logger.warning("Check-in refused: %s code (length %d), user %s", kind, len(code), request.user.pk or "anonymous")


def _who(checkin: CheckIn) -> str:
    user = checkin.checked_in_by
    return (user.get_full_name() or user.get_username()) if user else _("an account since deleted")


def _chosen_item(request: HttpRequest, registration: Registration, items: list[ItineraryItem]) -> ItineraryItem | None:
    """The visit named by ``?visit=`` / the form, else the one chosen with "Scan next", else the one happening now."""
    if request.method == "POST":
        wanted = request.POST.get("visit")
    else:
        wanted = request.GET.get("visit") or str(request.session.get(SESSION_VISIT, ""))
    for item in items:
        if wanted and str(item.pk) == wanted:
            return item
    if request.method == "POST":
        return None
    return attendance.itinerary_item_now(delegation=registration.delegation)


def _check_in(request: HttpRequest, registration: Registration, item: ItineraryItem | None) -> HttpResponse:
    """Record the check-in; the page it redirects to shows the result (green, amber or red)."""
    if item is None:
        return render(request, "400.html", {"message": _("Choose one of this delegation's visits.")}, status=400)
    try:
        checkin, created = services.checkin_record(registration=registration, item=item, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if created:
            request.session[SESSION_FRESH] = checkin.pk
    return redirect(f"{request.path}?visit={item.pk}")


@never_cache
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, code: str) -> HttpResponse:
    if not request.user.is_authenticated or not services.can_check_in(request.user):
        if attendance.registration_by_checkin_code(code=code) is None:
            _log_refused_code(request, code)
        status = 403 if request.user.is_authenticated or request.method == "POST" else 200
        return private(render(request, "registrations/checkin_login.html", status=status))
    registration = attendance.registration_by_checkin_code(code=code)
    if registration is None:
        _log_refused_code(request, code)
        return private(render(request, "registrations/checkin_invalid.html", status=404))
    items = list(registration.delegation.itinerary.order_by("starts_at", "order", "pk"))
    item = _chosen_item(request, registration, items)
    if request.method == "POST":
        return _check_in(request, registration, item)
    checkins = attendance.active_checkins(registration=registration)
    current = checkins.get(item.pk) if item else None
    fresh = request.session.pop(SESSION_FRESH, None)
    refusal = services.checkin_refusal_reason(registration=registration, item=item) if item and not current else None
    if refusal:
        list(messages.get_messages(request))  # the refusal is on the page once, in red
    return private(
        render(
            request,
            "registrations/checkin.html",
            {
                "registration": registration,
                "delegation": registration.delegation,
                "item": item,
                "checkin": current,
                "fresh": current is not None and current.pk == fresh,
                "checked_in_by": _who(current) if current else "",
                "refusal": refusal,
                "visits": [(visit, checkins.get(visit.pk)) for visit in attendance.registration_visits(registration=registration)],
                "scan_next_url": reverse("registrations:checkin_scan", args=[item.pk]) if item else "",
            },
        )
    )


@never_cache
def checkin_qr_png(request: HttpRequest, token: str) -> HttpResponse:
    """The registrant's check-in QR code (confirmed registrations only), for their private page."""
    registration = selectors.registration_by_token(token=token)
    if registration is None or registration.status != Registration.Status.CONFIRMED:
        raise Http404
    response = HttpResponse(qr.png_bytes(links.checkin_url(registration), size=480), content_type="image/png")
    return private(response)

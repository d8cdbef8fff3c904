"""The delegate's optional site visits on their private page: join and leave (POST forms, no JavaScript)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from registrations import services
from registrations.models import ItineraryItem, Registration, VisitBooking
from registrations.views.helpers import registration_or_404


def _registration_and_visit(token: str, visit_id: int) -> tuple[Registration, ItineraryItem]:
    registration = registration_or_404(token)
    visit = get_object_or_404(ItineraryItem, pk=visit_id, delegation_id=registration.delegation_id, is_optional=True)
    return registration, visit


def _back_to_visits(registration: Registration) -> HttpResponse:
    return redirect(registration.get_absolute_url() + "#visits")


def _joined_message(visit: ItineraryItem, bookings: list[VisitBooking]) -> str:
    if not bookings:
        return _("You are already on “%(title)s”.") % {"title": visit.local.title}
    booking = bookings[0]
    if booking.status == VisitBooking.Status.BOOKED:
        return _("You have a place on “%(title)s”.") % {"title": visit.local.title}
    return _("“%(title)s” is full. You are number %(position)d on its waiting list: if a place frees, it is yours automatically.") % {
        "title": visit.local.title,
        "position": booking.waitlist_position,
    }


@never_cache
@require_POST
def visit_join(request: HttpRequest, token: str, visit_id: int) -> HttpResponse:
    registration, visit = _registration_and_visit(token, visit_id)
    try:
        bookings = services.visit_join(registration=registration, visits=[visit])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _joined_message(visit, bookings))
    return _back_to_visits(registration)


@never_cache
@require_http_methods(["GET", "POST"])
def visit_leave(request: HttpRequest, token: str, visit_id: int) -> HttpResponse:
    registration, visit = _registration_and_visit(token, visit_id)
    booking = VisitBooking.objects.filter(visit=visit, registration=registration).first()
    if request.method == "POST":
        try:
            services.visit_leave(registration=registration, visit=visit)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("You are no longer on “%(title)s”.") % {"title": visit.local.title})
        return _back_to_visits(registration)
    context = {"registration": registration, "delegation": registration.delegation, "visit": visit, "booking": booking}
    response = render(request, "registrations/visit_leave.html", context)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response

"""The check-in staff's own pages, on a phone: the visits of the day, and "Scan next" for one visit.

Staff log in through the admin login; staff whose only permission is check-in land here
(``incheon_delegation.admin_site``). Scanning is the phone's camera opening a delegate's
``/c/<code>/`` link; "Scan next" remembers the visit so that page checks in for it, and takes a
code typed or pasted by hand.
"""

import logging
from functools import wraps
from urllib.parse import urlsplit

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from registrations import services
from registrations.selectors import attendance
from registrations.views.helpers import SESSION_VISIT

logger = logging.getLogger("registrations.checkin")


def private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def checkin_staff_only(view):
    """Logged-in staff with the check-in permission; others go to the login, or see the refusal page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not services.can_check_in(request.user):
            return private(render(request, "registrations/checkin_login.html", status=403))
        return private(view(request, *args, **kwargs))

    return wrapped


class CheckinCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code or link"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        text = self.cleaned_data["code"].strip()
        code = urlsplit(text).path.rstrip("/").rsplit("/", 1)[-1] if "/" in text else text
        if attendance.registration_by_checkin_code(code=code) is None:
            kind = "unknown" if attendance.is_well_formed_checkin_code(code) else "malformed"
            logger.warning("Check-in refused: %s code (length %d), typed by hand", kind, len(code))
            raise forms.ValidationError(_("No delegate has this check-in code. Check it, or find the person on the attendance list."))
        return code


@never_cache
@checkin_staff_only
def checkin_today(request: HttpRequest) -> HttpResponse:
    """Today's visits (Korea time), else the next day's, each with a big "Scan next"."""
    day, items = attendance.checkin_day()
    return render(
        request,
        "registrations/checkin_today.html",
        {
            "day": day,
            "is_today": day == timezone.localdate(),
            "items": items,
        },
    )


@never_cache
@checkin_staff_only
@require_http_methods(["GET", "POST"])
def checkin_scan(request: HttpRequest, item_id: int) -> HttpResponse:
    """Ready to check people in for one visit: scan with the camera, or type the code."""
    item = get_object_or_404(attendance.items_with_attendance(), pk=item_id)
    request.session[SESSION_VISIT] = item.pk
    form = CheckinCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        return redirect(f"{reverse('registrations:checkin', kwargs={'code': form.cleaned_data['code']})}?visit={item.pk}")
    return render(request, "registrations/checkin_scan.html", {"item": item, "form": form})

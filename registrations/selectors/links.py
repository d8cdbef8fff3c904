"""Absolute URLs printed in QR codes, on posters and in e-mails (all under SITE_URL)."""

from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode

from registrations.models import Delegation, Invitation, Registration, SeatHandover, Source


def register_url(delegation: Delegation, source: str = "") -> str:
    """The absolute registration URL, with ``?src=`` when a source code is given."""
    url = settings.SITE_URL + reverse("registrations:register", kwargs={"slug": delegation.slug})
    return f"{url}?{urlencode({'src': source})}" if source else url


def source_short_url(source: Source) -> str:
    """The short link ``SITE_URL/q/<code>``: records the scan, then opens the form."""
    return settings.SITE_URL + reverse("registrations:short_link", kwargs={"code": source.code})


def qr_target_url(delegation: Delegation, code: str = "") -> str:
    """What a delegation's QR code encodes.

    No code: the registration URL. A code with a Source of this delegation: its short link
    (small code, scans counted). A code without a Source: the registration URL with ``?src=``
    (still attributed, but scans are not counted).
    """
    if code:
        source = Source.objects.filter(delegation=delegation, code=code).first()
        if source is not None:
            return source_short_url(source)
    return register_url(delegation, code)


def checkin_url(registration: Registration) -> str:
    """The absolute check-in URL in a registrant's check-in QR code (for pages and e-mails)."""
    return settings.SITE_URL + reverse("registrations:checkin", kwargs={"code": registration.checkin_code})


def invitation_url(invitation: Invitation) -> str:
    """The absolute link of a personal invitation (in its e-mail, its QR code and the admin)."""
    return settings.SITE_URL + invitation.get_absolute_url()


def handover_url(handover: SeatHandover) -> str:
    """The absolute link e-mailed to a colleague to accept a seat handed to them."""
    return settings.SITE_URL + reverse("registrations:handover_accept", kwargs={"token": handover.token})


def without_scheme(url: str) -> str:
    """``https://example.org/q/poster`` -> ``example.org/q/poster``, for people who type it."""
    return url.split("://", 1)[-1]


def host_list_url(host_list) -> str:
    """The absolute link given to a visit's host: its frozen visitor list."""
    return settings.SITE_URL + reverse("registrations:host_list", kwargs={"token": host_list.token})

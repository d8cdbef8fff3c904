"""What the public and private views share: finding the delegation or registration of a URL, and private responses."""

from django.http import Http404, HttpRequest, HttpResponse

from registrations import selectors
from registrations.models import Delegation, Registration
from registrations.views import page_shells

# The visit a check-in staff member chose on /c/ ("Scan next"); the scan page behind a code reads it.
SESSION_VISIT = "checkin_visit"


def delegation_or_404(request: HttpRequest, slug: str) -> Delegation:
    """The delegation with its seat counts annotated, in one query (unpublished ones for staff only)."""
    delegation = page_shells.delegation_for_page(request, slug)
    if delegation is None:
        raise Http404
    return delegation


def registration_or_404(token: str) -> Registration:
    registration = selectors.registration_by_token(token=token)
    if registration is None:
        raise Http404
    return registration


def private(response: HttpResponse) -> HttpResponse:
    """A page only its owner should see: never cached, never indexed."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response

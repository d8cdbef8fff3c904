"""Busy public pages served whole from the shared cache, with per-visitor bits put in per request.

The delegation page and the registration form are what every QR scan opens. Each is rendered once
per delegation edit, language and *seat state* (confirmed and waitlisted counts, open or closed),
and kept in the shared cache; the seat counts are read on every request (one cheap query), so the
seats shown are always live. Per visitor, only marked places are filled in: the CSRF token and the
?src= channel. Staff (previews of unpublished delegations), and anyone with a message waiting to
be shown, get a page rendered for them alone.
"""

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .models import Delegation
from .shared_cache import cache_get_or_compute

# A page is kept this long at most; an edit of the delegation or a change of seats changes its key at once.
PAGE_SECONDS = 120
CSRF_MARK = "LIVEmarkcsrftokenLIVEmark"


def live_mark(name: str) -> SafeString:
    """A placeholder made of letters only, so that it survives HTML escaping inside attributes too."""
    return mark_safe(f"LIVEmark{name}LIVEmark")


def can_share(request: HttpRequest) -> bool:
    """Cached pages are shared between visitors: not for staff, nor when a message awaits display."""
    return not request.user.is_staff and not len(get_messages(request))


def render_shared_page(request: HttpRequest, *, template: str, delegation: Delegation, state: tuple,
                       context: dict, per_visitor: dict[str, str] | None = None) -> HttpResponse:
    """``template`` rendered once per delegation edit, language and ``state``; ``per_visitor`` marks filled in per request.

    ``context`` holds ``live_mark(name)`` where each ``per_visitor[name]`` (already HTML-safe) goes.
    """
    per_visitor = per_visitor or {}
    if not can_share(request):
        marks = {live_mark(name): value for name, value in per_visitor.items()}
        html = render_to_string(template, context, request=request)
        return HttpResponse(_fill(html, marks))
    state_text = "-".join(str(part) for part in state)
    key = f"page:{template}:{delegation.pk}:{delegation.updated_at.timestamp()}:{get_language()}:{state_text}"
    html = cache_get_or_compute(key, lambda: render_to_string(
        template, {**context, "messages": [], "csrf_token": CSRF_MARK}, request=request,
    ), timeout=PAGE_SECONDS)
    html = _fill(html, {live_mark(name): value for name, value in per_visitor.items()})
    if CSRF_MARK in html:  # only pages with a form need (and set) the CSRF cookie
        html = html.replace(CSRF_MARK, get_token(request))
    return HttpResponse(html)


def _fill(html: str, marks: dict[str, str]) -> str:
    for mark, value in marks.items():
        html = html.replace(mark, value)
    return html

"""Busy public pages served whole from the shared cache, with per-visitor bits put in per request.

The delegation page and the registration form are what every QR scan opens. Each is rendered once
per delegation edit, language and *seat state* (confirmed and waitlisted counts, open or closed),
and kept in the shared cache; the seat counts are read on every request (one cheap query), so the
seats shown are always live. Per visitor, only marked places are filled in: the CSRF token and the
?src= channel. Staff (previews of unpublished delegations), and anyone with a message waiting to
be shown, get a page rendered for them alone.
"""

import hashlib
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.db import DatabaseCache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from . import selectors
from .models import Delegation
from .shared_cache import CACHE_ERRORS, cache, cache_get_or_compute

# Seat counts read by public GET pages are kept this long at most; any change of a registration or
# delegation removes them at once (after commit), so this only bounds a rare race (see cache_invalidation).
SEAT_STATE_SECONDS = 2
SLUG_SECONDS = 24 * 3600
_NOT_FOUND = "not-found"
# A page is kept this long at most; an edit of the delegation or a change of seats changes its key at once.
PAGE_SECONDS = 120
CSRF_MARK = "LIVEmarkcsrftokenLIVEmark"


@lru_cache(maxsize=1)
def release_token() -> str:
    """What this process renders with: its templates and its static files' names (hashed in production).

    Part of every page key, so that a page rendered by another release (or by `make run`, with plain
    static names) is never served by this one, even while both share one cache during a deploy.
    """
    digest = hashlib.sha256(f"{settings.DEBUG}|{static('css/site.css')}|{static('vendor/bootstrap/bootstrap.min.css')}".encode())
    for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def live_mark(name: str) -> SafeString:
    """A placeholder made of letters only, so that it survives HTML escaping inside attributes too."""
    return mark_safe(f"LIVEmark{name}LIVEmark")


def _state_key(slug: str) -> str:
    return f"delegation-page:v2:{slug}"  # v2: with unconfirmed_count and taking_count


def _slug_of_key(pk: int) -> str:
    return f"delegation-slug:{pk}"


def _load_seat_state(slug: str) -> Delegation | str:
    delegation = selectors.delegation_page(slug=slug)
    if delegation is None:
        return _NOT_FOUND
    try:  # lets a registration change find this entry
        cache.set(_slug_of_key(delegation.pk), slug, timeout=SLUG_SECONDS)
    except CACHE_ERRORS:  # then nothing is cached either
        pass
    return delegation


def seat_state_is_cached() -> bool:
    """Only with a cache in memory (Redis): with the database cache a lookup costs what the query costs."""
    return not isinstance(caches[DEFAULT_CACHE_ALIAS], DatabaseCache)


def delegation_for_page(request: HttpRequest, slug: str) -> Delegation | None:
    """The published delegation with its seat counts, for a public page; staff and POSTs read the database."""
    if request.user.is_staff or request.method != "GET" or not seat_state_is_cached():
        return selectors.delegation_page(slug=slug, include_unpublished=request.user.is_staff)
    found = cache_get_or_compute(_state_key(slug), lambda: _load_seat_state(slug), timeout=SEAT_STATE_SECONDS)
    return None if found == _NOT_FOUND else found


def forget_seat_state(*, delegation_id: int, slug: str | None = None) -> None:
    """Drop the cached seat state of a delegation (under its current slug, and ``slug`` if given)."""
    if not seat_state_is_cached():
        return
    try:
        slugs = {slug, cache.get(_slug_of_key(delegation_id))} - {None}
        cache.delete_many([_state_key(known) for known in slugs])
    except CACHE_ERRORS:  # the entries expire by themselves
        pass


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
    key = f"page:{release_token()}:{template}:{delegation.pk}:{delegation.updated_at.timestamp()}:{get_language()}:{state_text}"
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

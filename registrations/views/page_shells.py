"""Busy public pages: their content comes from the shared cache, everything per visitor is rendered per request.

The delegation page and the registration form are what every QR scan opens. What is costly and the
same for everyone (the itinerary, the sectors, the blank form) is rendered once per *content
version* of the delegation and language, and kept in the shared cache (``fragments``). The content
version is a column of the delegation row, bumped in the same transaction by any change of the
delegation, its sectors or its itinerary items (cache_invalidation.py): no key to keep by hand.
The page around the fragments (seat counts, CSRF token, messages, ?src=, the language switcher) is
rendered for each request; the seat counts come from ``selectors.seat_state`` (kept a few seconds
in Redis, dropped on every change).
"""

import hashlib
import logging
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from registrations import selectors
from registrations.core.shared_cache import CACHE_ERRORS, cache
from registrations.models import Delegation
from registrations.selectors.seat_state import public_delegation

logger = logging.getLogger(__name__)

# Any change of the content changes the fragments' key at once: the timeout only frees the cache.
FRAGMENT_SECONDS = 24 * 3600


@lru_cache(maxsize=1)
def release_token() -> str:
    """What this process renders with: its templates and its static files' names (hashed in production).

    Part of every fragment key, so that a fragment rendered by another release (or by `make run`)
    is never served by this one, even while both share one cache during a deploy.
    """
    digest = hashlib.sha256(f"{settings.DEBUG}|{static('css/site.css')}|{static('vendor/bootstrap/bootstrap.min.css')}".encode())
    for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def delegation_for_page(request: HttpRequest, slug: str) -> Delegation | None:
    """The published delegation with its seat counts, for a public page; staff read the database.

    The registration form's POST does not read it (views._posted_form_content_or_404: the row alone); the
    submission counts under the lock (services.registration_submit).
    """
    if request.user.is_staff:
        return selectors.delegation_page(slug=slug, include_unpublished=True)
    return public_delegation(slug)


def fragments(*, delegation: Delegation, templates: list[str], context: Callable[[], dict]) -> list[SafeString]:
    """Each of ``templates`` rendered once per content version of ``delegation`` and language, shared by every visitor.

    Rendered without the request, so nothing of a visitor (CSRF token, messages, query string) can
    get in; ``context`` is only called when a fragment has to be rendered. One cache round trip; if
    the cache cannot be reached, the fragments are rendered for this request.
    """
    version = f"{release_token()}:{delegation.pk}:{delegation.content_version}:{delegation.updated_at.timestamp()}:{get_language()}"
    keys = [f"fragment:{template}:{version}" for template in templates]
    try:
        found = cache.get_many(keys)
    except CACHE_ERRORS:
        logger.warning("Shared cache unreachable; rendering page fragments", exc_info=True)
        return [mark_safe(render_to_string(template, context())) for template in templates]
    if len(found) < len(keys):
        values = context()
        missing = {key: str(render_to_string(template, values)) for key, template in zip(keys, templates, strict=True) if key not in found}
        try:
            cache.set_many(missing, timeout=FRAGMENT_SECONDS)
        except CACHE_ERRORS:
            logger.warning("Shared cache unreachable; not storing page fragments", exc_info=True)
        found.update(missing)
    return [mark_safe(found[key]) for key in keys]

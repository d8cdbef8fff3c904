"""Public pages served from a cached shell with their live parts filled in per request.

A busy public page (the delegation page, the registration form) is rendered once per delegation,
edit and language into a "shell" kept in the shared cache; what must be fresh on every request
is put in at marked places: the seat counts, the CSRF token, the ?src= channel. The seats shown
are therefore always live, while the costly rendering (base layout, story, itinerary, the form)
happens once. Staff, and anyone with a message waiting, get a fully rendered page.
"""

from collections.abc import Callable

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .models import Delegation
from .shared_cache import cache_get_or_compute

# The shell is kept this long at most; an edit of the delegation changes the key at once.
SHELL_SECONDS = 300
CSRF_MARK = "LIVEcsrfTOKENmark0000000000000000"  # letters only: survives HTML escaping unchanged


def live_mark(name: str) -> SafeString:
    """A placeholder made of letters only, so that it survives HTML escaping inside attributes too."""
    return mark_safe(f"LIVEmark{name}LIVEmark")


def can_use_shell(request: HttpRequest) -> bool:
    """Shells are shared between visitors: not for staff (previews) nor when a message awaits display."""
    return not request.user.is_staff and not len(get_messages(request))


def render_with_live_parts(request: HttpRequest, *, template: str, delegation: Delegation, variant: str,
                           context: dict, live: dict[str, Callable[[], str]]) -> HttpResponse:
    """Render ``template`` from its cached shell, filling each ``live`` part (name -> fresh HTML) per request."""
    fresh = {name: mark_safe(render()) for name, render in live.items()}
    if not can_use_shell(request):
        return HttpResponse(render_to_string(template, {**context, **fresh}, request=request))
    key = f"shell:{template}:{variant}:{delegation.pk}:{delegation.updated_at.timestamp()}:{get_language()}"
    marks = {name: live_mark(name) for name in live}
    shell = cache_get_or_compute(key, lambda: render_to_string(
        template, {**context, **marks, "messages": [], "csrf_token": CSRF_MARK}, request=request,
    ), timeout=SHELL_SECONDS)
    for name, html in fresh.items():
        shell = shell.replace(marks[name], html)
    return HttpResponse(shell.replace(CSRF_MARK, get_token(request)))

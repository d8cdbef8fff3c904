"""Public side of sources: the printed short link ``/q/<code>``."""

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from registrations import services
from registrations.core.middleware import qr_rate_limited
from registrations.models import is_valid_source_code
from registrations.selectors import sources

# A visitor is counted once per source per window: a signed cookie remembers the scan.
SCAN_WINDOW_SECONDS = 30 * 60
SCAN_COOKIE_SALT = "registrations.source-scan"


def _scan_cookie(source) -> str:
    return f"scanned-{source.pk}"


def _counted_recently(request: HttpRequest, source) -> bool:
    try:
        request.get_signed_cookie(_scan_cookie(source), salt=SCAN_COOKIE_SALT, max_age=SCAN_WINDOW_SECONDS)
    except (KeyError, signing.BadSignature):
        return False
    return True


@never_cache
@require_http_methods(["GET", "HEAD"])
def short_link(request: HttpRequest, code: str) -> HttpResponse:
    """Record the scan (GET only: link checkers send HEAD; once per visitor per window), then open the form with ``?src=<code>``."""
    if limited := qr_rate_limited(request):
        return limited
    code = code.lower()
    source = sources.source_for_short_link(code=code) if is_valid_source_code(code) else None
    if source is None or not (source.delegation.is_published or request.user.is_staff):
        raise Http404
    register = source.delegation.get_absolute_url() + "register/"
    response = redirect(f"{register}?{urlencode({'src': source.code})}")
    if request.method == "GET" and not _counted_recently(request, source):
        services.source_scan_record(source=source, user_agent=request.META.get("HTTP_USER_AGENT", ""))
        response.set_signed_cookie(
            _scan_cookie(source),
            "1",
            salt=SCAN_COOKIE_SALT,
            max_age=SCAN_WINDOW_SECONDS,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response

"""Public side of channels: the printed short link ``/q/<code>``."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import attribution, services
from .forms import is_valid_source_code


@never_cache
@require_http_methods(["GET", "HEAD"])
def short_link(request: HttpRequest, code: str) -> HttpResponse:
    """Record the scan (GET only: link checkers send HEAD), then open the form with ``?src=<code>``."""
    code = code.lower()
    source = attribution.source_for_short_link(code=code) if is_valid_source_code(code) else None
    if source is None or not (source.delegation.is_published or request.user.is_staff):
        raise Http404
    if request.method == "GET":
        services.source_scan_record(source=source, user_agent=request.META.get("HTTP_USER_AGENT", ""))
    register = source.delegation.get_absolute_url() + "register/"
    return redirect(f"{register}?{urlencode({'src': source.code})}")

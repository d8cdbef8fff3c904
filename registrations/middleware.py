"""Request guards and response headers for the public site.

- RejectNulBytesMiddleware: a NUL byte in the path or query string is a 400 (PostgreSQL cannot
  store or compare it, and no real link contains one).
- RateLimitMiddleware: every unsafe request to a public view (the ``registrations`` namespace) is
  counted per client address, and per e-mail when the form has one, in the shared cache.
- PrivacyHeadersMiddleware: pages reached through a private token, and every answer to a POST,
  are ``private, no-store`` and ``noindex``; a few headers Django does not set itself.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from .client_address import client_address
from .email_address import email_rate_key
from .ratelimit import Verdict, address_limit, email_limit, ratelimit_hit

LIMITED_NAMESPACES = {"registrations"}
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
PERMISSIONS_POLICY = "camera=(self), microphone=(), geolocation=(), payment=(), usb=()"


class RejectNulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            return render(request, "400.html", {"message": _("This link is not valid.")}, status=400)
        return self.get_response(request)


def too_many_requests(request: HttpRequest, verdict: Verdict) -> HttpResponse:
    response = render(request, "429.html", {"retry_minutes": max(verdict.retry_after // 60, 1)}, status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        if request.method not in UNSAFE_METHODS or not self._is_limited(request):
            return None
        verdict = ratelimit_hit(scope="address", value=client_address(request), limit=address_limit())
        if verdict.allowed:
            email = email_rate_key(request.POST.get("email", ""))
            if "@" not in email:
                return None
            verdict = ratelimit_hit(scope="email", value=email[:320], limit=email_limit())
        return None if verdict.allowed else too_many_requests(request, verdict)

    @staticmethod
    def _is_limited(request: HttpRequest) -> bool:
        match = request.resolver_match
        if match is None or not LIMITED_NAMESPACES.intersection(match.namespaces):
            return False
        user = getattr(request, "user", None)
        return not (user is not None and user.is_authenticated and user.is_staff)


class PrivacyHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if request.method in UNSAFE_METHODS or (match is not None and "token" in match.kwargs):
            patch_cache_control(response, private=True, no_store=True)
            response["X-Robots-Tag"] = "noindex, nofollow"
        elif match is not None and "admin" in match.namespaces:
            response["X-Robots-Tag"] = "noindex, nofollow"
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response

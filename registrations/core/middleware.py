"""Request guards and response headers for the public site.

- RejectNulBytesMiddleware: a NUL byte in the path or query string is a 400 (PostgreSQL cannot
  store or compare it, and no real link contains one).
- RequestBodyLimitMiddleware: on the public site (everything outside admin), a body over
  DATA_UPLOAD_MAX_MEMORY_SIZE, a chunked body without a length, or a multipart body with a file
  part is refused before anything is parsed or written to a temporary file.
- RateLimitMiddleware: every unsafe request to a public view (the ``registrations`` namespace) is
  counted per client address, and per e-mail when the form has one, in the shared cache.
- AdminFieldLimitMiddleware: admin pages may send more fields than the public forms (a delegation
  page with its sectors and itinerary sends a few hundred); every other POST keeps Django's tight
  ``DATA_UPLOAD_MAX_NUMBER_FIELDS``.
- PrivacyHeadersMiddleware: pages reached through a private token, and every answer to a POST,
  are ``private, no-store`` and ``noindex``; a few headers Django does not set itself.
- CSPMiddleware: django-csp's, with the policy built once (the same for every response here).
"""

import re
from urllib.parse import parse_qsl

import csp.middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from registrations.core.client_address import client_address
from registrations.core.email_address import email_rate_key
from registrations.core.ratelimit import Verdict, address_limit, document_limit, email_limit, host_list_limit, qr_limit, ratelimit_hit, ratelimit_hits

LIMITED_NAMESPACES = {"registrations"}
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
PERMISSIONS_POLICY = "camera=(self), microphone=(), geolocation=(), payment=(), usb=()"


class RejectNulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info or any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            return render(request, "400.html", {"message": _("This link is not valid.")}, status=400)
        return self.get_response(request)


class AdminFieldLimitMiddleware:
    """Parse an admin form POST with ADMIN_DATA_UPLOAD_MAX_NUMBER_FIELDS instead of the public limit.

    Only URL-encoded bodies (what a browser sends for admin forms without file inputs) under the admin
    prefix; the body size limit still applies (``request.body``). Must run before anything reads
    ``request.POST`` (CSRF). Parsing mirrors ``QueryDict``; too many fields is still a 400.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = settings.ADMIN_URL_PREFIX

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path_info.startswith(self.prefix) and request.content_type == "application/x-www-form-urlencoded":
            request._post, request._files = self._parse(request.body), MultiValueDict()
        return self.get_response(request)

    @staticmethod
    def _parse(body: bytes) -> QueryDict:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = body.decode("iso-8859-1")
        post = QueryDict(mutable=True, encoding="utf-8")
        try:
            pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", max_num_fields=settings.ADMIN_DATA_UPLOAD_MAX_NUMBER_FIELDS)
        except ValueError as error:  # what QueryDict raises past its own limit
            raise TooManyFieldsSent("The number of GET/POST parameters exceeded ADMIN_DATA_UPLOAD_MAX_NUMBER_FIELDS.") from error
        for key, value in pairs:
            post.appendlist(key, value)
        post._mutable = False
        return post


class FileUploadRefused(MultiPartParserError):
    pass


class RefuseFileUploads(FileUploadHandler):
    """No public form takes a file: a file part stops parsing before a byte of it is stored."""

    def new_file(self, *args, **kwargs):
        raise FileUploadRefused("file part in a public form")

    def receive_data_chunk(self, raw_data, start):  # never reached: new_file refuses first
        return None

    def file_complete(self, file_size):
        return None


def body_refused(request: HttpRequest, message: str) -> HttpResponse:
    # 400 for a body over the limit too (not 413): one answer for every refused body, as Django gives.
    return render(request, "400_body.html", {"message": message}, status=400)


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = settings.ADMIN_URL_PREFIX

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(self.admin_prefix):
            return self.get_response(request)
        raw_length = request.META.get("CONTENT_LENGTH") or ""
        if raw_length and not re.fullmatch(r"[0-9]{1,18}", raw_length):
            return body_refused(request, _("This request is not valid. Reload the page and send the form again."))
        if int(raw_length or 0) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return body_refused(request, _("This request is too large: the form needs only a few kilobytes. Reload the page and send it again."))
        if not raw_length and "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            return body_refused(request, _("This request did not say how long it is. Reload the page and send the form again."))
        if request.content_type == "multipart/form-data":
            request.upload_handlers = [RefuseFileUploads(request)]
            try:
                request.POST  # noqa: B018  (parsing is the point) bounded by the length checked above, parsed in memory
            except FileUploadRefused:
                return body_refused(request, _("Files cannot be sent with this form. Reload the page and send the form again."))
            except MultiPartParserError:
                return body_refused(request, _("This request is not valid. Reload the page and send the form again."))
        return self.get_response(request)


def too_many_requests(request: HttpRequest, verdict: Verdict) -> HttpResponse:
    response = render(request, "429.html", {"retry_minutes": max(verdict.retry_after // 60, 1)}, status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


def is_staff(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated and user.is_staff


def qr_rate_limited(request: HttpRequest) -> HttpResponse | None:
    """QR images and short links, counted per client address (staff exempt): past the limit, the 429 page."""
    if is_staff(request):
        return None
    verdict = ratelimit_hit(scope="qr", value=client_address(request), limit=qr_limit())
    return None if verdict.allowed else too_many_requests(request, verdict)


def host_list_rate_limited(request: HttpRequest) -> HttpResponse | None:
    """Host-list pages and downloads, counted per client address (unknown tokens too): past the limit, the 429 page."""
    verdict = ratelimit_hit(scope="host", value=client_address(request), limit=host_list_limit())
    return None if verdict.allowed else too_many_requests(request, verdict)


def document_rate_limited(request: HttpRequest) -> HttpResponse | None:
    """A delegate's own PDF downloads, counted per client address: past the limit, the 429 page."""
    verdict = ratelimit_hit(scope="document", value=client_address(request), limit=document_limit())
    return None if verdict.allowed else too_many_requests(request, verdict)


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        if request.method not in UNSAFE_METHODS or not self._is_limited(request):
            return None
        hits = [("address", client_address(request), address_limit())]
        email = email_rate_key(request.POST.get("email", ""))
        if "@" in email:  # counted with the address, in one round trip (also when the address is over its limit)
            hits.append(("email", email[:320], email_limit()))
        refused = [verdict for verdict in ratelimit_hits(hits) if not verdict.allowed]
        return too_many_requests(request, refused[0]) if refused else None

    @staticmethod
    def _is_limited(request: HttpRequest) -> bool:
        match = request.resolver_match
        if match is None or not LIMITED_NAMESPACES.intersection(match.namespaces):
            return False
        return not is_staff(request)


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


# What a view may set on its response to change its policy (csp.decorators); with any of them, django-csp's own way.
_CSP_RESPONSE_PARTS = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware with the two headers built once per settings, not for every response.

    With no nonce asked for and no per-view policy (this project uses neither), every response gets the same
    headers, which django-csp built afresh each time (``dataclasses.asdict`` and ``build_policy``, about 2 % of a
    submission's CPU). Anything else goes to django-csp's own ``process_response``. Rebuilt when the settings
    objects change (tests' ``override_settings``)."""

    _built: tuple = (None, None, None)  # (CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_REPORT_ONLY, headers)

    def _headers(self) -> tuple[str, str]:
        enforced = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        kept_enforced, kept_report_only, headers = self._built
        if headers is None or kept_enforced is not enforced or kept_report_only is not report_only:
            headers = (build_policy(), build_policy(report_only=True))
            self._built = (enforced, report_only, headers)
        return headers

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(hasattr(response, name) for name in _CSP_RESPONSE_PARTS):
            return super().process_response(request, response)
        if response.status_code in (500, 404) and settings.DEBUG:  # Django's debug pages, as django-csp leaves them
            return response
        for header, value, exempt, setting in zip(
            (HEADER, HEADER_REPORT_ONLY),
            self._headers(),
            ("_csp_exempt", "_csp_exempt_ro"),
            ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
            strict=True,
        ):
            prefixes = tuple((getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ())
            if value and header not in response and getattr(response, exempt, False) is False and not request.path_info.startswith(prefixes):
                response[header] = value
        request.csp_nonce = csp.middleware.CheckableLazyObject(self._csp_nonce_post_response)  # as django-csp: no nonce after this
        return response

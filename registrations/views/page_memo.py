"""The two public pages every QR scan opens, served from this process's memory when nothing in them changed.

``PublicPageMiddleware`` (second in settings.MIDDLEWARE, right after SecurityMiddleware) answers an
anonymous GET of the delegation page or the blank registration form from a per-process memo of the
whole page as the full stack rendered it (body and headers), keyed by everything the page shows:
the delegation's content version and last change, its seat counts (read as the views read them,
seat_state.public_delegation), whether registration is open, the language and this release.
Only three things in such a page belong to the visitor, and each is put in per request:

* the CSRF token (as ``get_token`` makes it, and the cookie as CsrfViewMiddleware sets it: see
  ``csrf_token`` and ``_set_csrf_cookie``), so that a POST of the form validates exactly as after a
  fully rendered page;
* the language switcher's return address (the path and its ``?src=``);
* the registration form's hidden ``source`` (``?src=``).

Anything else about a visitor makes the request take the full stack: a session cookie (staff,
messages kept in the session), a messages cookie, any query string but a valid ``?src=``, a body,
another method. A page is memoised only when a view said what it was rendered from
(``memo_key_set``) and when the visitor's token and addresses were found exactly where expected;
so no memo entry holds anything of the visitor whose request rendered it. Every security header
of the full stack is kept (captured with the body); the rate limits apply to unsafe methods only,
which never come here.
"""

import html
import re
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass
from http.cookies import Morsel

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, CsrfViewMiddleware
from django.utils import translation

from registrations.models import Delegation, is_valid_source_code
from registrations.selectors.seat_state import public_delegation_read_only
from registrations.views.page_shells import release_token

PAGES = re.compile(r"^/d/(?P<slug>[-a-zA-Z0-9_]+)/(?P<register>register/)?\Z")
SOURCE_QUERY = re.compile(r"^src=(?P<source>[a-z0-9][a-z0-9_-]{0,31})\Z")
MEMO_ENTRIES = 64  # pages x languages x states in use at once; old states are evicted first
ALLOWED_HOSTS_KEPT = 16  # (Host, X-Forwarded-Host, server name and port) combinations found allowed
TOKEN_SLOT, NEXT_SLOT, SOURCE_SLOT = "\x00token\x00", "\x00next\x00", "\x00source\x00"
TOKEN_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_memo: "OrderedDict[tuple, Page]" = OrderedDict()
_allowed_hosts: set[tuple] = set()
_csrf_cookies: dict[int, Morsel] = {}  # this second -> the CSRF cookie as set_cookie makes it, without its value


@dataclass(frozen=True)
class Page:
    parts: tuple[bytes, ...]  # the body split at the slots
    slots: tuple[str, ...]  # which slot follows each part but the last
    headers: dict[str, tuple[str, str]]  # as HttpResponse.headers keeps them: lower-case name -> (name, value)

    def body(self, values: dict[str, bytes]) -> bytes:
        pieces = [self.parts[0]]
        for slot, part in zip(self.slots, self.parts[1:], strict=True):
            pieces += (values[slot], part)
        return b"".join(pieces)


# A random byte below 248 (4 x 62) gives a uniform character of CSRF_ALLOWED_CHARS; bytes from 248 up are dropped.
_TO_CHAR = bytes(ord(CSRF_ALLOWED_CHARS[byte % len(CSRF_ALLOWED_CHARS)]) if byte < 248 else 0 for byte in range(256))
_DROPPED = bytes(range(248, 256))
# Django's masking: cipher character = the characters' positions added modulo 62.
_ADD = {
    (secret, mask): CSRF_ALLOWED_CHARS[(s + m) % len(CSRF_ALLOWED_CHARS)]
    for s, secret in enumerate(CSRF_ALLOWED_CHARS)
    for m, mask in enumerate(CSRF_ALLOWED_CHARS)
}


def _random_chars(count: int = CSRF_SECRET_LENGTH) -> str:
    """``count`` uniform characters of CSRF_ALLOWED_CHARS, from one call to the OS's random source (secrets)."""
    while True:
        chars = secrets.token_bytes(count * 2).translate(_TO_CHAR, _DROPPED)
        if len(chars) >= count:  # half the bytes dropped: never seen, and then it draws again
            return chars[:count].decode()


def csrf_token(request: HttpRequest) -> str:
    """What ``django.middleware.csrf.get_token`` returns, computed the same way (the secret from the cookie, read by
    CsrfViewMiddleware.process_request, or a new one; masked with a fresh one-time pad; the cookie sent) but with
    one call to the OS's random source where get_random_string makes 64: a third of a memoised page's time."""
    meta = request.META
    secret = meta.get("CSRF_COOKIE")
    if secret is None:  # a new visitor: their secret and the mask from one draw
        drawn = _random_chars(2 * CSRF_SECRET_LENGTH)
        secret = meta["CSRF_COOKIE"] = drawn[:CSRF_SECRET_LENGTH]
        mask = drawn[CSRF_SECRET_LENGTH:]
    else:
        mask = _random_chars()
    meta["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return mask + "".join(map(_ADD.__getitem__, zip(secret, mask, strict=True)))


def memo_key(*, page: str, delegation: Delegation, registration_open: bool, language: str | None = None) -> tuple:
    """What a public page shows besides its visitor's own bits: content, seat counts, openness, language (the
    active one unless given), release."""
    return (
        page,
        delegation.slug,
        delegation.pk,
        delegation.content_version,
        delegation.updated_at,
        delegation.seats,
        delegation.confirmed_count,
        delegation.waitlisted_count,
        delegation.offered_count,
        delegation.pending_count,
        delegation.unconfirmed_count,
        delegation.taking_count,
        delegation.held_count,
        registration_open,
        language or translation.get_language(),
        release_token(),
    )


def memo_key_set(request: HttpRequest, key: tuple) -> None:
    """Called by a view rendering a page that shows nothing but ``key`` and the visitor's token and addresses."""
    if getattr(request, "page_memo_eligible", False):
        request.page_memo_key = key


@receiver(setting_changed, dispatch_uid="page_memo_setting_changed")
def memo_clear(**kwargs) -> None:
    """Any settings change (tests) may change headers, templates or allowed hosts: forget every page and host."""
    _memo.clear()
    _allowed_hosts.clear()
    _csrf_cookies.clear()


def _host_allowed(request: HttpRequest) -> bool:
    """``request.get_host()`` does not raise DisallowedHost; remembered for the few hosts a site is reached by."""
    meta = request.META
    seen = (meta.get("HTTP_X_FORWARDED_HOST"), meta.get("HTTP_HOST"), meta.get("SERVER_NAME"), meta.get("SERVER_PORT"))
    if seen in _allowed_hosts:
        return True
    try:
        request.get_host()
    except DisallowedHost:
        return False
    if len(_allowed_hosts) < ALLOWED_HOSTS_KEPT:
        _allowed_hosts.add(seen)
    return True


def _eligible(request: HttpRequest) -> tuple[str, str, str] | None:
    """(page, slug, source) when this request may be answered from the memo, else None."""
    if request.method != "GET" or settings.CSRF_USE_SESSIONS:  # the token is put in the cookie (csrf_token, _set_csrf_cookie)
        return None
    match = PAGES.match(request.path_info)
    if match is None:
        return None
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return None
    meta = request.META
    if meta.get("CONTENT_LENGTH") not in (None, "", "0") or "HTTP_TRANSFER_ENCODING" in meta:
        return None
    query, source = meta.get("QUERY_STRING", ""), ""
    if query:
        found = SOURCE_QUERY.match(query)
        if found is None or not is_valid_source_code(found["source"]):
            return None
        source = found["source"]
    if not _host_allowed(request):
        return None
    return ("register" if match["register"] else "delegation"), match["slug"], source


def _visitor_bits(request: HttpRequest, source: str) -> dict[str, str]:
    # request.get_full_path() for what _eligible lets through (no character it would quote), escaped as templates do
    query = request.META.get("QUERY_STRING", "")
    return {NEXT_SLOT: html.escape(f"{request.path}?{query}" if query else request.path), SOURCE_SLOT: html.escape(source)}


def _page_from(response: HttpResponse, request: HttpRequest, source: str, page: str) -> Page | None:
    """The response with the visitor's token and addresses cut out, or None if they were not exactly where expected."""
    text = response.content.decode(response.charset)
    tokens = set(TOKEN_INPUT.findall(text))
    if len(tokens) != 1:
        return None
    [token] = tokens
    bits = _visitor_bits(request, source)
    text = text.replace(f'name="csrfmiddlewaretoken" value="{token}"', f'name="csrfmiddlewaretoken" value="{TOKEN_SLOT}"')
    cuts = {f'name="next" value="{bits[NEXT_SLOT]}"': f'name="next" value="{NEXT_SLOT}"'}
    if page == "register":
        cuts[f'name="source" value="{bits[SOURCE_SLOT]}" id="id_source"'] = f'name="source" value="{SOURCE_SLOT}" id="id_source"'
    for visitor, slot in cuts.items():
        if text.count(visitor) != 1:
            return None
        text = text.replace(visitor, slot)
    if token in text or (source and f"src={source}" in text):
        return None
    pieces = re.split("(\x00(?:token|next|source)\x00)", text)
    headers = {name.lower(): (name, value) for name, value in response.items() if name.lower() != "content-length"}
    if "cookie" not in {field.strip().lower() for field in headers.get("vary", ("", ""))[1].split(",")}:
        return None  # every memoised page sets the CSRF cookie (_set_csrf_cookie), so its headers must say Vary: Cookie
    return Page(parts=tuple(piece.encode() for piece in pieces[::2]), slots=tuple(pieces[1::2]), headers=headers)


def _set_csrf_cookie(request: HttpRequest, response: HttpResponse) -> None:
    """CsrfViewMiddleware.process_response for a memoised page: the same cookie, copied from one that Django's
    set_cookie made with CsrfViewMiddleware's settings (``expires`` computed once a second); no Vary to add (the
    memoised headers have "Vary: Cookie", see _page_from). CSRF_USE_SESSIONS pages never come here (_eligible)."""
    now = int(time.time())
    template = _csrf_cookies.get(now)
    if template is None:
        made = HttpResponse()
        made.set_cookie(
            settings.CSRF_COOKIE_NAME,
            "",
            max_age=settings.CSRF_COOKIE_AGE,
            domain=settings.CSRF_COOKIE_DOMAIN,
            path=settings.CSRF_COOKIE_PATH,
            secure=settings.CSRF_COOKIE_SECURE,
            httponly=settings.CSRF_COOKIE_HTTPONLY,
            samesite=settings.CSRF_COOKIE_SAMESITE,
        )
        _csrf_cookies.clear()
        template = _csrf_cookies[now] = made.cookies[settings.CSRF_COOKIE_NAME]
    cookie = template.copy()
    cookie.set(template.key, *response.cookies.value_encode(request.META["CSRF_COOKIE"]))
    response.cookies[template.key] = cookie
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False


def _store(key: tuple, entry: Page) -> None:
    _memo[key] = entry
    _memo.move_to_end(key)
    while len(_memo) > MEMO_ENTRIES:
        _memo.popitem(last=False)


class PublicPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        eligible = _eligible(request)
        if eligible is None:
            return self.get_response(request)
        page, slug, source = eligible
        language = translation.get_language_from_request(request)  # as LocaleMiddleware chooses it
        delegation = public_delegation_read_only(slug)
        key = delegation and memo_key(page=page, delegation=delegation, registration_open=delegation.is_registration_open(), language=language)
        entry = _memo.get(key) if key else None
        if entry is None:
            translation.activate(language)
            request.LANGUAGE_CODE = language
            return self._render(request, source, page)
        self.csrf.process_request(request)
        values = {slot: value.encode() for slot, value in _visitor_bits(request, source).items()}
        values[TOKEN_SLOT] = csrf_token(request).encode()
        response = HttpResponse(entry.body(values))
        # The full stack's headers, already checked and encoded when it sent them: copied, not set one by one.
        response.headers._store = {**entry.headers, "content-length": ("Content-Length", str(len(response.content)))}
        _set_csrf_cookie(request, response)
        return response

    def _render(self, request: HttpRequest, source: str, page: str) -> HttpResponse:
        request.page_memo_eligible = True
        response = self.get_response(request)
        key = getattr(request, "page_memo_key", None)
        if key is not None and response.status_code == 200 and not response.streaming and not response.cookies.keys() - {settings.CSRF_COOKIE_NAME}:
            entry = _page_from(response, request, source, page)
            if entry is not None:
                _store(key, entry)
        return response

"""Rate limits counted in the shared cache (Redis or the database), so every process sees them.

A fixed window per key: the first hit in a window creates the counter, each hit adds one, and the
counter expires with its window. Limits are written "count/seconds" in settings.
"""

import hashlib
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches

from registrations.core.shared_cache import CACHE_ERRORS, RedisCache

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> "Limit":
        count, _, seconds = text.partition("/")
        return cls(count=int(count), seconds=int(seconds))


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int


def _digest(value: str) -> str:
    """Keys never hold an address or e-mail in clear (the database cache is a table like any other)."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:32]


def ratelimit_hit(*, scope: str, value: str, limit: Limit) -> Verdict:
    """Count one hit for ``value`` in ``scope``; allowed while the window's count is within the limit."""
    return ratelimit_hits([(scope, value, limit)])[0]


def ratelimit_hits(hits: list[tuple[str, str, Limit]]) -> list[Verdict]:
    """``ratelimit_hit`` for several (scope, value, limit) at once: each is counted, in one round trip on Redis."""
    now = time.time()
    windows = [int(now // limit.seconds) for _, _, limit in hits]
    keys = [(f"rl:{scope}:{_digest(value)}:{window}", limit.seconds + 1) for (scope, value, limit), window in zip(hits, windows, strict=True)]
    try:
        counts = _count_hits(keys)
    except CACHE_ERRORS:
        # The shared cache is down: let people register rather than turn everyone away.
        logger.warning("Rate limit not counted: the shared cache is unreachable", exc_info=True)
        counts = [0] * len(hits)
    return [
        Verdict(allowed=count <= limit.count, retry_after=max(int((window + 1) * limit.seconds - now), 1))
        for (_, _, limit), window, count in zip(hits, windows, counts, strict=True)
    ]


def _count_hits(keys: list[tuple[str, int]]) -> list[int]:
    """Add one to each window's counter (atomic on Redis, one round trip for all), creating it on the window's first hit."""
    backend = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(backend, RedisCache):
        return backend.incr_windows(keys)
    return [_count_hit(key, timeout=timeout) for key, timeout in keys]


def _count_hit(key: str, *, timeout: int) -> int:
    try:
        return cache.incr(key)
    except ValueError:  # no counter yet in this window
        if cache.add(key, 1, timeout=timeout):
            return 1
        return cache.incr(key)  # another process created it in the meantime


def address_limit() -> Limit:
    return Limit.parse(settings.RATELIMIT_PER_ADDRESS)


def email_limit() -> Limit:
    return Limit.parse(settings.RATELIMIT_PER_EMAIL)


def qr_limit() -> Limit:
    """QR images and short links (/q/) per client address."""
    return Limit.parse(settings.RATELIMIT_QR_PER_ADDRESS)


def host_list_limit() -> Limit:
    """Host-list pages and downloads (/h/) per client address."""
    return Limit.parse(settings.RATELIMIT_HOST_LIST_PER_ADDRESS)


def document_limit() -> Limit:
    """A delegate's own PDFs (the invitation letter, made on request: seconds of CPU each) per client address."""
    return Limit.parse(settings.RATELIMIT_DOCUMENT_PER_ADDRESS)


def link_email_limit() -> Limit:
    """Private-link e-mails ("Lost your link?") per e-mail address."""
    return Limit.parse(settings.RATELIMIT_LINK_PER_EMAIL)


def link_address_limit() -> Limit:
    """ "Lost your link?" asks per client address."""
    return Limit.parse(settings.RATELIMIT_LINK_PER_ADDRESS)

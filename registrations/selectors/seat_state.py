"""The seat state public pages show: the delegation row with its seat counts, read for a visitor's GET.

Kept a few seconds in a memory cache (Redis), dropped on every change (cache_invalidation.py, after
commit too); each process keeps what it read while Redis sends it no change notice for it
(core.shared_cache.KeyWatch). With SQLite and the database cache, a process reuses what it read while
``PRAGMA data_version`` says no other connection wrote. Reads only: the counts themselves come from
``selectors.delegation_page``.
"""

import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection

from registrations import selectors
from registrations.core.shared_cache import CACHE_ERRORS, RedisCache, cache, cache_get_or_compute
from registrations.models import Delegation

# Seat counts read by public GET pages are kept this long at most; any change of a registration or
# delegation removes them at once (after commit), so this only bounds a rare race (see cache_invalidation).
SEAT_STATE_SECONDS = 2
SLUG_SECONDS = 24 * 3600
_NOT_FOUND = "not-found"
# Decoded seat states kept by public_delegation_read_only, by their stored bytes (a new state is a new entry).
DECODED_STATES = 16
_decoded: "OrderedDict[bytes, Delegation | str]" = OrderedDict()
# SQLite: slug -> ((connection, data_version), read until, seat state), see _sqlite_unchanged.
_sqlite_states: dict[str, tuple] = {}
# Redis: slug -> (KeyWatch generation before the read, read until, seat state), see public_delegation_read_only.
_watched: "OrderedDict[str, tuple]" = OrderedDict()


_STATE_PREFIX = "delegation-page:v2:"  # v2: with unconfirmed_count and taking_count


def _state_key(slug: str) -> str:
    return f"{_STATE_PREFIX}{slug}"


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


def public_delegation(slug: str) -> Delegation | None:
    """The published delegation with its seat counts as a visitor's GET sees it: from Redis (at most
    SEAT_STATE_SECONDS old, dropped on every change), from the database with the database cache."""
    if not seat_state_is_cached():
        return selectors.delegation_page(slug=slug)
    found = cache_get_or_compute(_state_key(slug), lambda: _load_seat_state(slug), timeout=SEAT_STATE_SECONDS)
    return None if found == _NOT_FOUND else found


def public_delegation_read_only(slug: str) -> Delegation | None:
    """As ``public_delegation``, for code that only reads the result (page_memo): one object per distinct stored
    state in this process, instead of unpickling it for every request; with Redis, no round trip while Redis has
    sent no change notice for any seat state (``_watched``), else one."""
    backend = caches[DEFAULT_CACHE_ALIAS]
    if not isinstance(backend, RedisCache):
        sqlite_only = connection.vendor == "sqlite" and not seat_state_is_cached()
        return _sqlite_unchanged(slug) if sqlite_only else public_delegation(slug)
    generation = backend.key_watch(_STATE_PREFIX).generation() if settings.SEAT_STATE_WATCH else None
    known = _watched.get(slug) if generation is not None else None
    if known is not None and known[0] == generation and time.monotonic() < known[1]:
        found = known[2]
    else:
        try:
            raw, seconds_left = backend.get_raw_expiring(_state_key(slug))
        except CACHE_ERRORS:
            raw = None
        if raw is None:  # not cached (or Redis down): read, and store, as every page does
            return public_delegation(slug)
        found = _decoded.get(raw)
        if found is None:
            found = _decoded[raw] = backend.loads(raw)
            while len(_decoded) > DECODED_STATES:
                _decoded.popitem(last=False)
        if generation is not None:
            _watch_keep(slug, (generation, time.monotonic() + min(seconds_left, SEAT_STATE_SECONDS), found))
    return None if found == _NOT_FOUND else found


def _watch_keep(slug: str, entry: tuple) -> None:
    _watched[slug] = entry
    _watched.move_to_end(slug)
    while len(_watched) > DECODED_STATES:
        _watched.popitem(last=False)


def _sqlite_unchanged(slug: str) -> Delegation | None:
    """On SQLite, the seat state this process read last, while no other connection has written to the database
    since (``PRAGMA data_version``, one cheap statement) and for SEAT_STATE_SECONDS at most; else read again.

    This process's own writes drop it (forget_seat_state, from the signals), as they drop the Redis entry.
    """
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA data_version")
        version = (connection.connection, cursor.fetchone()[0])
    known = _sqlite_states.get(slug)
    if known is not None and known[0] == version and time.monotonic() < known[1]:
        return known[2]
    found = selectors.delegation_page(slug=slug)
    _sqlite_states[slug] = (version, time.monotonic() + SEAT_STATE_SECONDS, found)
    return found


def forget_seat_state(*, delegation_id: int, slug: str | None = None, committed: bool = False, current_slug: str | None = None) -> None:
    """Drop the cached seat state of a delegation (under its current slug, and ``slug`` if given).

    ``current_slug``: the slug the caller read with the change (a registration's saved with its delegation): the
    state is dropped under it alone, without asking the cache which slug it was stored under (a rename drops both
    itself, with ``slug``).

    ``committed``: the change is committed and the request will answer next: with Redis, return only once
    every other process's change notices are on their way (RedisCache.notifications_flushed), so that the
    next page anyone loads, from any process, shows the change.
    """
    _sqlite_states.clear()  # this process's own reads (a change is rare: every delegation is read again)
    _watched.clear()
    if not seat_state_is_cached():
        return
    try:
        slugs = {slug, current_slug if current_slug is not None else cache.get(_slug_of_key(delegation_id))} - {None}
        backend = caches[DEFAULT_CACHE_ALIAS]
        if isinstance(backend, RedisCache):
            backend.delete_now([_state_key(known) for known in slugs], notices_flushed=committed)
        else:
            cache.delete_many([_state_key(known) for known in slugs])
    except CACHE_ERRORS:  # the entries expire by themselves
        pass

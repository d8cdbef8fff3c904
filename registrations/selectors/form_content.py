"""What a registration form's POST reads before the seat lock: the delegation row, its sectors and the form's
questions, kept in this process while Redis sends no change notice for any delegation's content.

Every save or delete of a delegation, a sector, an itinerary item or a question bumps the delegation's
content version (cache_invalidation.py) and, after commit, ``content_changed`` writes a key under
``CONTENT_PREFIX``; each process watches that prefix (core.shared_cache.KeyWatch, Redis client-side caching)
and reads again after a notice, and after ``FORM_CONTENT_SECONDS`` in any case. Without Redis, with
``SEAT_STATE_WATCH=0`` or while the watch is down, every POST reads the three from the database, as before.

Only what is read *before* the lock comes from here. Under the lock the service reads the delegation row
and the chosen sector's cap afresh (selectors.delegation_submission_state), so a change that has not reached
this process yet can never let a seat be taken that the database would refuse. Each request gets its own
model instances, built from the kept rows: nothing one request sets on them reaches another.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.db import connection

from registrations.core.shared_cache import CACHE_ERRORS, RedisCache
from registrations.models import Delegation, Question, Sector
from registrations.selectors.questions import registration_questions

CONTENT_PREFIX = "delegation-content:"
FORM_CONTENT_SECONDS = 10
ENTRIES = 16
# (slug, include_unpublished) -> (watch generation before the read, read until, rows)
_kept: dict[tuple[str, bool], tuple[int, float, tuple]] = {}


@dataclass(frozen=True)
class FormContent:
    delegation: Delegation
    sectors: list[Sector]
    questions: list[Question]


def _values(instance) -> tuple:
    return tuple(getattr(instance, field.attname) for field in instance._meta.concrete_fields)


def _instance(model, values: tuple):
    return model.from_db(connection.alias, [field.attname for field in model._meta.concrete_fields], values)


def _read(slug: str, include_unpublished: bool) -> tuple | None:
    delegation = Delegation.objects.filter(slug=slug).first()
    if delegation is None or not (delegation.is_published or include_unpublished):
        return None
    sectors = delegation.sectors.all()  # Sector.Meta.ordering, as the form's choices
    return _values(delegation), tuple(map(_values, sectors)), tuple(map(_values, registration_questions(delegation=delegation)))


def _watch_generation() -> int | None:
    backend = caches[DEFAULT_CACHE_ALIAS]
    if not settings.SEAT_STATE_WATCH or not isinstance(backend, RedisCache):
        return None
    return backend.key_watch(CONTENT_PREFIX).generation()


def registration_form_content(*, slug: str, include_unpublished: bool = False) -> FormContent | None:
    """The delegation (published, unless ``include_unpublished``), its sectors and its form's questions; None: no such delegation."""
    key = (slug, include_unpublished)
    generation = _watch_generation()
    kept = _kept.get(key) if generation is not None else None
    if kept is not None and kept[0] == generation and time.monotonic() < kept[1]:
        rows = kept[2]
    else:
        rows = _read(slug, include_unpublished)
        if generation is not None:
            if len(_kept) >= ENTRIES:
                _kept.clear()
            _kept[key] = (generation, time.monotonic() + FORM_CONTENT_SECONDS, rows)
    if rows is None:
        return None
    delegation_row, sector_rows, question_rows = rows
    delegation = _instance(Delegation, delegation_row)
    sectors = [_instance(Sector, values) for values in sector_rows]
    for sector in sectors:
        sector.delegation = delegation
    questions = [_instance(Question, values) for values in question_rows]
    return FormContent(delegation=delegation, sectors=sectors, questions=questions)


def forget_kept() -> None:
    """This process reads every form content again (a change made here, committed or not)."""
    _kept.clear()


def content_changed(delegation_id: int) -> None:
    """After a committed change of a delegation's content: every process's kept form content is read again."""
    _kept.clear()
    backend = caches[DEFAULT_CACHE_ALIAS]
    if not isinstance(backend, RedisCache):
        return
    try:
        backend.incr_window(f"{CONTENT_PREFIX}{delegation_id}", timeout=FORM_CONTENT_SECONDS)
    except CACHE_ERRORS:  # then the others read again within FORM_CONTENT_SECONDS
        pass

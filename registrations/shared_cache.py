"""The shared cache (Redis or the database), used so that a cache outage never breaks a page."""

import logging
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import DatabaseError

try:
    from redis.exceptions import RedisError
except ImportError:  # redis-py is only needed when REDIS_URL is set
    RedisError = DatabaseError

logger = logging.getLogger(__name__)
CACHE_ERRORS = (RedisError, DatabaseError, ConnectionError, TimeoutError)
T = TypeVar("T")


def cache_get_or_compute(key: str, compute: Callable[[], T], *, timeout: int) -> T:
    """The cached value for ``key``, or ``compute()`` stored for ``timeout`` seconds; computed when the cache is down."""
    try:
        value = cache.get(key)
    except CACHE_ERRORS:
        logger.warning("Shared cache unreachable; computing %s", key.split(":")[0], exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, timeout=timeout)
        except CACHE_ERRORS:
            logger.warning("Shared cache unreachable; not storing %s", key.split(":")[0], exc_info=True)
    return value

"""The shared cache (Redis or the database), used so that a cache outage never breaks a page."""

import logging
import os
import threading
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.core.cache.backends import redis as django_redis
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


class _ReusedClientRedisCacheClient(django_redis.RedisCacheClient):
    """Django's client builds a new redis.Redis (~170 response callbacks set up) for every operation;
    this one builds it once per connection pool and reuses it (commands still take pooled connections)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(index))
        return client


class RedisCache(django_redis.RedisCache):
    """Django's RedisCache with one redis.Redis client per connection pool (settings.CACHES with REDIS_URL)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusedClientRedisCacheClient
        self._raw = threading.local()

    def get_raw(self, key: str) -> bytes | None:
        """The stored bytes of ``key`` (not unpickled), for callers that decode once per distinct value.

        On a connection of its own per thread and process (a fourth of redis-py's client call: no pool,
        no retry wrapper), for the one GET every memoised public page makes; dropped on any error.
        """
        key = self.make_and_validate_key(key)
        held = getattr(self._raw, "connection", None)
        if held is None or held[0] != os.getpid():
            held = self._raw.connection = (os.getpid(), self._cache._get_connection_pool(0).make_connection())
        connection = held[1]
        try:
            connection.send_command("GET", key)
            return connection.read_response()
        except BaseException:
            connection.disconnect()
            self._raw.connection = None
            raise

    def incr_window(self, key: str, *, timeout: int) -> int:
        """Add one to the counter ``key``, created at 0 for ``timeout`` seconds when missing: one round trip
        (``SET NX EX`` then ``INCR`` in a pipeline), where ``incr`` then ``add`` take two to four."""
        key = self.make_and_validate_key(key)
        client = self._cache.get_client(key, write=True)
        pipeline = client.pipeline(transaction=False)
        pipeline.set(key, 0, ex=timeout, nx=True)
        pipeline.incr(key)
        return pipeline.execute()[1]

    def loads(self, raw: bytes):
        return self._cache._serializer.loads(raw)

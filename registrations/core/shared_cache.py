"""The shared cache (Redis or the database), used so that a cache outage never breaks a page."""

import logging
import os
import ssl
import threading
import time
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
        self._key_watches: dict[str, KeyWatch] = {}

    def _raw_commands(self, *commands: tuple) -> list:
        """Send ``commands`` in one round trip and return their replies, on a connection of its own per thread and
        process (a fourth of redis-py's client call: no pool, no retry wrapper); dropped on any error."""
        held = getattr(self._raw, "connection", None)
        if held is None or held[0] != os.getpid():
            held = self._raw.connection = (os.getpid(), self._cache._get_connection_pool(0).make_connection())
        connection = held[1]
        try:
            connection.send_packed_command(connection.pack_commands(commands))
            return [connection.read_response() for _ in commands]
        except BaseException:
            connection.disconnect()
            self._raw.connection = None
            raise

    def get_raw_expiring(self, key: str) -> tuple[bytes | None, float]:
        """The stored bytes of ``key`` (not unpickled, for callers that decode once per distinct value) and the
        seconds it has left (0: none or no expiry), in one round trip (for the public pages' seat state)."""
        key = self.make_and_validate_key(key)
        raw, milliseconds = self._raw_commands(("GET", key), ("PTTL", key))
        return raw, max(milliseconds, 0) / 1000

    def incr_window(self, key: str, *, timeout: int) -> int:
        """Add one to the counter ``key``, created at 0 for ``timeout`` seconds when missing: one round trip
        (``SET NX EX`` then ``INCR``), where ``incr`` then ``add`` take two to four."""
        return self.incr_windows([(key, timeout)])[0]

    def incr_windows(self, keys: list[tuple[str, int]]) -> list[int]:
        """``incr_window`` for each (key, timeout), all in one round trip."""
        commands = []
        for key, timeout in keys:
            key = self.make_and_validate_key(key)
            commands += [("SET", key, 0, "EX", timeout, "NX"), ("INCR", key)]
        return self._raw_commands(*commands)[1::2]

    def delete_now(self, keys: list[str], *, notices_flushed: bool = False) -> None:
        """``delete_many`` in one round trip on this thread's own connection (the seat state, on every change).

        ``notices_flushed``: return only once the deletion's change notices are written out, as
        ``notifications_flushed`` does, in the same round trip (the PING sent with the DEL)."""
        if keys:
            delete = ("DEL", *(self.make_and_validate_key(key) for key in keys))
            self._raw_commands(delete, ("PING",)) if notices_flushed else self._raw_commands(delete)
        elif notices_flushed:
            self.notifications_flushed()

    def loads(self, raw: bytes):
        return self._cache._serializer.loads(raw)

    def key_watch(self, prefix: str) -> "KeyWatch":
        """This process's watch on the keys that start with ``prefix`` (see KeyWatch); one per server and prefix."""
        watch = self._key_watches.get(prefix)
        if watch is None:
            full = self.make_and_validate_key(prefix)
            with _watches_lock:
                watch = _watches.get((self._servers[0], full))
                if watch is None:
                    watch = _watches[(self._servers[0], full)] = KeyWatch(self._cache._get_connection_pool(0), full)
            self._key_watches[prefix] = watch
        return watch

    def notifications_flushed(self) -> None:
        """Return once Redis has written out the change notices (KeyWatch) of every command this process sent before.

        Redis writes the replies and the notices a command causes in the same pass of its event loop (in broadcasting
        mode the notices are queued before any reply of that pass is written: ``beforeSleep`` runs
        ``trackingBroadcastInvalidationMessages`` before ``handleClientsWithPendingWrites``), so once this PING is
        answered, the notices of every command sent before it, in an earlier message or in the same one, are in
        the sockets of every watcher on this machine (and on their way to the others).
        """
        self._raw_commands(("PING",))


_watches: dict[tuple[str, str], "KeyWatch"] = {}
_watches_lock = threading.Lock()


class KeyWatch:
    """Tells this process whether a key under a prefix may have changed in Redis, without a round trip per question.

    One connection per process with Redis's client-side caching in broadcasting mode (``CLIENT TRACKING ON
    REDIRECT <itself> BCAST PREFIX``, subscribed to ``__redis__:invalidate``): Redis sends on it a notice
    whenever a key with that prefix is set, deleted, expired or evicted, by any client on any machine.
    ``generation()`` reads what has arrived with a non-blocking ``recv`` (a system call; no round trip, no wake-up
    of redis-server) and returns a number that changes whenever a notice came, or when the connection was
    (re)made. Something read from Redis after ``generation()`` returned ``g`` is current as long as it still
    returns ``g``. ``None``: no connection (Redis down, a server without tracking, retried after RETRY_SECONDS):
    ask Redis itself. A connection that stops without being closed is not seen; callers bound how long they
    keep what they read (selectors.seat_state keeps it no longer than the key's own expiry).
    """

    RETRY_SECONDS = 1.0
    _SUBSCRIBED = b"__redis__:invalidate\r\n:1\r\n"  # the end of SUBSCRIBE's reply, in RESP2 and RESP3

    def __init__(self, pool, prefix: str):
        self._pool, self._prefix = pool, prefix
        self._lock = threading.Lock()
        self._pid = self._connection = self._socket = self.client_id = None
        self._generation, self._retry_at = 0, 0.0

    def generation(self) -> int | None:
        with self._lock:
            if self._pid != os.getpid():  # a forked worker: the parent's connection is not its own
                self._pid, self._connection, self._socket = os.getpid(), None, None
            if self._socket is None and not self._connect():
                return None
            try:
                while True:
                    if not self._socket.recv(65536):
                        raise ConnectionError("Redis closed the change-notice connection")
                    self._generation += 1
            except (BlockingIOError, ssl.SSLWantReadError):
                return self._generation
            except OSError:
                logger.warning("Redis change notices lost; asking Redis on every page until reconnected", exc_info=True)
                self._drop()
                return None

    def _connect(self) -> bool:
        if time.monotonic() < self._retry_at:
            return False
        connection = self._pool.make_connection()  # the cache's own address, credentials, TLS and database
        try:
            connection.connect()
            connection.send_command("CLIENT", "ID")
            own_id = connection.read_response()
            connection.send_command("CLIENT", "TRACKING", "ON", "REDIRECT", own_id, "BCAST", "PREFIX", self._prefix)
            if connection.read_response() not in (b"OK", "OK"):
                raise ConnectionError("CLIENT TRACKING refused")
            # Sent and read on the bare socket: the parser would keep notices read together with the reply.
            sock = connection._sock
            sock.sendall(b"".join(connection.pack_command("SUBSCRIBE", "__redis__:invalidate")))
            received = b""
            while self._SUBSCRIBED not in received:
                chunk = sock.recv(65536)
                if not chunk:
                    raise ConnectionError("Redis closed the change-notice connection")
                received += chunk
            sock.settimeout(0)
        except Exception:
            logger.warning("Redis change notices unavailable; asking Redis on every page", exc_info=True)
            connection.disconnect()
            self._retry_at = time.monotonic() + self.RETRY_SECONDS
            return False
        self._connection, self._socket, self.client_id = connection, sock, own_id
        self._generation += 1  # anything read before may have changed unseen
        return True

    def _drop(self) -> None:
        if self._connection is not None:
            self._connection.disconnect()
        self._connection = self._socket = None
        self._generation += 1
        self._retry_at = time.monotonic() + self.RETRY_SECONDS

"""A Redis cache that a lost Redis turns into no cache, not into errors.

Losing Redis for a while degrades the site, never breaks it (DESIGN.md). Every
use of the cache (the Site lookup of core.routing, the navigation, the reports'
dashboards, the limits of core.throttle, the cached_db sessions) goes through
this backend when REDIS_URL is set. While Redis does not answer:

- a read is a miss: ``get`` returns its default, ``get_many`` nothing;
- a write stores nothing: ``set``, ``add``, ``delete`` do nothing and ``incr``
  raises ValueError, as for a key that does not exist (its callers handle that);
- Redis is left alone for ``retry_seconds`` after a failure, so a request does
  not wait on it once per key it reads;
- the log says so in one WARNING, and in at most one more every
  ``warning_seconds`` while it lasts.

A write that did not reach Redis may leave an older value there: a session
ended since, a Site purged since. The keys of those writes are remembered and
deleted first thing when Redis answers again, so nothing stale comes back.
"""

from __future__ import annotations

import logging
import threading
import time
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What _call answers when Redis did not, told apart from any answer of Redis.
_FAILED = object()


class _Outage:
    """What every backend of one Redis in this process knows of its outage."""

    def __init__(self, where: str):
        self.where = where
        self.lock = threading.Lock()
        self.retry_at = 0.0  # time.monotonic() of the next try; 0: Redis answers
        self.warned_at: float | None = None
        self.stale: set[str] = set()  # keys written while Redis did not answer
        self.lost = 0  # stale keys beyond the cap, which cannot be cleaned up


_outages: dict[str, _Outage] = {}


def _where(servers) -> str:
    """Name the Redis servers in the log without their passwords."""
    return ", ".join(
        f"{parts.hostname or parts.path}:{parts.port or 6379}"
        for parts in map(urlsplit, servers)
    )


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client of Redis, keeping one redis.Redis per connection pool.

    Django's makes a new redis.Redis for every operation, whose constructor
    builds its table of response callbacks: about 0.2 ms of CPU, more than the
    round trip itself. A redis.Redis over a pool is safe to share between
    threads (each command takes a connection of the pool).
    """

    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            client = self._clients.setdefault(
                index, self._client(connection_pool=self._pools[index])
            )
        return client


class FailSafeRedisCache(RedisCache):
    """Django's RedisCache, answering as an empty cache while Redis is down."""

    retry_seconds = 5
    warning_seconds = 60
    # The most keys remembered for cleaning up when Redis answers again.
    max_stale_keys = 10_000

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        where = _where(self._servers)
        self._outage = _outages.setdefault(where, _Outage(where))

    # Reads: a miss while Redis is down.

    def get(self, key, default=None, version=None):
        return self._call(super().get, key, default, version, fallback=default)

    def get_many(self, keys, version=None):
        return self._call(super().get_many, keys, version, fallback={})

    def has_key(self, key, version=None):
        return self._call(super().has_key, key, version, fallback=False)

    # Writes: nothing stored while Redis is down, and the keys remembered.

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._write(
            super().add, [key], version, key, value, timeout, version, fallback=False
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._write(super().set, [key], version, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._write(
            super().set_many,
            list(data),
            version,
            data,
            timeout,
            version,
            fallback=list(data),
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._write(
            super().touch, [key], version, key, timeout, version, fallback=False
        )

    def delete(self, key, version=None):
        return self._write(super().delete, [key], version, key, version, fallback=False)

    def delete_many(self, keys, version=None):
        self._write(super().delete_many, list(keys), version, keys, version)

    def incr(self, key, delta=1, version=None):
        found = self._write(super().incr, [key], version, key, delta, version)
        if found is None:
            raise ValueError(f"Key '{key}' not found.")
        return found

    def clear(self):
        return self._call(super().clear, fallback=False)

    # The outage.

    def _write(self, method, keys, version, *args, fallback=None):
        answer = self._call(method, *args, fallback=_FAILED)
        if answer is _FAILED:
            self._remember([self.make_key(key, version=version) for key in keys])
            return fallback
        return answer

    def _call(self, method, *args, fallback):
        outage = self._outage
        if outage.retry_at and not self._recovered():
            return fallback
        try:
            return method(*args)
        except RedisError as error:
            self._failed(error)
            return fallback

    def _recovered(self) -> bool:
        """Whether Redis answers again, tried at most every retry_seconds; the
        keys written meanwhile are deleted before anything else is asked."""
        outage = self._outage
        if time.monotonic() < outage.retry_at:
            return False
        with outage.lock:
            stale = list(outage.stale)
        try:
            if stale:
                self._cache.delete_many(stale)
            else:
                self._cache.get_client().ping()
        except RedisError as error:
            self._failed(error)
            return False
        with outage.lock:
            outage.stale.difference_update(stale)
            outage.retry_at = 0.0
            lost, outage.lost = outage.lost, 0
        if lost:
            logger.warning(
                "The cache at %s answers again; %d keys written while it was down "
                "were not remembered and may hold old values until they expire.",
                outage.where,
                lost,
            )
        else:
            logger.info("The cache at %s answers again.", outage.where)
        return True

    def _failed(self, error: Exception) -> None:
        outage = self._outage
        now = time.monotonic()
        outage.retry_at = now + self.retry_seconds
        if outage.warned_at is None or now - outage.warned_at >= self.warning_seconds:
            outage.warned_at = now
            logger.warning(
                "The cache at %s does not answer (%s): serving without it, "
                "trying again every %d s.",
                outage.where,
                error,
                self.retry_seconds,
            )

    def _remember(self, keys: list[str]) -> None:
        outage = self._outage
        with outage.lock:
            room = self.max_stale_keys - len(outage.stale)
            new = [key for key in keys if key not in outage.stale]
            outage.stale.update(new[: max(room, 0)])
            outage.lost += max(len(new) - max(room, 0), 0)


def forget(key: str) -> None:
    """Delete a key of the shared cache now and again once the transaction
    commits: a request that read the rows meanwhile, before the commit, may
    have kept them as they were."""
    from django.core.cache import cache
    from django.db import transaction

    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))

"""The Redis cache, degrading to "nothing cached" while Redis cannot be reached.

Everything this site keeps in the cache can be worked out again (today: the KPIs' SPC
readings, kpis.analysis), so a cache that is down costs time, never an answer. Django's own
`RedisCache` raises on every call when the server is down or unreachable, which would turn each
page that reads the cache into a server error. This subclass catches the connection errors
(`redis.ConnectionError`, `redis.TimeoutError`, which include "connection refused" and a full
socket timeout): reads answer as misses, writes and deletes are dropped.

After a failure the process stops asking Redis for RETRY_AFTER seconds, so a Redis that hangs
(a dropped network rather than a refused connection) costs one socket timeout per process per
RETRY_AFTER, not one per cache call. The outage is logged once when it starts and once when
Redis answers again. Other errors (a bad key, a full Redis refusing writes) still raise.

docs/decisions/shared-state.md, "When Redis is down".
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
RETRY_AFTER = 5.0  # seconds without trying Redis after it failed


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0
        self._down = False
        self._lock = threading.Lock()

    def _attempt(self, operation, fallback, *args, **kwargs):
        if self._down and time.monotonic() < self._down_until:
            return fallback
        try:
            result = operation(*args, **kwargs)
        except UNREACHABLE as error:
            with self._lock:
                if not self._down:
                    logger.warning(
                        "Cache unreachable (%s): pages are worked out without it; retrying "
                        "every %.0f s",
                        error,
                        RETRY_AFTER,
                    )
                self._down = True
                self._down_until = time.monotonic() + RETRY_AFTER
            return fallback
        if self._down:
            with self._lock:
                if self._down:
                    logger.warning("Cache reachable again")
                self._down = False
        return result

    def get(self, key, default=None, version=None):
        return self._attempt(super().get, default, key, default, version)

    def get_many(self, keys, version=None):
        return self._attempt(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._attempt(super().has_key, False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # Nothing stored: as if another process had added it first.
        return self._attempt(super().add, False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(super().set, None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Django's contract: the keys that could not be stored.
        return self._attempt(super().set_many, list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._attempt(super().delete, False, key, version)

    def delete_many(self, keys, version=None):
        return self._attempt(super().delete_many, None, keys, version)

    def clear(self):
        return self._attempt(super().clear, False)

    # incr/decr keep raising: a counter that silently stays put would be wrong, not slow.

"""The cache: this process's memory by default, Redis (or Valkey) when REDIS_URL is set, shared
by every process. CI sets REDIS_URL to the Redis on loopback that `.ci/run` starts, so the
Redis tests run there; on a laptop without it they skip (WAYMARK_REQUIRE_SERVICES=1 fails them
instead)."""

from __future__ import annotations

import os
import secrets

import pytest
from django.core.cache import cache

from tests.planning.test_settings import run_manage

PROBE = """
from django.conf import settings
from django.core.cache import cache
print(settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1], cache.get("{key}"))
"""

needs_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL") and os.environ.get("WAYMARK_REQUIRE_SERVICES") != "1",
    reason="set REDIS_URL (e.g. redis://127.0.0.1:6379/1) to test the shared cache; CI does",
)


class TestCacheSettings:
    def test_without_redis_url_each_process_keeps_its_own(self):
        result = run_manage("shell", "-c", PROBE.format(key="anything"), REDIS_URL="")
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip().splitlines()[-1].split() == ["LocMemCache", "None"]


@needs_redis
class TestRedisCache:
    def test_a_value_one_process_stores_another_reads(self):
        key = f"shared-{secrets.token_hex(8)}"
        cache.set(key, "seen by every web server", timeout=60)
        try:
            result = run_manage("shell", "-c", PROBE.format(key=key))
            assert result.returncode == 0, result.stderr
            backend, value = result.stdout.strip().splitlines()[-1].split(" ", 1)
            assert backend == "RedisCache"
            assert value == "seen by every web server"
        finally:
            cache.delete(key)

    def test_keys_are_prefixed_so_a_shared_server_can_hold_other_apps(self):
        import redis

        key = f"prefixed-{secrets.token_hex(8)}"
        cache.set(key, 1, timeout=60)
        try:
            raw = redis.Redis.from_url(os.environ["REDIS_URL"])
            assert raw.keys(f"waymark:*:{key}")
            assert not raw.keys(key)
        finally:
            cache.delete(key)

"""The cache: this process's memory by default, Redis (or Valkey) when REDIS_URL is set, shared
by every process. CI sets REDIS_URL to the Redis on loopback that `.ci/run` starts, so the
Redis tests run there; on a laptop without it they skip (WAYMARK_REQUIRE_SERVICES=1 fails them
instead). A Redis that is down costs time, not pages (config/cache.py): tested against a real
closed port, no mock."""

from __future__ import annotations

import logging
import os
import secrets
import socket
from decimal import Decimal as D

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from redis.exceptions import ConnectionError as RedisConnectionError

from config import cache as resilient
from planning.fy import Quarter
from tests.conftest import _member
from tests.factories import KPIFactory, MeasurementFactory, PlanFactory
from tests.planning.test_settings import run_manage

PROBE = """
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
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
            assert backend == "ResilientRedisCache"
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


def closed_port() -> int:
    """A loopback port nothing listens on: bound, then closed, so a connection is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_down(backend: str) -> dict:
    return {
        "default": {
            "BACKEND": backend,
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }


@pytest.fixture
def scorecard(client):
    """A plan's quarterly scorecard, which reads its KPIs' SPC readings from the cache."""
    now = Quarter.containing(timezone.localdate())
    plan = PlanFactory(start_year=now.year - 3, end_year=now.year + 1)
    kpi = KPIFactory(plan=plan, code="L1", unit="%", frequency="quarterly", target=D("40"))
    quarter = now
    for amount in (50, 52, 49, 51, 50, 48, 52, 50):
        quarter = quarter.previous()
        MeasurementFactory(kpi=kpi, period_start=quarter.start, value=D(amount))
    client.force_login(_member(plan.organisation, "viewer"))
    return f"/plans/{plan.slug}/scorecard/?quarter={now.key}"


@pytest.mark.django_db
class TestRedisDown:
    def test_a_page_that_reads_the_cache_answers_while_redis_is_down(
        self, client, settings, scorecard, caplog
    ):
        settings.CACHES = redis_down("config.cache.ResilientRedisCache")
        with caplog.at_level(logging.WARNING, logger="config.cache"):
            assert client.get(scorecard).status_code == 200
            assert client.get(scorecard).status_code == 200
        warnings = [r.getMessage() for r in caplog.records if r.name == "config.cache"]
        assert len(warnings) == 1 and "Cache unreachable" in warnings[0]

    def test_sign_in_works_while_redis_is_down(self, client, settings, viewer):
        # Sessions and the sign-in throttle live in the database, not the cache.
        settings.CACHES = redis_down("config.cache.ResilientRedisCache")
        assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
        response = client.post(
            reverse("login"), {"username": viewer.username, "password": "password"}
        )
        assert response.status_code == 302
        assert client.get(reverse("planning:home")).status_code == 200

    def test_django_s_own_redis_cache_would_fail_that_page(self, client, settings, scorecard):
        # What the resilient backend is for: the same page with Django's RedisCache raises.
        settings.CACHES = redis_down("django.core.cache.backends.redis.RedisCache")
        with pytest.raises(RedisConnectionError):
            client.get(scorecard)

    def test_calls_answer_as_misses_and_stop_trying_for_a_while(self, settings, monkeypatch):
        settings.CACHES = redis_down("config.cache.ResilientRedisCache")
        assert cache.get("k", "default") == "default"
        assert cache.get_many(["a", "b"]) == {}
        assert cache.get_or_set("k", lambda: "worked out") == "worked out"
        assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
        assert cache.add("k", 1) is False
        assert cache.has_key("k") is False
        cache.set("k", 1)
        cache.delete("k")
        attempts = []
        monkeypatch.setattr(
            cache._cache, "get", lambda *args: attempts.append(args) or "never asked"
        )
        assert cache.get("k", "default") == "default"  # inside RETRY_AFTER: Redis not asked
        monkeypatch.setattr(resilient, "RETRY_AFTER", 0)
        cache._down_until = 0
        assert cache.get("k", "default") == "never asked"  # asked again after it
        assert attempts

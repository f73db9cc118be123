"""The scorecard's SPC readings come from the cache (kpis.analysis), keyed by what they are drawn
from: a new, corrected or withdrawn value, or a changed target, shows at once on the scorecard
and the KPI page, with the cache in this process's memory and in Redis (REDIS_URL)."""

from __future__ import annotations

import logging
import os
import socket
from decimal import Decimal as D

import pytest
from django.core.cache import cache
from django.utils import timezone

from kpis import analysis, charts, services
from kpis.models import KPI, Measurement
from planning.fy import Quarter
from reporting.scorecard import scorecard_for
from tests.factories import KPIFactory, MeasurementFactory, PlanFactory

TODAY = timezone.localdate()
NOW = Quarter.containing(TODAY)
HISTORY = [50, 52, 49, 51, 50, 48, 52, 50, 51, 49, 50, 52]  # common cause around 50

LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "analysis"}
REDIS_URL = os.environ.get("REDIS_URL", "")
BACKENDS = [
    pytest.param(LOCMEM, id="locmem"),
    pytest.param(
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "waymark-test-analysis",
        },
        id="redis",
        marks=pytest.mark.skipif(
            not REDIS_URL and os.environ.get("WAYMARK_REQUIRE_SERVICES") != "1",
            reason="set REDIS_URL (e.g. redis://127.0.0.1:6379/3) to test with Redis; CI does",
        ),
    ),
]


@pytest.fixture(params=BACKENDS)
def backend(request, settings):
    settings.CACHES = {"default": request.param}
    cache.clear()
    yield request.param["BACKEND"].rsplit(".", 1)[-1]
    cache.clear()


@pytest.fixture
def computed(monkeypatch):
    """How many readings were worked out (not found in the cache)."""
    count = {"n": 0}
    original = analysis.Series.reading

    def counting(self, n, target):
        count["n"] += 1
        return original(self, n, target)

    monkeypatch.setattr(analysis.Series, "reading", counting)
    return count


@pytest.fixture
def kpi(organisation):
    plan = PlanFactory(organisation=organisation, start_year=NOW.year - 3, end_year=NOW.year + 1)
    kpi = KPIFactory(plan=plan, code="L2", unit="%", frequency="quarterly", target=D("40"))
    quarter = NOW
    for amount in reversed(HISTORY):
        quarter = quarter.previous()
        MeasurementFactory(kpi=kpi, period_start=quarter.start, value=D(amount))
    KPIFactory(plan=plan, code="L3", unit="%", frequency="quarterly")  # another, unchanged
    return kpi


def status_of(kpi):
    card = scorecard_for(kpi.plan, NOW)
    return next(s for s in card.kpis if s.kpi.pk == kpi.pk)


def fresh(kpi) -> analysis.Reading:
    """The reading worked out now, from the database, without the cache."""
    return analysis.Reading.of(status_of(kpi).chart)


def assert_shown(client, kpi, reading: analysis.Reading):
    """The scorecard and the KPI page show this reading: icons, summary and sparkline."""
    page = client.get(f"/plans/{kpi.plan.slug}/scorecard/?quarter={NOW.key}").text
    assert reading.summary in page
    assert reading.sparkline_svg in page
    assert charts.variation_text(reading.variation) in page
    detail = client.get(kpi.get_absolute_url()).text
    assert reading.summary in detail


@pytest.mark.django_db
class TestReadingsFollowTheData:
    def test_read_from_the_cache_once_seen(self, backend, computed, kpi):
        MeasurementFactory(kpi=kpi, period_start=NOW.start, value=D("51"))
        status_of(kpi)
        assert computed["n"] == 2  # L2 as at this quarter and the last (L3 has no values)
        computed["n"] = 0
        again = status_of(kpi)
        assert computed["n"] == 0
        assert again.reading == fresh(kpi)
        # The previous quarter's scorecard finds its own series where this one's "previous"
        # left it, and works out only the quarter before that.
        scorecard_for(kpi.plan, NOW.previous())
        assert computed["n"] == 1

    def test_a_new_value_shows_at_once(self, backend, computed, client, viewer, kpi, contributor):
        client.force_login(viewer)
        before = status_of(kpi).reading
        assert before.variation == "common_cause"
        assert_shown(client, kpi, before)
        services.measurement_create(kpi=kpi, by=contributor, period_start=NOW.start, value=D("90"))
        computed["n"] = 0
        status = status_of(kpi)
        assert computed["n"] == 1  # the new series; last quarter's is unchanged and cached
        assert status.latest.value == D("90")
        assert status.variation == "improvement_high" == fresh(kpi).variation
        assert status.previous_variation == "common_cause"
        assert_shown(client, kpi, status.reading)

    def test_a_corrected_value_shows_at_once(self, backend, client, viewer, kpi, contributor):
        client.force_login(viewer)
        services.measurement_create(kpi=kpi, by=contributor, period_start=NOW.start, value=D("90"))
        assert_shown(client, kpi, status_of(kpi).reading)  # cached with 90
        measurement = Measurement.objects.get(kpi=kpi, period_start=NOW.start)
        services.measurement_update(
            measurement=measurement,
            by=contributor,
            expected_version=measurement.version,
            value=D("51"),
            today=TODAY,
        )
        status = status_of(kpi)
        assert status.latest.value == D("51")
        assert status.variation == "common_cause" and status.reading == fresh(kpi)
        assert_shown(client, kpi, status.reading)

    def test_a_withdrawn_value_shows_at_once(self, backend, client, viewer, kpi, contributor):
        client.force_login(viewer)
        services.measurement_create(kpi=kpi, by=contributor, period_start=NOW.start, value=D("90"))
        assert status_of(kpi).variation == "improvement_high"  # now cached
        measurement = Measurement.objects.get(kpi=kpi, period_start=NOW.start)
        services.measurement_withdraw(
            measurement=measurement,
            by=contributor,
            expected_version=measurement.version,
            reason="Counted twice",
            today=TODAY,
        )
        status = status_of(kpi)
        assert status.latest.value == D(HISTORY[-1])
        assert status.variation == "common_cause" and status.reading == fresh(kpi)
        assert_shown(client, kpi, status.reading)

    def test_a_changed_target_shows_at_once(self, backend, client, viewer, kpi, contributor):
        client.force_login(viewer)
        services.measurement_create(kpi=kpi, by=contributor, period_start=NOW.start, value=D("50"))
        before = status_of(kpi)
        assert before.assurance == "pass"  # 40 is below the lower limit: always met
        assert_shown(client, kpi, before.reading)
        kpi = KPI.objects.get(pk=kpi.pk)
        services.kpi_target_change(
            kpi=kpi,
            by=contributor,
            expected_version=kpi.version,
            effective_from=services.earliest_target_date(kpi, TODAY),
            target=D("70"),
            tolerance=None,
            today=TODAY,
        )
        status = status_of(kpi)
        assert status.target_text == "70%"
        assert status.assurance == "fail" and status.reading == fresh(kpi)  # above the limits
        assert "target 70% consistently missed" in status.summary
        assert_shown(client, kpi, status.reading)

    def test_an_edited_kpi_shows_at_once(self, backend, client, viewer, kpi):
        client.force_login(viewer)
        assert_shown(client, kpi, status_of(kpi).reading)
        KPI.objects.filter(pk=kpi.pk).update(name="Staff appraised", unit="per cent")
        status = status_of(kpi)
        assert "Trend of L2 Staff appraised" in status.sparkline
        assert "per cent" in status.summary and status.reading == fresh(kpi)
        assert_shown(client, kpi, status.reading)


def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db
class TestCacheDown:
    """A Redis that does not answer makes the scorecard slower, not broken: the readings are
    worked out without the cache (config.cache.ResilientRedisCache answers "not cached") and a
    warning is logged."""

    @pytest.fixture
    def redis_down(self, settings):
        settings.CACHES = {
            "default": {
                "BACKEND": "config.cache.ResilientRedisCache",
                "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            }
        }

    def test_the_scorecard_is_worked_out_without_it(
        self, redis_down, computed, client, viewer, kpi, caplog
    ):
        cache.set("anything", 1)
        assert cache.get("anything") is None  # the cache really is down: nothing is kept
        client.force_login(viewer)
        with caplog.at_level(logging.WARNING, logger="config.cache"):
            page = client.get(f"/plans/{kpi.plan.slug}/scorecard/?quarter={NOW.key}")
        assert page.status_code == 200
        by_the_page = computed["n"]
        assert by_the_page == 1  # L2's series (nothing new this quarter; L3 has no values)
        analysis.forget_local()  # as another process or server would: only the cache is shared
        reading = status_of(kpi).reading
        assert computed["n"] == 2  # worked out again: nothing was kept
        assert reading.summary in page.text and reading.sparkline_svg in page.text
        assert "Cache unreachable" in caplog.text
        assert client.get(kpi.get_absolute_url()).status_code == 200

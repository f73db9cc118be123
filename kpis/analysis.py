"""A KPI series' SPC as the tables show it, worked out once per series and kept in the cache.

The scorecard shows, for every KPI, the variation and assurance icons, a one-sentence summary
and a sparkline, and compares the variation with the previous quarter's: two SPC analyses and
an SVG per KPI, the page's largest cost. They change only when the series does, so each
``Reading`` is kept in Django's cache (Redis when ``REDIS_URL`` is set, this process's memory
otherwise) under a key that is a digest of **everything it is drawn from**: the KPI's code,
name, unit and polarity, each point's label, value, rebase flag and target, the target it is
assessed against, and the source of the code that draws it (this module, kpis.spc,
kpis.charts). A new, corrected or withdrawn value, a changed target or an edited KPI makes a
different key, so a stale reading is never found, whoever wrote the change (a form, an import,
the admin, a roll forward) and without any invalidation to forget; a new release of the SPC or
chart code makes new keys too. See docs/decisions/kpi-analysis-cache.md.

If Redis is down the cache backend (config.cache.ResilientRedisCache) answers "not cached" and
drops the writes, so the readings are worked out without it: the pages are slower, not broken.

``chart_data(...)`` builds a series' ``charts.ChartData`` (running the SPC, uncached: the KPI
page and the PDF's XmR charts); ``Series`` names one series and its key; ``readings(series)``
fetches them all in one cache round trip and computes (and stores) only the missing ones.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.core.cache import cache as django_cache
from django.utils.safestring import SafeString

from kpis import charts, spc

# Entries are never stale (their key is their content), so the timeout only lets a series
# nobody looks at any more leave the cache.
TIMEOUT = 60 * 60 * 24 * 30
PREFIX = "kpi-reading"


@dataclass(frozen=True)
class Reading:
    """What a table shows of one series' SPC (kpis.spc.SPCResult, kpis.charts.ChartData)."""

    variation: str | None
    assurance: str | None
    summary: str
    # charts.sparkline's markup, escaped and marked safe there (a SafeString survives pickling).
    sparkline_svg: SafeString

    @property
    def sparkline(self) -> SafeString:
        return self.sparkline_svg

    @classmethod
    def of(cls, chart: charts.ChartData) -> Reading:
        return cls(
            variation=chart.spc.variation,
            assurance=chart.spc.assurance,
            summary=chart.summary,
            sparkline_svg=charts.sparkline(chart),
        )


def chart_data(kpi, points: Sequence, targets: Sequence, target: Decimal | None):
    """The chart of ``points`` (kpis.selectors.SeriesPoint, oldest first), each with the
    target in force for its period (``targets``), assessed against ``target`` (the latest
    period's): runs the SPC. A point flagged ``starts_new_limits`` starts a rebase group."""
    result = spc.analyse(
        [p.value for p in points],
        improvement=kpi.improvement,
        target=target,
        rebase_at=[i for i, p in enumerate(points) if i > 0 and p.starts_new_limits],
    )
    return charts.ChartData(
        title=f"{kpi.code} {kpi.name}",
        labels=tuple(p.label for p in points),
        short_labels=tuple(p.short_label for p in points),
        values=tuple(p.value for p in points),
        spc=result,
        unit=kpi.unit,
        target=target,
        targets=tuple(targets),
    )


@cache
def _code_version() -> str:
    """A digest of the code a Reading comes from: a release that changes it makes new keys."""
    digest = hashlib.blake2b(digest_size=8)
    for module in (spc, charts):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()


class Series:
    """A KPI's series, and its prefixes (the same series as at an earlier date), with their
    cache keys: ``prefix(n, target)`` is the first ``n`` points assessed against ``target``."""

    def __init__(self, kpi, points: Sequence, targets: Sequence):
        self.kpi, self.points, self.targets = kpi, points, targets
        # repr: no text a user typed can be mistaken for a separator.
        self._head = repr((_code_version(), kpi.code, kpi.name, kpi.unit, kpi.polarity))
        # Everything of a point that the reading shows or depends on (its label, not its
        # date: the label is what is drawn).
        self._parts = [
            "\x1e".join((p.label, str(p.value), "1" if p.starts_new_limits else "0", str(t)))
            for p, t in zip(points, targets, strict=True)
        ]

    def key(self, n: int, target: Decimal | None) -> str:
        text = "\x1f".join((self._head, str(target), *self._parts[:n]))
        digest = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
        return f"{PREFIX}:{digest}"

    def reading(self, n: int, target: Decimal | None) -> Reading:
        return Reading.of(chart_data(self.kpi, self.points[:n], self.targets[:n], target))


# Readings this process has already fetched or worked out, by key. A key is a digest of
# everything its reading is drawn from, so an entry can never be stale and needs no
# invalidation: this only spares a scorecard its 400 cache look-ups and unpickles (with Redis,
# the round trip of some 370 KB) when the same series are shown again. The shared cache stays
# the place other processes and servers find them. Bounded: emptied when full (about 1 KB an
# entry).
_LOCAL: dict[str, Reading] = {}
LOCAL_MAX = 2048


def forget_local() -> None:
    """Empty this process's copy (tests, and the benchmark of a first reader)."""
    _LOCAL.clear()


def _remember(readings: dict[str, Reading]) -> None:
    if len(_LOCAL) + len(readings) > LOCAL_MAX:
        _LOCAL.clear()
    _LOCAL.update(readings)


def readings(wanted: Sequence[tuple[Series, int, Decimal | None]]) -> list[Reading]:
    """The Reading of each (series, number of points, target), in order: those this process
    has seen from its memory, those in the cache from it (one round trip), the others worked
    out and stored (one more)."""
    keys = [series.key(n, target) for series, n, target in wanted]
    local = _LOCAL
    missing = [key for key in keys if key not in local]
    found = django_cache.get_many(missing) if missing else {}
    fresh: dict[str, Reading] = {}
    out = []
    for key, (series, n, target) in zip(keys, wanted, strict=True):
        reading = local.get(key) or found.get(key) or fresh.get(key)
        if reading is None:
            reading = fresh[key] = series.reading(n, target)
        out.append(reading)
    if fresh:
        django_cache.set_many(fresh, timeout=TIMEOUT)
    if found or fresh:
        _remember({**found, **fresh})
    return out

"""Reads for the KPI pages, as plain dataclasses: ``kpi_list(plan)`` (every KPI with its latest
status), ``kpi_page(kpi)`` (one KPI, its whole series and linked objectives) and
``kpi_status(kpi, measurements, ...)``, the one place a KPI's series becomes SPC, RAG and a chart.
The quarterly scorecard that reads these beside the objectives lives in ``reporting.scorecard``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import NamedTuple

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from kpis import analysis, charts, lineage, periods, rag, spc
from kpis.models import KPI, KPITarget, Measurement, Perspective
from kpis.rows import PkURL
from kpis.targets import Schedule, Target
from planning.rag import RAG


class SeriesPoint(NamedTuple):
    """One value of a KPI's series (a named tuple: a scorecard makes thousands)."""

    measurement_id: int
    period_start: dt.date
    period_end: dt.date
    label: str
    short_label: str
    value: Decimal
    commentary: str
    starts_new_limits: bool
    synthetic: bool


@dataclass
class KPIStatus:
    """A KPI as at the end of a quarter (or, for the KPI page, with every measurement).

    Its SPC is worked out only when something asks: ``chart`` and ``spc`` (the XmR chart, the
    data table) run it; ``variation``, ``assurance``, ``summary`` and ``sparkline`` read the
    ``reading``, which the scorecard fills from the cache (``with_readings``) and which is
    otherwise worked out from ``chart``. The KPI list shows none of them and runs no SPC."""

    kpi: KPI
    points: list[SeriesPoint]
    rag: str | None
    # The target the latest value is rated against (in force on its period's first day);
    # with no value yet, the one in force at the end of the quarter shown (or today).
    target: Target | None = None
    previous_rag: str | None = None
    previous_latest: SeriesPoint | None = None
    # How many of ``points`` had ended by the previous quarter's end (None: not compared).
    previous_count: int | None = None

    @cached_property
    def targets(self) -> tuple[Decimal | None, ...]:
        """The target in force for each point's period (the chart's stepped target line)."""
        return self.kpi.target_schedule.targets_on(p.period_start for p in self.points)

    @property
    def latest(self) -> SeriesPoint | None:
        return self.points[-1] if self.points else None

    @cached_property
    def chart(self) -> charts.ChartData:
        return analysis.chart_data(self.kpi, self.points, self.targets, self._assessed_against)

    @property
    def spc(self) -> spc.SPCResult:
        return self.chart.spc

    @cached_property
    def reading(self) -> analysis.Reading:
        return analysis.Reading.of(self.chart)

    @cached_property
    def previous_reading(self) -> analysis.Reading | None:
        """The reading as at the previous quarter's end (None with no value by then)."""
        if not self.previous_count:
            return None
        if self.previous_count == len(self.points):  # nothing new this quarter
            return self.reading
        before = self.points[: self.previous_count]
        chart = analysis.chart_data(
            self.kpi, before, self.targets[: self.previous_count], self.targets[len(before) - 1]
        )
        return analysis.Reading.of(chart)

    @property
    def _assessed_against(self) -> Decimal | None:
        return self.target.target if self.target else None

    @property
    def _filled(self) -> analysis.Reading | None:
        """The reading if the cache filled it (with_readings): else the pages that show no
        sparkline (the KPI page) read the chart and draw none."""
        return self.__dict__.get("reading")

    @property
    def variation(self) -> str | None:
        filled = self._filled
        return filled.variation if filled else self.spc.variation

    @property
    def assurance(self) -> str | None:
        filled = self._filled
        return filled.assurance if filled else self.spc.assurance

    @property
    def summary(self) -> str:
        filled = self._filled
        return filled.summary if filled else self.chart.summary

    @property
    def sparkline(self):
        return self.reading.sparkline

    @property
    def previous_variation(self) -> str | None:
        return self.previous_reading.variation if self.previous_reading else None

    @property
    def latest_text(self) -> str:
        latest = self.latest
        return charts.format_value(latest.value, self.kpi.unit) if latest else "No data"

    @property
    def target_text(self) -> str:
        if self.target is None or self.target.target is None:
            return "No target"
        return charts.format_value(self.target.target, self.kpi.unit)

    @property
    def rag_words(self) -> str:
        return RAG.words(self.rag)

    @property
    def synthetic(self) -> bool:
        return any(p.synthetic for p in self.points)

    @property
    def anchor(self) -> str:
        return f"kpi-{self.kpi.pk}"

    @cached_property
    def url(self) -> str:
        return self.kpi.get_absolute_url()


def with_urls(statuses: list[KPIStatus]) -> list[KPIStatus]:
    """Fill each status's ``url`` from one reversal (a reverse() per row is a tenth of a
    200-KPI table's time)."""
    url = PkURL("kpis:detail")
    for status in statuses:
        status.url = url(status.kpi.pk)
    return statuses


def with_readings(statuses: list[KPIStatus]) -> list[KPIStatus]:
    """Fill each status's reading, and its previous quarter's, from the cache (one round trip;
    kpis.analysis): a series is analysed only the first time it is seen."""
    wanted, owners = [], []
    for status in statuses:
        if not status.points:
            status.reading = analysis.Reading.of(status.chart)  # "No measurements yet."
            status.previous_reading = None
            continue
        series = analysis.Series(status.kpi, status.points, status.targets)
        wanted.append((series, len(status.points), status._assessed_against))
        owners.append((status, "reading"))
        n = status.previous_count
        if n and n != len(status.points):
            wanted.append((series, n, status.targets[n - 1]))
            owners.append((status, "previous_reading"))
    for (status, name), reading in zip(owners, analysis.readings(wanted), strict=True):
        setattr(status, name, reading)
    return statuses


@dataclass
class PerspectiveGroup:
    code: str
    label: str
    kpis: list[KPIStatus] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"perspective-{self.code.lower()}"


# --- KPIs ------------------------------------------------------------------------------------

PERSPECTIVE_ORDER = {code: n for n, code in enumerate(Perspective.values)}


def _natural(code: str) -> list:
    return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", code)]


def kpi_sort_key(kpi: KPI):
    return (PERSPECTIVE_ORDER.get(kpi.perspective, 99), _natural(kpi.code))


@lru_cache(maxsize=4096)
def _period(start: dt.date, frequency: str) -> tuple[dt.date, str, str]:
    """A period's end, label and short label: the same few dozen periods recur on every KPI of
    a scorecard (4,000 points, 20 periods in the benchmark)."""
    return (
        periods.end(start, frequency),
        periods.label(start, frequency),
        periods.short_label(start, frequency),
    )


def _point(row: tuple, frequency: str) -> SeriesPoint:
    """A SeriesPoint from a MEASUREMENT_FIELDS row (a tuple: no model instance needed)."""
    pk, _kpi_id, start, value, commentary, starts_new_limits, synthetic = row
    return SeriesPoint(
        pk, start, *_period(start, frequency), value, commentary, starts_new_limits, synthetic
    )


_PERIOD_TABLES: dict[str, dict[dt.date, tuple[dt.date, str, str]]] = {}
_new_tuple = tuple.__new__


def _points(rows: list[tuple], frequency: str) -> list[SeriesPoint]:
    """``[_point(row, frequency) for row in rows]`` without a call per row: the periods from a
    table per frequency, each SeriesPoint made as ``SeriesPoint._make`` does (a scorecard makes
    4,000; this takes half the time)."""
    table = _PERIOD_TABLES.get(frequency)
    if table is None or len(table) > 4096:  # bounded, as _period's cache is
        table = _PERIOD_TABLES[frequency] = {}
    points = []
    for pk, _kpi_id, start, value, commentary, starts_new_limits, synthetic in rows:
        period = table.get(start)
        if period is None:
            period = table[start] = _period(start, frequency)
        points.append(
            _new_tuple(
                SeriesPoint,
                (pk, start, *period, value, commentary, starts_new_limits, synthetic),
            )
        )
    return points


def _rate(kpi: KPI, point: SeriesPoint | None, schedule: Schedule) -> str | None:
    """The point's RAG against the target in force for its period (kpis.targets)."""
    if point is None:
        return None
    target = schedule.in_force(point.period_start)
    return rag.rate(
        point.value,
        target=target.target if target else None,
        tolerance=target.tolerance if target else None,
        polarity=kpi.polarity,
    )


def _target_for(schedule: Schedule, point: SeriesPoint | None, as_at: dt.date) -> Target | None:
    return schedule.in_force(point.period_start if point else as_at)


def kpi_status(
    kpi: KPI,
    measurements: list[tuple],
    *,
    as_at: dt.date | None = None,
    previous_as_at: dt.date | None = None,
) -> KPIStatus:
    """The KPI from its measurements (MEASUREMENT_FIELDS rows, oldest first): those whose
    period ended by ``as_at`` (all of them when None), compared with those that ended by
    ``previous_as_at``. No SPC yet: see KPIStatus."""
    schedule = kpi.target_schedule  # prefetched by the callers (KPIQuerySet.with_targets)
    every = _points(measurements, kpi.frequency)
    points = [p for p in every if as_at is None or p.period_end <= as_at]
    latest = points[-1] if points else None
    status = KPIStatus(
        kpi=kpi,
        points=points,
        rag=_rate(kpi, latest, schedule),
        target=_target_for(schedule, latest, as_at or timezone.localdate()),
    )
    if previous_as_at is not None:
        before = [p for p in points if p.period_end <= previous_as_at]
        status.previous_count = len(before)
        if before:
            status.previous_latest = before[-1]
            status.previous_rag = _rate(kpi, before[-1], schedule)
    return status


MEASUREMENT_FIELDS = lineage.FIELDS


def measurements_by_kpi(queryset) -> dict[int, list[tuple]]:
    grouped: dict[int, list[tuple]] = {}
    for row in queryset.order_by("kpi_id", "period_start").values_list(*MEASUREMENT_FIELDS):
        grouped.setdefault(row[1], []).append(row)
    return grouped


def load_schedules(kpis: list[KPI], *, plan=None) -> list[KPI]:
    """Load each KPI's targets (``kpi.target_schedule``) in one query, as plain rows:
    prefetching KPITarget models for a few hundred KPIs costs several times the query.
    ``plan``: the KPIs are that plan's, so the targets are read by plan, not by a list of
    a few hundred ids (whose parameters cost more to build than the query to run)."""
    by_kpi: dict[int, list[Target]] = {kpi.pk: [] for kpi in kpis}
    targets = (
        KPITarget.objects.filter(kpi__plan=plan)
        if plan is not None
        else KPITarget.objects.filter(kpi_id__in=list(by_kpi))
    )
    rows = targets.order_by("kpi_id", "effective_from").values_list(
        "kpi_id", "effective_from", "target", "tolerance"
    )
    for kpi_id, effective_from, target, tolerance in rows:
        # By plan, a KPI added since the KPIs were read is not among them: skipped.
        schedule = by_kpi.get(kpi_id)
        if schedule is not None:
            schedule.append(Target(effective_from, target, tolerance))
    for kpi in kpis:
        kpi._loaded_schedule = Schedule(tuple(by_kpi[kpi.pk]))
    return kpis


def plan_kpis(plan) -> list[KPI]:
    """The plan's KPIs in scorecard order, each with its targets. Two queries."""
    return load_schedules(
        sorted(KPI.objects.filter(plan=plan), key=kpi_sort_key),
        plan=plan,
    )


def kpi_list(plan) -> list[KPIStatus]:
    """Every KPI of the plan with its latest value (a carried KPI's may be a predecessor's:
    kpis.lineage), in scorecard order. Three queries (KPIs, their targets, the latest values).
    The list shows no series, so each status holds only that latest point: its RAG, target
    and value are those of the whole series' last point."""
    kpis = plan_kpis(plan)
    latest = lineage.latest(kpis)
    return with_urls([kpi_status(k, [latest[k.pk]] if k.pk in latest else []) for k in kpis])


@dataclass(frozen=True)
class MeasurementRow:
    """A measurement on the KPI page, rated against the target in force for its period."""

    measurement: Measurement
    target: Target | None
    rag: str | None

    @property
    def target_text(self) -> str:
        if self.target is None or self.target.target is None:
            return "No target"
        return charts.format_value(self.target.target, self.measurement.kpi.unit)


@dataclass
class KPIPage:
    kpi: KPI
    status: KPIStatus
    # newest first, with who entered them; withdrawn ones too (marked, not rated)
    measurements: list[MeasurementRow]
    objectives: list  # the objectives.Objective records linked to the KPI
    targets: list  # its KPITarget rows, newest first
    current_target: Target | None  # in force today

    @property
    def synthetic(self) -> bool:
        return self.status.synthetic

    @property
    def table(self) -> list[charts.TableRow]:
        return charts.table_rows(self.status.chart)


def kpi_page(kpi: KPI) -> KPIPage:
    """One KPI with its whole series (the chart), its measurements, each rated against the
    target for its period, its targets and linked objectives. Four queries. A KPI carried
    forward from last year's plan shows its predecessors' values too (kpis.lineage), each
    with the KPI it was entered against."""
    # Every value, withdrawn ones too (listed, marked); only current ones count and are rated.
    # Only a carried-forward KPI lists values of other KPIs (its predecessors), whose KPI and
    # plan the rows name; a KPI's own rows get the page's KPI below, so none is read for them.
    related = ["created_by", "withdrawn_by"]
    if kpi.lineage_depth:
        related.append("kpi__plan__organisation")
    every = list(
        lineage.of_kpi(kpi, Measurement.all_objects.all())
        .select_related(*related)
        .order_by("period_start", "kpi__lineage_depth", "pk")
    )
    for m in every:
        if m.kpi_id == kpi.pk:
            m.kpi = kpi  # the same KPI (with its plan): no query per row when a page asks
    # A period valued in two years of the line counts once: the later KPI's value.
    counted = {m.period_start: m for m in every if m.withdrawn_at is None}
    measurements = sorted(counted.values(), key=lambda m: m.period_start)
    objectives = list(kpi.objectives.select_related("org_unit").order_by("order"))
    # kpi_status reads kpi.targets.all(): prefetched once, with who set each.
    prefetch_related_objects(
        [kpi],
        Prefetch(
            "targets",
            queryset=KPITarget.objects.select_related("created_by").order_by("effective_from"),
        ),
    )
    targets = list(kpi.targets.all())
    schedule = Schedule.of(targets)
    rows = [tuple(getattr(m, name) for name in MEASUREMENT_FIELDS) for m in measurements]
    table = []
    for m in reversed(every):
        withdrawn = m.withdrawn_at is not None
        point = _point(tuple(getattr(m, name) for name in MEASUREMENT_FIELDS), kpi.frequency)
        table.append(
            MeasurementRow(
                measurement=m,
                target=schedule.in_force(m.period_start),
                rag=None if withdrawn else _rate(kpi, point, schedule),
            )
        )
    return KPIPage(
        kpi=kpi,
        status=kpi_status(kpi, rows),
        measurements=table,
        objectives=objectives,
        targets=list(reversed(targets)),
        current_target=schedule.in_force(timezone.localdate()),
    )

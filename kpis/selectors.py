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

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from kpis import charts, lineage, periods, rag, spc
from kpis.models import KPI, KPITarget, Measurement, Perspective
from kpis.targets import Schedule, Target
from planning.rag import RAG


@dataclass(frozen=True)
class SeriesPoint:
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
    """A KPI as at the end of a quarter (or, for the KPI page, with every measurement)."""

    kpi: KPI
    points: list[SeriesPoint]
    spc: spc.SPCResult
    chart: charts.ChartData
    rag: str | None
    # The target the latest value is rated against (in force on its period's first day);
    # with no value yet, the one in force at the end of the quarter shown (or today).
    target: Target | None = None
    previous_rag: str | None = None
    previous_variation: str | None = None
    previous_latest: SeriesPoint | None = None

    @property
    def latest(self) -> SeriesPoint | None:
        return self.points[-1] if self.points else None

    @property
    def variation(self) -> str | None:
        return self.spc.variation

    @property
    def assurance(self) -> str | None:
        return self.spc.assurance

    @property
    def summary(self) -> str:
        return self.chart.summary

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


def _point(row: tuple, frequency: str) -> SeriesPoint:
    """A SeriesPoint from a MEASUREMENT_FIELDS row (a tuple: no model instance needed)."""
    pk, _kpi_id, start, value, commentary, starts_new_limits, synthetic = row
    return SeriesPoint(
        measurement_id=pk,
        period_start=start,
        period_end=periods.end(start, frequency),
        label=periods.label(start, frequency),
        short_label=periods.short_label(start, frequency),
        value=value,
        commentary=commentary,
        starts_new_limits=starts_new_limits,
        synthetic=synthetic,
    )


def _analyse(
    kpi: KPI, points: list[SeriesPoint], schedule: Schedule, target: Decimal | None
) -> tuple[spc.SPCResult, charts.ChartData]:
    """SPC and the chart. Assurance compares the latest period's target with the limits; the
    chart's target line steps where the target changed."""
    result = _spc(kpi, points, target)
    chart = charts.ChartData(
        title=f"{kpi.code} {kpi.name}",
        labels=tuple(p.label for p in points),
        short_labels=tuple(p.short_label for p in points),
        values=tuple(p.value for p in points),
        spc=result,
        unit=kpi.unit,
        target=target,
        targets=tuple(schedule.target_on(p.period_start) for p in points),
    )
    return result, chart


def _spc(kpi: KPI, points: list[SeriesPoint], target: Decimal | None) -> spc.SPCResult:
    return spc.analyse(
        [p.value for p in points],
        improvement=kpi.improvement,
        target=target,
        rebase_at=[i for i, p in enumerate(points) if i > 0 and p.starts_new_limits],
    )


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
    ``previous_as_at``."""
    schedule = kpi.target_schedule  # prefetched by the callers (KPIQuerySet.with_targets)
    every = [_point(m, kpi.frequency) for m in measurements]
    points = [p for p in every if as_at is None or p.period_end <= as_at]
    latest = points[-1] if points else None
    target = _target_for(schedule, latest, as_at or timezone.localdate())
    result, chart = _analyse(kpi, points, schedule, target.target if target else None)
    status = KPIStatus(kpi=kpi, points=points, spc=result, chart=chart, rag=None, target=target)
    status.rag = _rate(kpi, latest, schedule)
    if previous_as_at is not None:
        before = [p for p in points if p.period_end <= previous_as_at]
        if len(before) == len(points):  # nothing new this quarter: the same analysis
            previous = result
        elif before:
            previous_target = schedule.target_on(before[-1].period_start)
            previous = _spc(kpi, before, previous_target)
        if before:
            status.previous_variation = previous.variation
            status.previous_latest = before[-1]
            status.previous_rag = _rate(kpi, before[-1], schedule)
    return status


MEASUREMENT_FIELDS = lineage.FIELDS


def measurements_by_kpi(queryset) -> dict[int, list[tuple]]:
    grouped: dict[int, list[tuple]] = {}
    for row in queryset.order_by("kpi_id", "period_start").values_list(*MEASUREMENT_FIELDS):
        grouped.setdefault(row[1], []).append(row)
    return grouped


def kpi_list(plan) -> list[KPIStatus]:
    """Every KPI of the plan with all its measurements (a carried KPI's predecessors' too:
    kpis.lineage), in scorecard order. Three queries (KPIs, their targets, measurements)."""
    kpis = sorted(
        KPI.objects.filter(plan=plan).select_related("owner_role").with_targets(),
        key=kpi_sort_key,
    )
    grouped = lineage.measurements(kpis)
    return [kpi_status(k, grouped.get(k.pk, [])) for k in kpis]


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
    every = list(
        lineage.of_kpi(kpi, Measurement.all_objects.all())
        .select_related("created_by", "withdrawn_by", "kpi__plan__organisation")
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

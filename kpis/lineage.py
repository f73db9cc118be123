"""A KPI's line: the KPI and every KPI it was carried forward from (planning.rollforward).

A roll forward copies a KPI into next year's plan but not its measurements: the new KPI's
history is the line's. Every read of "a KPI's measurements" that should continue across years
(the KPI page, its chart and SPC, the scorecard) asks here, in one query whatever the number of
KPIs or the length of their lines: `KPI.lineage_root` names the first KPI of the line and
`lineage_depth` its place in it, so a KPI's predecessors are the line's KPIs no deeper than it.
Values of a KPI's successors (next year's plan) are not its history and are left out.

When two KPIs of a line hold a value for the same period, the later KPI's (the deeper) counts.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import Coalesce, RowNumber

from kpis.models import KPI, Measurement

# A measurement as the SPC and charts read it (kpis.selectors.MEASUREMENT_FIELDS).
FIELDS = (
    "pk",
    "kpi_id",
    "period_start",
    "value",
    "commentary",
    "starts_new_limits",
    "synthetic",
)


def lines_of(kpis: Iterable[KPI], prefix: str = "kpi__") -> Q:
    """A filter on `prefix`'s model (Measurement by default) for every KPI of the lines of
    `kpis`, successors included: narrow by depth afterwards (`measurements` does)."""
    roots = sorted({k.lineage_key for k in kpis})
    return Q(**{f"{prefix}pk__in": roots}) | Q(**{f"{prefix}lineage_root_id__in": roots})


def of_kpi(kpi: KPI, queryset: QuerySet | None = None) -> QuerySet:
    """The measurements of `kpi` and its predecessors (a queryset: the KPI page lists them)."""
    queryset = Measurement.objects.all() if queryset is None else queryset
    root = kpi.lineage_key
    return queryset.filter(
        Q(kpi_id=root) | Q(kpi__lineage_root_id=root), kpi__lineage_depth__lte=kpi.lineage_depth
    )


def measurements(kpis: Iterable[KPI], queryset: QuerySet | None = None) -> dict[int, list[tuple]]:
    """Each KPI's measurement rows (FIELDS tuples, oldest first), its own and its
    predecessors', by KPI id. `queryset` narrows the measurements (e.g. by period). One query."""
    kpis = list(kpis)
    if not kpis:
        return {}
    queryset = Measurement.objects.all() if queryset is None else queryset
    rows = (
        queryset.filter(lines_of(kpis))
        .order_by("period_start", "kpi__lineage_depth", "pk")
        .values_list(*FIELDS, "kpi__lineage_root_id", "kpi__lineage_depth")
    )
    # Each line's KPIs as (depth, that KPI's values by period): read once here, not per row
    # (a model's pk and fields are attribute look-ups; a scorecard reads thousands of rows).
    by_period: dict[int, dict] = {kpi.pk: {} for kpi in kpis}
    by_root: dict[int, list[tuple[int, dict]]] = {}
    for kpi in kpis:
        by_root.setdefault(kpi.lineage_key, []).append((kpi.lineage_depth, by_period[kpi.pk]))
    width = len(FIELDS)
    for row in rows:  # (*FIELDS, root, depth); FIELDS[1] is the KPI, FIELDS[2] the period
        depth = row[width + 1]
        for kpi_depth, periods in by_root.get(row[width] or row[1], ()):
            if depth <= kpi_depth:
                # Ordered by depth within a period: the later KPI's value replaces the earlier.
                periods[row[2]] = row[:width]
    return {pk: list(periods.values()) for pk, periods in by_period.items() if periods}


def latest(kpis: Iterable[KPI]) -> dict[int, tuple]:
    """Each KPI's latest measurement row (FIELDS), its own or a predecessor's, by KPI id: the
    last row `measurements` would give, without reading the others. One query, which returns
    one row per KPI of the lines (ROW_NUMBER() over each KPI's measurements, newest first)."""
    kpis = list(kpis)
    if not kpis:
        return {}
    newest_first = Window(RowNumber(), partition_by=F("kpi_id"), order_by=F("period_start").desc())
    rows = (
        Measurement.objects.filter(lines_of(kpis))
        .annotate(rank=newest_first)
        .filter(rank=1)
        .order_by()
        .values_list(*FIELDS, "kpi__lineage_root_id", "kpi__lineage_depth")
    )
    by_root: dict[int, list[KPI]] = {}
    for kpi in kpis:
        by_root.setdefault(kpi.lineage_key, []).append(kpi)
    found: dict[int, tuple] = {}
    width = len(FIELDS)
    for row in rows:  # (*FIELDS, root, depth)
        depth = row[width + 1]
        # measurements' order: the latest period; in a period, the later KPI; then the pk.
        rank = (row[2], depth, row[0])
        for kpi in by_root.get(row[width] or row[1], ()):
            if depth <= kpi.lineage_depth and (kpi.pk not in found or rank > found[kpi.pk][0]):
                found[kpi.pk] = (rank, row[:width])
    return {pk: row for pk, (_rank, row) in found.items()}


def _line_of_outer(kpi_path: str) -> Coalesce:
    """The first KPI of the line of the outer query's `kpi_path` (a KPI reference)."""
    prefix = f"{kpi_path}__" if kpi_path else ""
    return Coalesce(OuterRef(f"{prefix}lineage_root_id"), OuterRef(f"{prefix}pk"))


def in_plan(plan) -> Exists:
    """A Measurement filter: the values that belong to the history of one of `plan`'s KPIs
    (its own and its predecessors', not its successors'). A correlated subquery, so a query
    that counts or aggregates them stays one query."""
    return Exists(
        KPI.objects.annotate(line=Coalesce("lineage_root_id", "pk")).filter(
            plan=plan,
            line=_line_of_outer("kpi"),
            lineage_depth__gte=OuterRef("kpi__lineage_depth"),
        )
    )


def history_of_outer_kpi() -> QuerySet:
    """The measurements of the outer query's KPI and its predecessors, the latest first: for a
    Subquery annotating KPIs with their latest value."""
    line = _line_of_outer("")
    return (
        Measurement.objects.filter(Q(kpi_id=line) | Q(kpi__lineage_root_id=line))
        .filter(kpi__lineage_depth__lte=OuterRef("lineage_depth"))
        .order_by("-period_start", "-kpi__lineage_depth")
    )

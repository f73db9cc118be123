"""The quarterly balanced scorecard: KPIs by perspective beside the objectives' RAG roll-ups.

The scorecard page and the board-pack PDF render the same structure::

    from reporting.scorecard import default_quarter, scorecard_for
    quarter = default_quarter(plan)            # or planning.fy.Quarter.parse("2006-Q2")
    card = scorecard_for(plan, quarter)        # -> Scorecard

``scorecard_for(plan, quarter, quarters=...)`` runs five queries whatever the size of the plan
(its KPIs, their dated targets, their measurements up to the quarter's end, its objectives with
their progress as at this quarter and the last, its strategic priorities), two more without
``quarters`` (``scorecard_quarters``); ``default_quarter`` runs two more, none when given the
``data_periods`` the switcher's quarters came from (the page reads them once). Each KPI value is
rated against the target in force on its period's first day (kpis.targets). Everything is "as at the
end of the quarter": a KPI's latest value is its latest period that ended by then; an
objective's RAG and narrative come from its latest ProgressUpdate for that quarter or an
earlier one (by financial_year/quarter, then the time it was recorded).

A ``Scorecard`` holds:

* ``plan``, ``quarter``, ``previous_quarter``, ``quarters`` (the plan's quarters and every
  other quarter with data, for a switcher), ``earlier`` / ``later`` (the neighbours in that
  list, or None), ``plan_year_text`` (which year of the plan, or outside its years);
* ``perspectives``: the four balanced-scorecard perspectives in order (Financial, Customer /
  partner, Internal process, Learning and growth), each a ``PerspectiveGroup`` of
  ``KPIStatus``: the KPI, its ``points`` (``SeriesPoint``: period, value, commentary) up to the
  quarter end, ``latest``, ``rag`` (kpis.rag), ``spc`` (kpis.spc.SPCResult: ``variation``,
  ``assurance``), ``chart`` (kpis.charts.ChartData, for ``charts.xmr_chart``,
  ``charts.sparkline``), ``summary`` (one sentence), and ``previous_rag`` /
  ``previous_variation`` as at the previous quarter;
* ``objectives``: every objective as an ``ObjectiveStatus`` (rag, previous_rag, narrative;
  ``objective`` is an ``ObjectiveRef``, the fields shown, read as values);
  ``objective_totals``, ``by_priority`` and ``by_department`` (``Rollup``: counts and shares
  by RAG; "department" falls back to the programme for plans organised by programme);
* ``exceptions``: every Red and Amber KPI and objective with its latest narrative
  (``ExceptionItem``); ``changes``: KPI RAG and variation changes and objective RAG changes
  since the previous quarter (``Change``);
* ``synthetic``: True when any measurement shown is generated demo data.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from django.db.models import OuterRef, Q, Subquery, TextField, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone

from kpis import charts, lineage, periods
from kpis.models import Measurement, Perspective
from kpis.rows import PkURL
from kpis.selectors import (
    KPIStatus,
    PerspectiveGroup,
    kpi_status,
    plan_kpis,
    with_readings,
    with_urls,
)
from objectives.models import Objective, ProgressStatus, ProgressUpdate
from planning.fy import Quarter, fy_label
from planning.rag import RAG


@dataclass(frozen=True, slots=True)
class ObjectiveRef:
    """What the scorecard shows and groups of an objective, read as values: building 500
    Objective models with their department, programme and priority cost more than the rest
    of the scorecard's objectives together."""

    pk: int
    reference: str
    text: str
    url: str
    strategic_priority_id: int | None
    org_unit_id: int | None
    org_unit_name: str | None
    org_unit_order: int | None
    programme_id: int | None
    programme_number: int | None
    programme_title: str | None


@dataclass
class ObjectiveStatus:
    objective: ObjectiveRef
    rag: str  # "" when not rated as at the quarter
    previous_rag: str
    narrative: str
    reported: Quarter | None  # the quarter of the update the RAG comes from
    status: str = ""  # the progress status as at the quarter ("" with no update yet)
    previous_status: str = ""

    @property
    def group_label(self) -> str:
        return department_label(self.objective)

    @property
    def complete(self) -> bool:
        return _is_complete(self.status)

    @property
    def previous_complete(self) -> bool:
        return _is_complete(self.previous_status)

    # Cached: the roll-ups, exceptions and changes ask for each objective's several times.
    @cached_property
    def reading(self) -> str:
        """The rating the roll-ups and exceptions count (planning.rag.RAG.reading): a
        completed item recorded without a rating counts as complete, its RAG still blank."""
        return RAG.reading(self.rag, complete=self.complete)

    @cached_property
    def previous_reading(self) -> str:
        return RAG.reading(self.previous_rag, complete=self.previous_complete)


# Read once: the rollups ask for every objective, several times over.
_COMPLETE_VALUES = frozenset(ProgressStatus.complete_values())


def _is_complete(status: str) -> bool:
    return status in _COMPLETE_VALUES


@dataclass(frozen=True)
class RagCount:
    rag: str  # a RAG value, "" for not rated
    label: str
    count: int
    share: int  # whole percent of the row's total


@dataclass
class Rollup:
    label: str
    counts: list[RagCount]
    total: int


@dataclass(frozen=True)
class ExceptionItem:
    kind: str  # "KPI" or "Objective"
    reference: str
    title: str
    url: str
    rag: str
    narrative: str
    period: str  # the period the narrative belongs to
    group: str  # the perspective, or the department or programme


@dataclass(frozen=True)
class Change:
    kind: str  # "KPI" or "Objective"
    reference: str
    title: str
    url: str
    what: str  # "RAG" or "Variation"
    before: str  # a RAG value ("" not rated) or a variation name ("" none)
    after: str
    before_text: str
    after_text: str
    # A blank rating of a completed item reads "Complete" (RAG.tag's ``complete``).
    before_complete: bool = False
    after_complete: bool = False


@dataclass
class Scorecard:
    plan: object
    quarter: Quarter
    quarters: list[Quarter]
    perspectives: list[PerspectiveGroup]
    objectives: list[ObjectiveStatus]
    objective_totals: Rollup
    by_priority: list[Rollup]
    by_department: list[Rollup]
    exceptions: list[ExceptionItem]
    changes: list[Change]
    synthetic: bool

    @property
    def previous_quarter(self) -> Quarter:
        return self.quarter.previous()

    @property
    def earlier(self) -> Quarter | None:
        """The quarter before this one in the switcher (the plan's, or one with data)."""
        before = [q for q in self.quarters if q < self.quarter]
        return before[-1] if before else None

    @property
    def later(self) -> Quarter | None:
        after = [q for q in self.quarters if q > self.quarter]
        return after[0] if after else None

    @property
    def plan_year_text(self) -> str:
        """Which of the plan's years the quarter belongs to, or that it is outside them."""
        return plan_year_text(self.plan, self.quarter)

    @property
    def label(self) -> str:
        return periods.quarter_label(self.quarter)

    @property
    def kpis(self) -> list[KPIStatus]:
        return [status for group in self.perspectives for status in group.kpis]

    @property
    def totals(self) -> list[Rollup]:
        """The plan's row of objective counts, as a one-row table."""
        return [self.objective_totals]

    @property
    def kpi_exceptions(self) -> list[ExceptionItem]:
        return [e for e in self.exceptions if e.kind == "KPI"]

    @property
    def objective_exceptions(self) -> list[ExceptionItem]:
        return [e for e in self.exceptions if e.kind == "Objective"]


# --- quarters --------------------------------------------------------------------------------


def plan_quarters(plan) -> list[Quarter]:
    """The quarters of the plan's period, oldest first."""
    quarters, quarter = [], Quarter(plan.start_year, 1)
    while quarter <= Quarter(plan.end_year, 4):
        quarters.append(quarter)
        quarter = quarter.next()
    return quarters


class DataPeriods(NamedTuple):
    """When the plan has data: every distinct (period_start, frequency) of its KPIs'
    measurements (predecessors' included, kpis.lineage) and (financial_year, quarter) of its
    objectives' progress updates. Both the switcher's quarters and the default quarter come
    from these, so the page reads them once."""

    measured: frozenset
    updated: frozenset


def data_periods(plan) -> DataPeriods:
    """Two queries."""
    # order_by(): without it DISTINCT also runs over the models' default ordering (joining
    # the plan and organisation for it) and returns every row instead of every period.
    measured = (
        Measurement.objects.filter(lineage.in_plan(plan))
        .order_by()
        .values_list("period_start", "kpi__frequency")
        .distinct()
    )
    updated = (
        ProgressUpdate.objects.filter(objective__plan=plan)
        .order_by()
        .values_list("financial_year", "quarter")
        .distinct()
    )
    return DataPeriods(frozenset(measured), frozenset(updated))


def scorecard_quarters(plan, *, data: DataPeriods | None = None) -> list[Quarter]:
    """The quarters the scorecard can show, oldest first: the plan's own, and every other
    quarter with data: one in which a measurement's period ended (when its value first shows)
    or with a progress update. Two queries (none given ``data``, from data_periods)."""
    measured, updated = data if data is not None else data_periods(plan)
    quarters = set(plan_quarters(plan))
    quarters.update(Quarter.containing(periods.end(start, freq)) for start, freq in measured)
    quarters.update(Quarter(year, number) for year, number in updated if 1 <= number <= 4)
    return sorted(quarters)


def plan_year_text(plan, quarter: Quarter) -> str:
    """'2019/20, year 2 of the plan' or '2005/06, outside the plan's years (2006/07)'."""
    year = fy_label(quarter.year)
    if plan.start_year <= quarter.year <= plan.end_year:
        number, total = quarter.year - plan.start_year + 1, plan.end_year - plan.start_year + 1
        return f"{year}, year {number} of {total} of the plan"
    return f"{year}, outside the plan's years ({plan.period_label})"


def _as_at(quarter: Quarter) -> Q:
    return Q(financial_year__lt=quarter.year) | Q(
        financial_year=quarter.year, quarter__lte=quarter.number
    )


def default_quarter(
    plan, today: dt.date | None = None, *, data: DataPeriods | None = None
) -> Quarter:
    """The latest quarter of the plan with a measurement or a progress update, not after the
    current quarter; with none, the current quarter if the plan covers it, else the plan's
    last quarter (or its first, for a plan not yet started). Two queries (none given
    ``data``, from data_periods)."""
    quarters = plan_quarters(plan)
    current = Quarter.containing(today or timezone.localdate())
    if current < quarters[0]:
        return quarters[0]
    cap = min(current, quarters[-1])
    measured, updated = data if data is not None else data_periods(plan)
    first, last = quarters[0].start, cap.end
    latest_measured = max(
        (start for start, _frequency in measured if first <= start <= last), default=None
    )
    latest_update = max(
        (
            (year, number)
            for year, number in updated
            if year >= plan.start_year
            and (year < cap.year or (year == cap.year and number <= cap.number))
        ),
        default=None,
    )
    found = []
    if latest_measured:
        found.append(Quarter.containing(latest_measured))
    if latest_update:
        found.append(Quarter(*latest_update))
    return max(found) if found else cap


# --- objectives ------------------------------------------------------------------------------


def department_label(objective: ObjectiveRef) -> str:
    if objective.org_unit_id:
        return objective.org_unit_name
    if objective.programme_id:
        return f"{objective.programme_number}. {objective.programme_title}"  # str(Programme)
    return "No department or programme"


def _department_sort(objective: ObjectiveRef):
    if objective.org_unit_id:
        return (0, objective.org_unit_order, objective.org_unit_name)
    if objective.programme_id:
        return (1, objective.programme_number, "")
    return (2, 0, "")


def _latest_update(quarter: Quarter):
    return ProgressUpdate.objects.filter(_as_at(quarter), objective=OuterRef("pk")).order_by(
        "-financial_year", "-quarter", "-created_at", "-pk"
    )


# Separates the fields of an update read as one text (objective_statuses).
_SEP = "\x1f"


def _joined(*fields: str) -> Concat:
    """The fields as one text, separated by _SEP (a NULL field as ""). Read by str.split: the
    JSON object this replaces cost a json.loads per objective and quarter, more than the rest of
    the row; only the last field is free text, so ``split(_SEP, len(fields) - 1)`` is exact
    whatever it holds."""
    parts: list = []
    for field in fields:
        parts += [field, Value(_SEP)]
    return Concat(*parts[:-1], output_field=TextField())


def objective_statuses(plan, quarter: Quarter) -> list[ObjectiveStatus]:
    """Every objective of the plan with its RAG as at this quarter and the last. One query:
    each quarter's latest update is one correlated subquery returning its fields as one text
    (a subquery per field ran the same search seven times per objective)."""
    latest, previous = _latest_update(quarter), _latest_update(quarter.previous())
    rows = (
        Objective.objects.filter(plan=plan)
        .annotate(
            as_at=Subquery(
                latest.values(
                    fields=_joined("rag", "status", "financial_year", "quarter", "narrative")
                )[:1]
            ),
            before=Subquery(previous.values(fields=_joined("rag", "status"))[:1]),
        )
        .order_by("order", "pk")
        .values_list(
            "pk",
            "reference",
            "text",
            "strategic_priority_id",
            "org_unit_id",
            "org_unit__name",
            "org_unit__order",
            "programme_id",
            "programme__number",
            "programme__title",
            "as_at",
            "before",
        )
    )
    url = PkURL("objectives:detail")
    statuses = []
    for pk, reference, text, priority, unit, *grouping, as_at, before in rows:
        if as_at is None:  # no update as at the quarter
            rag = status = narrative = ""
            reported = None
        else:
            rag, status, year, number, narrative = as_at.split(_SEP, 4)
            reported = Quarter(int(year), int(number)) if int(year) else None
        previous_rag, previous_status = before.split(_SEP, 1) if before is not None else ("", "")
        statuses.append(
            ObjectiveStatus(
                objective=ObjectiveRef(pk, reference, text, url(pk), priority, unit, *grouping),
                rag=rag,
                previous_rag=previous_rag,
                narrative=narrative,
                reported=reported,
                status=status,
                previous_status=previous_status,
            )
        )
    return statuses


ROLLUP_COLUMNS = RAG.choices_with_not_rated()


def _rollup(label: str, statuses: list[ObjectiveStatus]) -> Rollup:
    total = len(statuses)
    counted = Counter(s.reading for s in statuses)
    counts = []
    for value, words in ROLLUP_COLUMNS:
        count = counted[value]
        share = round(100 * count / total) if total else 0
        counts.append(RagCount(rag=value, label=words, count=count, share=share))
    return Rollup(label=label, counts=counts, total=total)


def _by_priority(statuses: list[ObjectiveStatus], priorities) -> list[Rollup]:
    grouped: dict[int | None, list[ObjectiveStatus]] = {}
    for s in statuses:
        grouped.setdefault(s.objective.strategic_priority_id, []).append(s)
    rows = [_rollup(str(p), grouped.get(p.pk, [])) for p in priorities]
    if grouped.get(None):
        rows.append(_rollup("Not linked to a strategic priority", grouped[None]))
    return rows


def _by_department(statuses: list[ObjectiveStatus]) -> list[Rollup]:
    grouped: dict[str, list[ObjectiveStatus]] = {}
    order: dict[str, tuple] = {}
    for s in statuses:
        label = department_label(s.objective)
        grouped.setdefault(label, []).append(s)
        order.setdefault(label, _department_sort(s.objective))
    return [_rollup(label, grouped[label]) for label in sorted(grouped, key=order.__getitem__)]


# --- the scorecard ---------------------------------------------------------------------------


def _variation_words(variation: str | None) -> str:
    if not variation:
        return "No data"
    return charts.VARIATION_WORDS[variation][:1].upper() + charts.VARIATION_WORDS[variation][1:]


def _kpi_exceptions_and_changes(statuses: list[KPIStatus]):
    exceptions, changes = [], []
    perspective_words = dict(Perspective.choices)
    for s in statuses:
        kpi, url = s.kpi, s.url
        if s.rag and RAG(s.rag).is_exception:
            exceptions.append(
                ExceptionItem(
                    kind="KPI",
                    reference=kpi.code,
                    title=kpi.name,
                    url=url,
                    rag=s.rag,
                    narrative=s.latest.commentary if s.latest else "",
                    period=s.latest.label if s.latest else "",
                    group=perspective_words.get(kpi.perspective, ""),
                )
            )
        if s.latest is None:
            continue
        if (s.previous_rag or "") != (s.rag or "") and (s.rag or s.previous_rag):
            changes.append(
                Change(
                    kind="KPI",
                    reference=kpi.code,
                    title=kpi.name,
                    url=url,
                    what="RAG",
                    before=s.previous_rag or "",
                    after=s.rag or "",
                    before_text=RAG.words(s.previous_rag),
                    after_text=RAG.words(s.rag),
                )
            )
        if s.previous_variation != s.variation:
            changes.append(
                Change(
                    kind="KPI",
                    reference=kpi.code,
                    title=kpi.name,
                    url=url,
                    what="Variation",
                    before=s.previous_variation or "",
                    after=s.variation or "",
                    before_text=_variation_words(s.previous_variation),
                    after_text=_variation_words(s.variation),
                )
            )
    exceptions.sort(key=lambda e: RAG(e.rag).order)
    return exceptions, changes


def _objective_exceptions_and_changes(statuses: list[ObjectiveStatus]):
    exceptions, changes = [], []
    for s in statuses:
        o = s.objective
        if s.reading and RAG(s.reading).is_exception:
            exceptions.append(
                ExceptionItem(
                    kind="Objective",
                    reference=o.reference,
                    title=o.text,
                    url=o.url,
                    rag=s.rag,
                    narrative=s.narrative,
                    period=periods.quarter_label(s.reported) if s.reported else "",
                    group=s.group_label,
                )
            )
        if s.reading != s.previous_reading:
            changes.append(
                Change(
                    kind="Objective",
                    reference=o.reference,
                    title=o.text,
                    url=o.url,
                    what="RAG",
                    before=s.previous_rag,
                    after=s.rag,
                    before_text=RAG.words(s.previous_rag, complete=s.previous_complete),
                    after_text=RAG.words(s.rag, complete=s.complete),
                    before_complete=s.previous_complete,
                    after_complete=s.complete,
                )
            )
    exceptions.sort(key=lambda e: RAG(e.rag).order)
    return exceptions, changes


def scorecard_for(plan, quarter: Quarter, *, quarters: list[Quarter] | None = None) -> Scorecard:
    """The balanced scorecard of ``plan`` as at the end of ``quarter`` (see the module
    docstring). Five queries (two more without ``quarters``, from scorecard_quarters), whatever
    the number of KPIs, targets, measurements and objectives."""
    kpis = plan_kpis(plan)
    # A KPI carried from last year's plan reads its predecessors' values too (kpis.lineage).
    grouped = lineage.measurements(kpis, Measurement.objects.filter(period_start__lte=quarter.end))
    statuses = with_urls(
        [
            kpi_status(
                k, grouped.get(k.pk, []), as_at=quarter.end, previous_as_at=quarter.previous().end
            )
            for k in kpis
        ]
    )
    with_readings(statuses)
    perspectives = [PerspectiveGroup(code, words) for code, words in Perspective.choices]
    by_code = {group.code: group for group in perspectives}
    for status in statuses:
        by_code[status.kpi.perspective].kpis.append(status)

    objectives = objective_statuses(plan, quarter)
    priorities = list(plan.strategic_priorities.order_by("number"))
    kpi_exceptions, kpi_changes = _kpi_exceptions_and_changes(statuses)
    objective_exceptions, objective_changes = _objective_exceptions_and_changes(objectives)
    return Scorecard(
        plan=plan,
        quarter=quarter,
        quarters=quarters if quarters is not None else scorecard_quarters(plan),
        perspectives=perspectives,
        objectives=objectives,
        objective_totals=_rollup("All objectives", objectives),
        by_priority=_by_priority(objectives, priorities),
        by_department=_by_department(objectives),
        exceptions=kpi_exceptions + objective_exceptions,
        changes=kpi_changes + objective_changes,
        synthetic=any(s.synthetic for s in statuses),
    )


def scorecard_url(plan, quarter: Quarter | None = None) -> str:
    url = reverse("reporting:scorecard", kwargs={"slug": plan.slug})
    return f"{url}?quarter={quarter.key}" if quarter else url

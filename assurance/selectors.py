"""Reads for the register, a risk's page and the Board Assurance Framework, each in a fixed
number of queries whatever the number of risks (the pages' tests count them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from assurance import scoring
from assurance.models import Risk, RiskCategory, RiskReview, RiskStatus, bands_of
from planning.models import Organisation, Plan, StrategicPriority


@dataclass
class RiskRow:
    risk: Risk
    overdue: bool
    trend: scoring.Trend
    actions: list = field(default_factory=list)

    @property
    def current(self):
        return self.risk.current

    @property
    def target(self):
        return self.risk.target

    @property
    def inherent(self):
        return self.risk.inherent

    @property
    def within_appetite(self):
        return self.risk.within_appetite

    @property
    def gap_to_target(self) -> int | None:
        """How far the current score is above the target (0 when at or below it)."""
        if self.current is None or self.target is None:
            return None
        return max(self.current.score - self.target.score, 0)


def baf_rows(risks, bands: scoring.Bands) -> list[Risk]:
    """The risks of `risks` (a queryset) read for a page of hundreds (Risk.objects.for_baf()),
    each given its bands, its review scores oldest first (`baf_scores`) and the ids of the
    priorities it threatens (`baf_priority_ids`): three queries whatever the number."""
    risks = list(risks.for_baf())
    ids = [r.pk for r in risks]
    scores: dict[int, list] = {pk: [] for pk in ids}
    reviews = (
        RiskReview.objects.filter(risk__in=ids)
        .order_by("risk_id", "reviewed_on", "pk")
        .values_list("risk_id", "likelihood", "consequence")
    )
    for risk_id, likelihood, consequence in reviews:
        scores[risk_id].append(scoring.score(likelihood, consequence))
    priorities: dict[int, list[int]] = {pk: [] for pk in ids}
    links = Risk.priorities.through.objects.filter(risk__in=ids).values_list(
        "risk_id", "strategicpriority_id"
    )
    for risk_id, priority_id in links:
        priorities[risk_id].append(priority_id)
    for risk in risks:
        risk._bands = bands
        risk.baf_scores = scores[risk.pk]
        risk.baf_priority_ids = priorities[risk.pk]
    return risks


def _listed(risk: Risk, attribute: str, relation: str) -> list:
    """for_baf()'s prefetched list, or the relation's (prefetched) rows."""
    found = getattr(risk, attribute, None)
    return list(getattr(risk, relation).all()) if found is None else found


def _row(risk: Risk, today: dt.date) -> RiskRow:
    return RiskRow(
        risk=risk,
        overdue=risk.is_review_overdue(today),
        trend=risk.trend,
        actions=_listed(risk, "baf_actions", "mitigating_actions"),
    )


@dataclass
class Register:
    organisation: Organisation
    bands: scoring.Bands
    rows: list[RiskRow]
    categories: list[RiskCategory]
    plans: list[Plan]

    @property
    def overdue(self) -> list[RiskRow]:
        return [r for r in self.rows if r.overdue]

    @property
    def unscored(self) -> int:
        return sum(1 for r in self.rows if not r.risk.is_scored)

    @property
    def synthetic(self) -> bool:
        return any(r.risk.synthetic for r in self.rows)

    @property
    def heat_map(self) -> scoring.HeatMap:
        live = [r.risk for r in self.rows if r.risk.status != RiskStatus.CLOSED]
        return scoring.heat_map(
            [(r.current_likelihood, r.current_consequence) for r in live], self.bands
        )


def register_for(organisation: Organisation, today: dt.date | None = None) -> Register:
    today = today or dt.date.today()
    bands = bands_of(organisation)
    risks = baf_rows(Risk.objects.filter(organisation=organisation), bands)
    return Register(
        organisation=organisation,
        bands=bands,
        rows=[_row(r, today) for r in risks],
        categories=list(RiskCategory.objects.filter(organisation=organisation)),
        plans=list(Plan.objects.filter(organisation=organisation)),
    )


def risk_for_page(pk: int):
    """One risk with everything its page shows."""
    return (
        Risk.objects.with_baf()
        .prefetch_related("controls", "reviews__reviewed_by")
        .select_related("plan__organisation")
        .get(pk=pk)
    )


# ---------------------------------------------------------------------------------------------
# The Board Assurance Framework
# ---------------------------------------------------------------------------------------------


@dataclass
class PriorityGroup:
    priority: StrategicPriority | None  # None: principal risks linked to no priority of the plan
    rows: list[RiskRow]

    @property
    def heading(self) -> str:
        if self.priority is None:
            return "Risks not linked to a strategic priority of this plan"
        return str(self.priority)

    @property
    def anchor(self) -> str:
        return f"priority-{self.priority.number}" if self.priority else "priority-none"


@dataclass
class BoardAssurance:
    plan: Plan
    bands: scoring.Bands
    groups: list[PriorityGroup]
    rows: list[RiskRow]  # every principal risk once, worst current score first
    heat_map: scoring.HeatMap
    target_map: scoring.HeatMap

    @property
    def synthetic(self) -> bool:
        return any(r.risk.synthetic for r in self.rows)

    @property
    def unscored(self) -> int:
        return sum(1 for r in self.rows if not r.risk.is_scored)

    @property
    def overdue(self) -> int:
        return sum(1 for r in self.rows if r.overdue)


def _worst_first(row: RiskRow):
    current = row.current.score if row.current else -1
    return (-current, row.risk.reference, row.risk.pk)


def board_assurance(plan: Plan, today: dt.date | None = None) -> BoardAssurance:
    """The plan's BAF: the organisation's principal risks that are open or escalated, of this
    plan or of the whole organisation, grouped under the plan's strategic priorities they
    threaten (a risk threatening two priorities is under both)."""
    risks = (
        Risk.objects.filter(organisation_id=plan.organisation_id, is_principal=True)
        .live()
        .filter(Q(plan__isnull=True) | Q(plan=plan))
    )
    return _assurance(plan, risks, today or dt.date.today())


def plan_risk_assurance(plan: Plan, today: dt.date | None = None) -> BoardAssurance:
    """The plan PDF's risk appendix: every risk recorded against this plan or threatening one
    of its strategic priorities, principal or not, open or not, in the BAF's shape."""
    ids = Risk.objects.filter(Q(plan=plan) | Q(priorities__plan=plan)).values("pk")
    return _assurance(plan, Risk.objects.filter(pk__in=ids), today or dt.date.today())


def _assurance(plan: Plan, risks, today: dt.date) -> BoardAssurance:
    bands = bands_of(plan.organisation)
    risks = baf_rows(risks, bands)
    rows = sorted((_row(r, today) for r in risks), key=_worst_first)
    priorities = list(plan.strategic_priorities.all())
    by_priority: dict[int, list[RiskRow]] = {p.pk: [] for p in priorities}
    unlinked = []
    for row in rows:
        linked = [pk for pk in row.risk.baf_priority_ids if pk in by_priority]
        for pk in linked:
            by_priority[pk].append(row)
        if not linked:
            unlinked.append(row)
    groups = [PriorityGroup(p, by_priority[p.pk]) for p in priorities]
    if unlinked:
        groups.append(PriorityGroup(None, unlinked))
    return BoardAssurance(
        plan=plan,
        bands=bands,
        groups=groups,
        rows=rows,
        heat_map=scoring.heat_map(
            [(r.risk.current_likelihood, r.risk.current_consequence) for r in rows], bands
        ),
        target_map=scoring.heat_map(
            [(r.risk.target_likelihood, r.risk.target_consequence) for r in rows], bands
        ),
    )

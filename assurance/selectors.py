"""Reads for the register, a risk's page and the Board Assurance Framework, each in a fixed
number of queries whatever the number of risks (the pages' tests count them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse

from assurance import scoring
from assurance.models import Risk, RiskCategory, RiskReview, RiskStatus, bands_of
from objectives.models import Objective
from planning.models import Organisation, Person, Plan, Role, StrategicPriority


@dataclass(slots=True, eq=False)
class RiskLine:
    """A risk as the register and the BAF list it, read as plain values (risk_lines): those
    pages show hundreds of risks, and a model instance each, with its category, owner and
    actions, was most of their time (benchmarks/bench_assurance.py). It answers what a Risk
    answers, in the same words (tests/assurance/test_risk_lines.py compares the two)."""

    pk: int
    reference: str
    title: str
    status: str
    review_date: dt.date | None
    synthetic: bool
    gaps_in_control: str
    gaps_in_assurance: str
    inherent_likelihood: int | None
    inherent_consequence: int | None
    current_likelihood: int | None
    current_consequence: int | None
    target_likelihood: int | None
    target_consequence: int | None
    category: str | None  # the category's name
    appetite: int | None  # the category's
    owner: str  # as Risk.owner words it
    url: str
    inherent: scoring.Rating | None = None
    current: scoring.Rating | None = None
    target: scoring.Rating | None = None
    trend: scoring.Trend = scoring.Trend.NEW
    priority_ids: list[int] = field(default_factory=list)
    actions: list = field(default_factory=list)  # Objective rows, the plan's order

    def __str__(self) -> str:  # Risk.__str__
        return f"{self.reference} {self.title}" if self.reference else self.title

    def get_absolute_url(self) -> str:
        return self.url

    @property
    def is_scored(self) -> bool:
        return any((self.inherent, self.current, self.target))

    @property
    def within_appetite(self) -> bool | None:
        return scoring.within_appetite(self.current.score if self.current else None, self.appetite)

    def is_review_overdue(self, today: dt.date) -> bool:  # Risk.is_review_overdue
        return (
            self.status != RiskStatus.CLOSED
            and self.review_date is not None
            and self.review_date < today
        )


@dataclass
class RiskRow:
    risk: Risk | RiskLine
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


_LINE_FIELDS = (
    "pk",
    "reference",
    "title",
    "status",
    "review_date",
    "synthetic",
    "gaps_in_control",
    "gaps_in_assurance",
    "inherent_likelihood",
    "inherent_consequence",
    "current_likelihood",
    "current_consequence",
    "target_likelihood",
    "target_consequence",
    "category__name",
    "category__appetite",
    "owner_person_id",
    "owner_person__name",
    "owner_person__job_title",
    "owner_role__title",
    "owner_role__abbreviation",
)
_ACTION_FIELDS = ("id", "plan_id", "reference", "text", "rag", "status", "percent_complete")


def risk_lines(risks, bands: scoring.Bands) -> list[RiskLine]:
    """The risks of `risks` (a queryset) as RiskLines, each with its ratings on `bands`, its
    trend from its reviews, the ids of the priorities it threatens and its mitigating actions:
    five queries whatever the number (the risks with their category and owner joined; review
    scores, priority links and action links as values; the actions linked, once each)."""
    url = reverse("assurance:risk_detail", kwargs={"pk": 2147483647}).replace("2147483647", "{}")
    people: dict[int, str] = {}
    ratings: dict[tuple, scoring.Rating | None] = {}

    def rate(likelihood, consequence):  # at most 26 distinct ratings: made once each
        key = (likelihood, consequence)
        if key not in ratings:
            ratings[key] = scoring.rating(likelihood, consequence, bands)
        return ratings[key]

    lines: dict[int, RiskLine] = {}
    for row in risks.values_list(*_LINE_FIELDS):
        (pk, reference, title, status, review_date, synthetic, gaps_control, gaps_assurance,
         il, ic, cl, cc, tl, tc, category, appetite, person_id, person_name, job_title,
         role_title, role_abbreviation) = row  # fmt: skip
        names = []
        if person_id is not None:
            if person_id not in people:  # Person.__str__'s words, from the joined columns
                people[person_id] = str(Person(name=person_name, job_title=job_title))
            names.append(people[person_id])
        if role_title is not None:
            names.append(Role.name_for(role_title, role_abbreviation))
        lines[pk] = RiskLine(
            pk, reference, title, status, review_date, synthetic, gaps_control, gaps_assurance,
            il, ic, cl, cc, tl, tc, category, appetite, "; ".join(names), url.format(pk),
            inherent=rate(il, ic),
            current=rate(cl, cc),
            target=rate(tl, tc),
        )  # fmt: skip
    # Linked rows are read by a subquery of the same risks; a risk added between the queries
    # is not on this page, so its rows are skipped.
    chosen = risks.values("pk")
    scores: dict[int, list] = {pk: [] for pk in lines}
    reviews = (
        RiskReview.objects.filter(risk__in=chosen)
        .order_by("risk_id", "reviewed_on", "pk")
        .values_list("risk_id", "likelihood", "consequence")
    )
    for risk_id, likelihood, consequence in reviews:
        if risk_id in scores:
            scores[risk_id].append(scoring.score(likelihood, consequence))
    for pk, line in lines.items():
        line.trend = scoring.trend(scores[pk])
    priorities = Risk.priorities.through.objects.filter(risk__in=chosen).values_list(
        "risk_id", "strategicpriority_id"
    )
    for risk_id, priority_id in priorities:
        if risk_id in lines:
            lines[risk_id].priority_ids.append(priority_id)
    links = Risk.mitigating_actions.through.objects.filter(risk__in=chosen)
    pairs = list(links.values_list("risk_id", "objective_id"))
    # Each action once, however many risks it mitigates, in the plan's order.
    actions = {
        a.pk: a
        for a in Objective.objects.filter(pk__in=links.values("objective_id"))
        .only(*_ACTION_FIELDS)
        .order_by("plan", "order")
    }
    place = {pk: n for n, pk in enumerate(actions)}
    for risk_id, objective_id in sorted(pairs, key=lambda p: place.get(p[1], -1)):
        if risk_id in lines and objective_id in actions:
            lines[risk_id].actions.append(actions[objective_id])
    return list(lines.values())


def _line_row(line: RiskLine, today: dt.date) -> RiskRow:
    return RiskRow(
        risk=line, overdue=line.is_review_overdue(today), trend=line.trend, actions=line.actions
    )


def _row(risk: Risk, today: dt.date) -> RiskRow:
    """A risk's page: the model itself, its reviews and actions prefetched (risk_for_page)."""
    return RiskRow(
        risk=risk,
        overdue=risk.is_review_overdue(today),
        trend=risk.trend,
        actions=list(risk.mitigating_actions.all()),
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
    lines = risk_lines(Risk.objects.filter(organisation=organisation), bands)
    return Register(
        organisation=organisation,
        bands=bands,
        rows=[_line_row(line, today) for line in lines],
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
    lines = risk_lines(risks, bands)
    rows = sorted((_line_row(line, today) for line in lines), key=_worst_first)
    priorities = list(plan.strategic_priorities.all())
    by_priority: dict[int, list[RiskRow]] = {p.pk: [] for p in priorities}
    unlinked = []
    for row in rows:
        linked = [pk for pk in row.risk.priority_ids if pk in by_priority]
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

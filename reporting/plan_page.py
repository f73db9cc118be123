"""Reads that assemble what the planning pages show, in a fixed number of queries.

A plan page groups every objective of the plan, so the objectives are fetched once and grouped
here in Python: the number of queries never grows with the number of objectives.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import prefetch_related_objects
from django.utils.dateformat import format as format_date
from django.utils.safestring import SafeString

from objectives.models import Goal, Objective
from planning import narrative
from planning.models import OrgUnit, Plan, Programme, StrategicPriority

# Document-control dates are given to the month in the plans themselves ("January 2020").
DOCUMENT_DATE_FORMAT = "F Y"


@dataclass
class PriorityGroup:
    priority: StrategicPriority
    objectives: list[Objective] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"priority-{self.priority.number}"


@dataclass
class GoalGroup:
    goal: Goal | None  # None: items filed under the programme but under no goal
    programme_id: int | None
    objectives: list[Objective] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        if self.goal is not None:
            return f"goal-{self.goal.pk}"
        return f"programme-{self.programme_id or 'none'}-no-goal"


@dataclass
class ProgrammeGroup:
    programme: Programme | None  # None: goals that belong to no programme
    goals: list[GoalGroup] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"programme-{self.programme.number if self.programme else 'none'}"

    @property
    def lead(self) -> str:
        if self.programme is None:
            return ""
        if self.programme.lead_text:
            return self.programme.lead_text
        return str(self.programme.lead_role) if self.programme.lead_role_id else ""

    @property
    def summary_rows(self) -> list[dict[str, str]]:
        aim = self.programme.aim if self.programme else ""
        return [{"key": k, "value": v} for k, v in (("Aim", aim), ("Lead", self.lead)) if v]


@dataclass
class DepartmentGroup:
    org_unit: OrgUnit | None  # None: items with no department, programme or goal
    objectives: list[Objective] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"department-{self.org_unit.pk if self.org_unit else 'none'}"


@dataclass(frozen=True)
class NarrativeSection:
    anchor: str
    title: str
    html: SafeString  # planning.narrative.to_html: sanitised, the same markup as the PDF's


@dataclass
class PlanPage:
    plan: Plan
    document_control: list[dict[str, str]]
    sections: list[NarrativeSection]
    priorities: list[PriorityGroup]
    # Items linked to no strategic priority, by department or by programme and goal.
    departments: list[DepartmentGroup]
    programmes: list[ProgrammeGroup]
    # Objective id → its lead roles' names (shown for an item with no lead as written).
    lead_names: dict[int, list[str]] = field(default_factory=dict)

    @property
    def has_unlinked(self) -> bool:
        return bool(self.departments or self.programmes)


def document_control_rows(plan: Plan) -> list[dict[str, str]]:
    """The plan's document-control block as summary-list rows, leaving out blank entries."""
    rows = [
        ("Approved by", plan.approved_by),
        ("Date approved", plan.date_approved),
        ("Ratified by", plan.ratified_by),
        ("Date ratified", plan.date_ratified),
        ("Board minute reference", plan.board_minute_reference),
        ("Director sponsor", plan.director_sponsor),
        ("Author", plan.author),
        ("Date issued", plan.date_issued),
        ("Review date", plan.review_date),
        ("Target audience", plan.target_audience),
    ]
    return [{"key": key, "value": _document_value(value)} for key, value in rows if value]


def _document_value(value) -> str:
    return value if isinstance(value, str) else format_date(value, DOCUMENT_DATE_FORMAT)


def _unlinked_groups(objectives, programmes_by_id):
    """Departments and programme/goal groups, each in the plan's own order."""
    departments: dict[int | None, DepartmentGroup] = {}
    programmes: dict[int | None, ProgrammeGroup] = {}
    goal_groups: dict[tuple[int | None, int | None], GoalGroup] = {}
    for objective in objectives:
        if objective.org_unit_id or not (objective.goal_id or objective.programme_id):
            group = departments.get(objective.org_unit_id)
            if group is None:
                group = departments[objective.org_unit_id] = DepartmentGroup(objective.org_unit)
            group.objectives.append(objective)
            continue
        goal = objective.goal
        programme_id = objective.programme_id or (goal.programme_id if goal else None)
        programme_group = programmes.get(programme_id)
        if programme_group is None:
            programme_group = programmes[programme_id] = ProgrammeGroup(
                programmes_by_id.get(programme_id)
            )
        key = (programme_id, objective.goal_id)
        goal_group = goal_groups.get(key)
        if goal_group is None:
            goal_group = goal_groups[key] = GoalGroup(goal, programme_id)
            programme_group.goals.append(goal_group)
        goal_group.objectives.append(objective)

    def department_order(group):
        unit = group.org_unit
        return (unit is None, unit.order if unit else 0, unit.name if unit else "")

    def programme_order(group):
        programme = group.programme
        return (programme is None, programme.number if programme else 0)

    for group in programmes.values():
        group.goals.sort(key=lambda g: (g.goal is not None, g.goal.order if g.goal else 0))
    return (
        sorted(departments.values(), key=department_order),
        sorted(programmes.values(), key=programme_order),
    )


def plan_page(plan: Plan) -> PlanPage:
    """Everything the plan page shows. Expects `plan` from Plan.objects.with_structure()."""
    programmes = list(plan.programmes.all())
    # A programme's lead may be a role rather than text as written: one query for them all.
    prefetch_related_objects(programmes, "lead_role")
    programmes_by_id = {p.pk: p for p in programmes}

    priorities = {p.pk: PriorityGroup(p) for p in plan.strategic_priorities.all()}
    objectives = list(Objective.objects.for_plan(plan).for_plan_page())
    unlinked = []
    for objective in objectives:
        group = priorities.get(objective.strategic_priority_id)
        if group is None:
            unlinked.append(objective)
        else:
            group.objectives.append(objective)
    departments, programme_groups = _unlinked_groups(unlinked, programmes_by_id)
    return PlanPage(
        plan=plan,
        document_control=document_control_rows(plan),
        # Prefetched by with_structure(): no query per section.
        sections=[
            NarrativeSection(f"section-{s.pk}", s.title, narrative.to_html(s.body))
            for s in plan.sections.all()
            if s.body.strip()
        ],
        priorities=list(priorities.values()),
        departments=departments,
        programmes=programme_groups,
        lead_names=Objective.lead_role_names(plan),
    )

"""The plan's goals, objectives and actions, and milestones as content of a version
(planning.plan_content): registered from ObjectivesConfig.ready()."""

from __future__ import annotations

from django.db.models import Prefetch
from simple_history.utils import bulk_update_with_history

from kpis.models import KPI
from objectives.models import Goal, Milestone, Objective
from planning.plan_content import ContentKind, field_spec, register, with_labels


def _reference(objective: Objective) -> str:
    if objective.reference:
        return objective.reference
    text = objective.text if len(objective.text) <= 60 else objective.text[:57] + "…"
    return text


def _objectives(plan):
    return (
        Objective.objects.filter(plan_id=plan.pk)
        .select_related(
            "org_unit", "programme", "goal", "strategic_priority", "strategic_objective"
        )
        .prefetch_related(
            "sro_roles", "lead_roles", Prefetch("kpis", queryset=KPI.objects.only("pk", "code"))
        )
        .order_by("order", "pk")
    )


def _codes(objective: Objective) -> str:
    return ", ".join(sorted(kpi.code for kpi in objective.kpis.all()))


def _clear_new(plan, by) -> int:
    """Clear the NEW marks, each change in the item's history (who, and why)."""
    marked = list(Objective.objects.filter(plan_id=plan.pk, is_new=True))
    for item in marked:
        item.is_new = False
    bulk_update_with_history(
        marked,
        Objective,
        ["is_new"],
        default_user=by,
        default_change_reason="NEW mark cleared: a refresh started",
    )
    return len(marked)


OBJECTIVE_FIELDS = with_labels(
    Objective,
    field_spec(
        "text",
        "reference",
        "kind",
        "org_unit",
        "programme",
        "goal",
        "strategic_priority",
        "strategic_objective",
        "sro_text",
        "sro_roles",
        "lead_text",
        "lead_roles",
        "due_text",
        "due_date",
        "measure",
        "kpis",
        labels={
            "text": "Text",
            "org_unit": "Department",
            "strategic_priority": "Strategic priority",
            "sro_roles": "SRO roles",
            "lead_roles": "Lead roles",
            "kpis": "KPIs",
        },
        org_unit=lambda o: o.org_unit.name if o.org_unit_id else "",
        programme=lambda o: f"Programme {o.programme.number}" if o.programme_id else "",
        goal=lambda o: o.goal.title if o.goal_id else "",
        strategic_priority=lambda o: (
            f"SP{o.strategic_priority.number}" if o.strategic_priority_id else ""
        ),
        strategic_objective=lambda o: (
            f"Objective {o.strategic_objective.number}" if o.strategic_objective_id else ""
        ),
        kpis=_codes,
    ),
)


def register_content() -> None:
    register(
        ContentKind(
            key="goals",
            label="Goals",
            singular="goal",
            read=lambda plan: (
                Goal.objects.filter(plan_id=plan.pk)
                .select_related("programme")
                .order_by("order", "pk")
            ),
            fields=with_labels(
                Goal,
                field_spec(
                    "title",
                    "section",
                    "programme",
                    programme=lambda g: f"Programme {g.programme.number}" if g.programme_id else "",
                ),
            ),
            name=lambda goal: f"Goal {goal.order}",
            position=60,
        )
    )
    register(
        ContentKind(
            key="objectives",
            label="Objectives and actions",
            singular="objective or action",
            read=_objectives,
            fields=OBJECTIVE_FIELDS,
            name=_reference,
            position=70,
            clear_new=_clear_new,
        )
    )
    register(
        ContentKind(
            key="milestones",
            label="Milestones",
            singular="milestone",
            read=lambda plan: (
                Milestone.objects.filter(objective__plan_id=plan.pk)
                .select_related("objective")
                .order_by("objective__order", "objective_id", "order", "pk")
            ),
            # Completion is delivery, not content: not here.
            fields=with_labels(
                Milestone,
                field_spec("text", "lead_text", "due_text", "due_date", labels={"text": "Text"}),
            ),
            name=lambda m: f"{_reference(m.objective)}: milestone {m.order}",
            position=80,
        )
    )

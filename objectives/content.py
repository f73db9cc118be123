"""The plan's goals, objectives and actions, and milestones as content of a version
(planning.plan_content): registered from ObjectivesConfig.ready()."""

from __future__ import annotations

from django.db.models import Prefetch
from simple_history.utils import bulk_update_with_history

from kpis.models import KPI
from objectives.models import Goal, Milestone, Objective, ObjectiveKind
from planning.models import Role
from planning.plan_content import ContentKind, as_text, field_spec, register, with_labels


def _name(reference: str, text: str) -> str:
    """How a user knows an item: its reference, else the start of its text."""
    if reference:
        return reference
    return text if len(text) <= 60 else text[:57] + "…"


def _reference(objective: Objective) -> str:
    return _name(objective.reference, objective.text)


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


def _names(pairs) -> dict[int, str]:
    """{objective id: its linked records' names, sorted and joined}, from (id, name) pairs."""
    found: dict[int, list[str]] = {}
    for objective_id, name in pairs:
        found.setdefault(objective_id, []).append(name)
    return {key: ", ".join(sorted(names)) for key, names in found.items()}


def _objective_items(plan) -> list[dict]:
    """The snapshot items of the plan's objectives, read as values: four queries, and no model
    instance per row (a 2,000-item plan is compared within the page's time)."""
    through = Objective.sro_roles.through.objects.filter(objective__plan_id=plan.pk)
    sro = _names(
        (o, Role.name_for(t, a))
        for o, t, a in through.values_list("objective_id", "role__title", "role__abbreviation")
    )
    through = Objective.lead_roles.through.objects.filter(objective__plan_id=plan.pk)
    leads = _names(
        (o, Role.name_for(t, a))
        for o, t, a in through.values_list("objective_id", "role__title", "role__abbreviation")
    )
    kpis = _names(
        Objective.kpis.through.objects.filter(objective__plan_id=plan.pk).values_list(
            "objective_id", "kpi__code"
        )
    )
    kinds = dict(ObjectiveKind.choices)
    rows = (
        Objective.objects.filter(plan_id=plan.pk)
        .order_by("order", "pk")
        .values_list(
            "pk",
            "reference",
            "text",
            "kind",
            "org_unit__name",
            "programme__number",
            "goal__title",
            "strategic_priority__number",
            "strategic_objective__number",
            "sro_text",
            "lead_text",
            "due_text",
            "due_date",
            "measure",
        )
    )
    items = []
    for (
        pk,
        reference,
        text,
        kind,
        unit,
        programme,
        goal,
        priority,
        short_term,
        sro_text,
        lead_text,
        due_text,
        due_date,
        measure,
    ) in rows:
        values = {
            "text": text.strip(),
            "reference": reference.strip(),
            "kind": kinds.get(kind, kind),
            "org_unit": unit or "",
            "programme": f"Programme {programme}" if programme is not None else "",
            "goal": goal or "",
            "strategic_priority": f"SP{priority}" if priority is not None else "",
            "strategic_objective": f"Objective {short_term}" if short_term is not None else "",
            "sro_text": sro_text.strip(),
            "sro_roles": sro.get(pk, ""),
            "lead_text": lead_text.strip(),
            "lead_roles": leads.get(pk, ""),
            "due_text": due_text.strip(),
            "due_date": as_text(due_date),
            "measure": measure.strip(),
            "kpis": kpis.get(pk, ""),
        }
        items.append({"id": pk, "name": _name(reference, text), "values": values})
    return items


def _milestone_items(plan) -> list[dict]:
    rows = (
        Milestone.objects.filter(objective__plan_id=plan.pk)
        .order_by("objective__order", "objective_id", "order", "pk")
        .values_list(
            "pk",
            "order",
            "text",
            "lead_text",
            "due_text",
            "due_date",
            "objective__reference",
            "objective__text",
        )
    )
    return [
        {
            "id": pk,
            "name": f"{_name(reference, objective_text)}: milestone {order}",
            "values": {
                "text": text.strip(),
                "lead_text": lead_text.strip(),
                "due_text": due_text.strip(),
                "due_date": as_text(due_date),
            },
        }
        for pk, order, text, lead_text, due_text, due_date, reference, objective_text in rows
    ]


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
            items=_objective_items,
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
            items=_milestone_items,
        )
    )

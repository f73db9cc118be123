"""The objectives app's carrier for a roll forward (planning.rollforward).

Carried: every OPEN objective and action (ProgressStatus: not complete, not cancelled), keeping
its reference and wording, pointing back at its predecessor (`carried_from`), with its open
milestones, its roles and KPI links, and the goals its items sit under. Left behind: closed
items (completed or cancelled), which belong to the year that closed them.

The copy keeps the item's status and percentage (the work is as far along as it was) but not
its RAG or latest update: those are ratings of last year's quarters, shown on the new item's
page as its predecessor's. It is not marked NEW: it is last year's item, carried.
"""

from __future__ import annotations

from kpis.models import KPI
from objectives.models import Goal, Milestone, Objective, ProgressStatus
from planning import rollforward
from planning.models import Plan, Programme, StrategicObjective, StrategicPriority


def _items(plan: Plan) -> list[Objective]:
    return list(
        Objective.objects.filter(plan=plan).select_related("org_unit").order_by("order", "pk")
    )


def _row(item: Objective) -> rollforward.PreviewRow:
    return rollforward.PreviewRow(
        text=item.text,
        reference=item.reference,
        url=item.get_absolute_url(),
        rag=item.rag or None,
        status=item.get_status_display(),
    )


def preview(source: Plan) -> list[rollforward.PreviewGroup]:
    """Two queries: the items, and the open milestones of the open ones."""
    items = _items(source)
    open_items = [i for i in items if not i.is_closed]
    milestones = (
        Milestone.objects.filter(objective__plan=source, completed_on__isnull=True)
        .exclude(objective__status__in=ProgressStatus.closed_values())
        .count()
    )
    return [
        rollforward.PreviewGroup(
            key="objectives",
            title="Objectives and actions",
            carried=[_row(i) for i in open_items],
            not_carried=[_row(i) for i in items if i.is_closed],
            rated=True,
            note=f"Open milestones carried with them: {milestones}. Completed milestones and "
            "closed items (completed or cancelled) stay in this year's plan.",
        )
    ]


def carry(context: rollforward.CarryContext) -> None:
    source = context.source
    items = [i for i in _items(source) if not i.is_closed]
    carried_goal_ids = {i.goal_id for i in items if i.goal_id}
    goals = Goal.objects.filter(plan=source).order_by("order")
    # A goal is carried with its open items; one that held nothing at all is carried too.
    used = set(
        Objective.objects.filter(plan=source, goal__isnull=False).values_list("goal_id", flat=True)
    )
    goal_names = rollforward.copy_fields(Goal)
    context.create(
        Goal,
        [
            (
                g.pk,
                rollforward.copy_of(
                    Goal,
                    g,
                    goal_names,
                    plan_id=context.target.pk,
                    programme_id=context.new_id(Programme, g.programme_id),
                ),
            )
            for g in goals
            if g.pk in carried_goal_ids or g.pk not in used
        ],
    )

    names = rollforward.copy_fields(Objective, skip=("latest_update", "carried_from"))
    context.create(
        Objective,
        [
            (
                i.pk,
                rollforward.copy_of(
                    Objective,
                    i,
                    names,
                    plan_id=context.target.pk,
                    programme_id=context.new_id(Programme, i.programme_id),
                    goal_id=context.new_id(Goal, i.goal_id),
                    strategic_priority_id=context.new_id(
                        StrategicPriority, i.strategic_priority_id
                    ),
                    strategic_objective_id=context.new_id(
                        StrategicObjective, i.strategic_objective_id
                    ),
                    carried_from_id=i.pk,
                    latest_update_id=None,
                    rag="",
                    is_new=False,
                ),
            )
            for i in items
        ],
    )
    new_ids = context.mapping(Objective)

    # Roles and KPI links: one read and one write per relation.
    kpi_ids = context.mapping(KPI)
    for relation, other, mapped in (
        ("sro_roles", "role_id", None),
        ("lead_roles", "role_id", None),
        ("kpis", "kpi_id", kpi_ids),
    ):
        through = getattr(Objective, relation).through
        # By plan, not by a list of thousands of ids; the closed items' rows are skipped.
        rows = through.objects.filter(objective__plan=source).values_list("objective_id", other)
        links = []
        for old_item, target in rows:
            if old_item not in new_ids:
                continue
            if mapped is not None:
                target = mapped.get(target)
                if target is None:
                    continue
            links.append(through(objective_id=new_ids[old_item], **{other: target}))
        through.objects.bulk_create(links, batch_size=1000)

    milestone_names = rollforward.copy_fields(Milestone)
    context.create(
        Milestone,
        [
            (
                m.pk,
                rollforward.copy_of(
                    Milestone, m, milestone_names, objective_id=new_ids[m.objective_id]
                ),
            )
            for m in Milestone.objects.filter(
                objective__plan=source, completed_on__isnull=True
            ).order_by("objective_id", "order")
            if m.objective_id in new_ids
        ],
    )


def register() -> None:
    rollforward.register(
        rollforward.Carrier(key="objectives", position=20, preview=preview, carry=carry)
    )

"""Planning's own carrier for a roll forward (planning.rollforward): the plan's structure and
narrative are carried whole, as the starting draft of next year's plan. It runs first, so the
other apps' carriers can point their copies at the new priorities, objectives and programmes."""

from __future__ import annotations

from planning import rollforward
from planning.models import (
    Plan,
    PlanSection,
    Programme,
    StrategicObjective,
    StrategicPriority,
    Value,
    VisionBullet,
)

# (model, its rows' related name on the plan, what the preview calls them, how a row reads)
CARRIED = (
    (StrategicPriority, "strategic_priorities", "Strategic priorities", str),
    (StrategicObjective, "strategic_objectives", "Short/medium-term objectives", str),
    (Programme, "programmes", "Programmes and domains", str),
    (VisionBullet, "vision_bullets", "Vision", str),
    (Value, "values", "Values", str),
    (PlanSection, "sections", "Narrative sections (a starting draft)", lambda s: s.title),
)


def preview(source: Plan) -> list[rollforward.PreviewGroup]:
    """One query per kind of record."""
    groups = []
    for model, related, title, words in CARRIED:
        rows = list(getattr(source, related).order_by(*model._meta.ordering))
        groups.append(
            rollforward.PreviewGroup(
                key=model._meta.model_name,
                title=title,
                carried=[rollforward.PreviewRow(text=words(row)) for row in rows],
            )
        )
    return groups


def carry(context: rollforward.CarryContext) -> None:
    """Every row of each kind, in bulk: one read and one or two writes per kind."""
    for model, related, _title, _words in CARRIED:
        rollforward.carry_all(
            context, model, getattr(context.source, related).order_by(*model._meta.ordering)
        )


def register() -> None:
    rollforward.register(
        rollforward.Carrier(key="planning", position=0, preview=preview, carry=carry)
    )

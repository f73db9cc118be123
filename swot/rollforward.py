"""The SWOT and PESTEL carrier for a roll forward (planning.rollforward): last year's analysis
is next year's starting point, carried whole for the planner to revise."""

from __future__ import annotations

from planning import rollforward
from planning.models import Plan
from swot.models import PestelDriver, SwotItem

CARRIED = ((SwotItem, "SWOT analysis"), (PestelDriver, "PESTEL drivers"))


def preview(source: Plan) -> list[rollforward.PreviewGroup]:
    return [
        rollforward.PreviewGroup(
            key=model._meta.model_name,
            title=title,
            carried=[
                rollforward.PreviewRow(text=str(row))
                for row in model.objects.filter(plan=source).order_by(*model._meta.ordering)
            ],
        )
        for model, title in CARRIED
    ]


def carry(context: rollforward.CarryContext) -> None:
    for model, _title in CARRIED:
        rollforward.carry_all(context, model, model.objects.filter(plan=context.source))


def register() -> None:
    rollforward.register(rollforward.Carrier(key="swot", position=40, preview=preview, carry=carry))

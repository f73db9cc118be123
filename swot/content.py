"""The plan's SWOT items and PESTEL drivers as content of a version (planning.plan_content):
registered from SwotConfig.ready()."""

from __future__ import annotations

from planning.plan_content import ContentKind, field_spec, register, with_labels
from swot.models import PestelDriver, SwotItem


def register_content() -> None:
    register(
        ContentKind(
            key="swot",
            label="SWOT analysis",
            singular="SWOT item",
            read=lambda plan: SwotItem.objects.filter(plan_id=plan.pk).order_by(
                "quadrant", "order", "pk"
            ),
            fields=with_labels(SwotItem, field_spec("text", "quadrant", labels={"text": "Text"})),
            name=lambda item: f"{item.get_quadrant_display()} {item.order}",
            position=110,
        )
    )
    register(
        ContentKind(
            key="pestel",
            label="PESTEL drivers",
            singular="PESTEL driver",
            read=lambda plan: PestelDriver.objects.filter(plan_id=plan.pk).order_by(
                "category", "order", "pk"
            ),
            fields=with_labels(
                PestelDriver, field_spec("text", "category", labels={"text": "Text"})
            ),
            name=lambda item: f"{item.get_category_display()} {item.order}",
            position=111,
        )
    )

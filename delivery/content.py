"""A delivery plan's items and figures by year as content of a version (planning.plan_content):
registered from DeliveryConfig.ready(), so that comparing two versions of a partnership's plan,
and the plan PDF's "changes since the previous version", show what changed in its programmes,
workstreams, interventions and milestones (a workbook imported as the next version, issue 13,
changes exactly these). Progress (status, RAG, updates) is delivery, not content, as for
objectives: versions share it."""

from __future__ import annotations

from delivery.models import DeliveryItem, YearFigure
from planning.plan_content import ContentKind, field_spec, register, with_labels


def _reference(item: DeliveryItem | None) -> str:
    return item.reference if item is not None else ""


def _figure_name(figure: YearFigure) -> str:
    """Which figure, without its amounts (those are what a comparison shows changing)."""
    year = (
        f"{figure.financial_year}/{(figure.financial_year + 1) % 100:02d}"
        if figure.financial_year
        else "year not stated"
    )
    return f"{figure.item.reference} {figure.get_measure_display()} {year}"


def register_content() -> None:
    register(
        ContentKind(
            key="delivery_items",
            label="Delivery items",
            singular="delivery item",
            read=lambda plan: (
                DeliveryItem.objects.filter(plan_id=plan.pk)
                .select_related("parent", "sro_person")
                .prefetch_related("lead_roles", "lead_people", "organisations")
                .order_by("order", "pk")
            ),
            fields=with_labels(
                DeliveryItem,
                field_spec(
                    "title",
                    "level",
                    "level_label",
                    "parent",
                    "description",
                    "case_for_change",
                    "scope",
                    "outcomes",
                    "sro_text",
                    "sro_person",
                    "lead_text",
                    "lead_roles",
                    "lead_people",
                    "organisations",
                    "place",
                    "timescale_text",
                    "start_date",
                    "due_date",
                    "due_date_latest",
                    labels={"parent": "Part of"},
                    parent=lambda item: _reference(item.parent),
                ),
            ),
            name=lambda item: item.reference,
            position=200,
        )
    )
    register(
        ContentKind(
            key="delivery_figures",
            label="Money and people by year",
            singular="figure",
            read=lambda plan: (
                YearFigure.objects.filter(item__plan_id=plan.pk)
                .select_related("item")
                .order_by("item__order", "item_id", "order", "pk")
            ),
            fields=with_labels(
                YearFigure,
                field_spec(
                    "measure", "financial_year", "low", "high", "confidence", "recurring", "note"
                ),
            ),
            name=_figure_name,
            position=201,
            summary="low",
        )
    )

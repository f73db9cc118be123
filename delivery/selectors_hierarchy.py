"""Reads of the delivery hierarchy, each a fixed number of queries whatever the plan's size:
the tree of a plan, one item's page, and the figures behind the benefits page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from delivery import ranges
from delivery.models import DeliveryItem, DeliveryUpdate, Level, Measure, YearFigure
from planning import permissions
from planning.models import Plan
from planning.permissions import Action


def _with_people(queryset):
    return queryset.select_related("sro_person", "latest_update").prefetch_related(
        "lead_roles", "lead_people", "organisations"
    )


@dataclass
class Node:
    item: DeliveryItem
    children: list[Node] = field(default_factory=list)

    @property
    def level(self) -> Level:
        return Level(self.item.level)


def tree(plan: Plan) -> list[Node]:
    """The plan's programmes, each with its workstreams, interventions and milestones, in
    their order: one query for the items and one for each of their many-to-many lists."""
    items = list(_with_people(DeliveryItem.objects.filter(plan=plan)).order_by("order", "pk"))
    nodes = {item.pk: Node(item) for item in items}
    roots = []
    for item in items:
        node = nodes[item.pk]
        if item.parent_id is None or item.parent_id not in nodes:
            roots.append(node)
        else:
            nodes[item.parent_id].children.append(node)
    return roots


def item_for_page(user, pk: int) -> DeliveryItem:
    """The item with what its page shows (404 unless the user may view its plan)."""
    item = get_object_or_404(
        _with_people(
            DeliveryItem.objects.filter(
                plan__organisation__in=permissions.organisations_where(user, Action.VIEW)
            )
        )
        .select_related(
            "plan",
            "plan__organisation",
            "parent",
            "parent__parent",
            "parent__parent__parent",
        )
        .prefetch_related(
            Prefetch(
                "children",
                queryset=DeliveryItem.objects.select_related("latest_update").order_by(
                    "order", "pk"
                ),
            ),
            Prefetch(
                "updates",
                queryset=DeliveryUpdate.objects.select_related("created_by").order_by(
                    "-as_at", "-created_at", "-pk"
                ),
            ),
            Prefetch("figures", queryset=YearFigure.objects.order_by("measure", "financial_year")),
        ),
        pk=pk,
    )
    return item


def ancestors(item: DeliveryItem) -> list[DeliveryItem]:
    """Programme first, down to the item's parent (selected with the item: no query)."""
    found = []
    parent = item.parent
    while parent is not None:
        found.append(parent)
        parent = parent.parent if "parent" in parent._state.fields_cache else None
    return list(reversed(found))


# --- figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureRow:
    """One figure as the item page lists it, printed."""

    figure: YearFigure
    amount: str


def figure_rows(item: DeliveryItem) -> list[FigureRow]:
    return [
        FigureRow(
            f, ranges.format_range(ranges.Range(f.low, f.high), is_money=_is_money(f.measure))
        )
        for f in item.figures.all()
    ]


def _is_money(measure: str) -> bool:
    return Measure(measure).is_money


@dataclass(frozen=True)
class Table:
    """A benefits table: one measure, its rows (years or programmes), their total."""

    measure: Measure
    rows: list[ranges.Row]
    total: ranges.Row
    confidences: list[str]


def benefits(plan: Plan) -> dict:
    """The plan's figures by year and by programme, per measure and per confidence (two
    queries: the items, the figures)."""
    items = {
        i.pk: i
        for i in DeliveryItem.objects.filter(plan=plan)
        .only("pk", "parent_id", "reference", "title", "level", "order")
        .order_by("order", "pk")
    }

    def programme_of(pk: int) -> int:
        item = items[pk]
        while item.parent_id is not None and item.parent_id in items:
            item = items[item.parent_id]
        return item.pk

    figures = [
        ranges.Figure(
            measure=f.measure,
            year=f.financial_year,
            amount=ranges.Range(f.low, f.high),
            confidence=f.confidence,
            group=programme_of(f.item_id),
            recurring=f.recurring,
        )
        for f in YearFigure.objects.filter(item__plan=plan).only(
            "item_id", "measure", "financial_year", "low", "high", "confidence", "recurring"
        )
    ]
    programmes = [i for i in items.values() if i.parent_id is None]
    by_measure = defaultdict(list)
    for figure in figures:
        by_measure[figure.measure].append(figure)
    measures = [m for m in Measure if m.value in by_measure]
    by_year, by_programme, planned = [], [], []
    for measure in measures:
        found = by_measure[measure.value]
        used = [c for c in ranges.CONFIDENCES if any(f.confidence == c for f in found)]
        rows = ranges.totals_by_year(found, measure.value)
        by_year.append(Table(measure, rows, ranges.grand_total(rows), used))
        rows = ranges.totals_by_group(found, measure.value, [p.pk for p in programmes])
        by_programme.append(Table(measure, rows, ranges.grand_total(rows), used))
        planned.append((measure, ranges.planned_against_delivered(found, measure.value)))
    return {
        "by_year": by_year,
        "by_programme": by_programme,
        "planned": planned,
        "programmes": {p.pk: p for p in programmes},
        "has_figures": bool(figures),
    }

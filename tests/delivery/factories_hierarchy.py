"""Factories of the delivery hierarchy (issue 15, delivery-hierarchy): items at each level,
their progress updates and year figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from delivery.models import DeliveryItem, DeliveryUpdate, Level, YearFigure
from tests.factories import PlanFactory


class DeliveryItemFactory(factory.django.DjangoModelFactory):
    """A programme unless given a parent (then the level under the parent's)."""

    class Meta:
        model = DeliveryItem
        skip_postgeneration_save = True

    plan = factory.LazyAttribute(lambda o: o.parent.plan if o.parent else PlanFactory())
    parent = None
    level = factory.LazyAttribute(
        lambda o: (
            next(lv for lv in Level if lv.parent_level == o.parent.level)
            if o.parent
            else Level.PROGRAMME
        )
    )
    reference = factory.Sequence(lambda n: f"D{n}")
    title = factory.Sequence(lambda n: f"Delivery item {n}")


class DeliveryUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryUpdate

    item = factory.SubFactory(DeliveryItemFactory)
    as_at = factory.LazyAttribute(lambda o: dt.date(o.item.plan.start_year, 9, 30))
    status = "in_progress"
    rag = "green"
    progress = "On track"


class YearFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YearFigure

    item = factory.SubFactory(DeliveryItemFactory)
    measure = "gross_savings"
    financial_year = factory.LazyAttribute(lambda o: o.item.plan.start_year)
    low = Decimal("100000")
    high = Decimal("200000")
    confidence = "estimate"


def tree_of(plan, *, programmes: int = 1, width: int = 2) -> list[DeliveryItem]:
    """Programmes each with `width` workstreams, interventions and milestones under each."""
    made = []
    for _ in range(programmes):
        programme = DeliveryItemFactory(plan=plan)
        made.append(programme)
        for _ in range(width):
            workstream = DeliveryItemFactory(parent=programme)
            made.append(workstream)
            for _ in range(width):
                intervention = DeliveryItemFactory(parent=workstream)
                made.append(intervention)
                for _ in range(width):
                    made.append(DeliveryItemFactory(parent=intervention))
    return made

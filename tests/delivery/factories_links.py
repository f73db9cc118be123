"""Factories for the delivery links tests (dependencies, lineage, governance). The item
factory builds a programme unless given a parent, so the tree's constraint holds."""

from __future__ import annotations

import datetime as dt

import factory

from delivery.models import (
    Decision,
    DeliveryItem,
    Dependency,
    GovernanceBody,
    Level,
    Lineage,
)
from tests.factories import OrganisationFactory, PlanFactory


class DeliveryItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryItem

    plan = factory.SubFactory(PlanFactory)
    level = factory.LazyAttribute(
        lambda o: Level.PROGRAMME if o.parent is None else _child_level(o.parent.level)
    )
    parent = None
    reference = factory.Sequence(lambda n: f"P{n}")
    title = factory.Sequence(lambda n: f"Delivery item {n}")
    order = factory.Sequence(int)


def _child_level(level: str) -> str:
    levels = list(Level)
    return levels[min(levels.index(Level(level)) + 1, len(levels) - 1)]


class DependencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dependency

    item = factory.SubFactory(DeliveryItemFactory)
    kind = "needs"
    on_item = factory.SubFactory(DeliveryItemFactory, plan=factory.SelfAttribute("..item.plan"))
    external = ""
    status = "open"


class LineageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lineage

    item = factory.SubFactory(DeliveryItemFactory)
    kind = "merged_into"
    other = factory.SubFactory(DeliveryItemFactory, plan=factory.SelfAttribute("..item.plan"))
    reason = "Two workstreams doing the same thing"
    date = dt.date(2009, 6, 1)


class GovernanceBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GovernanceBody

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Programme Board {n}")
    kind = "programme_board"


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    body = factory.SubFactory(GovernanceBodyFactory)
    date = dt.date(2009, 7, 14)
    decision = "Merge the two programme boards into one"


def add_links_no_500_records(world) -> None:
    """The records the delivery links forms of tests/test_no_500.py work on, on its World; and
    another organisation's item, body and risk among the ids the tampering tries."""
    from tests.factories import RiskFactory

    world.links_item = DeliveryItemFactory(plan=world.plan, reference="CP1")
    world.links_other = DeliveryItemFactory(plan=world.plan, reference="CP2")
    world.links_third = DeliveryItemFactory(plan=world.plan, reference="CP3")
    world.links_dependency = DependencyFactory(item=world.links_other, on_item=world.links_item)
    world.links_lineage = LineageFactory(item=world.links_other, other=world.links_item)
    world.links_body = GovernanceBodyFactory(organisation=world.organisation)
    world.links_spare_body = GovernanceBodyFactory(organisation=world.organisation)
    world.links_decision = DecisionFactory(body=world.links_body)
    foreign_item = DeliveryItemFactory()
    world.foreign_ids += [
        foreign_item.pk,
        GovernanceBodyFactory(organisation=foreign_item.plan.organisation).pk,
        RiskFactory(organisation=foreign_item.plan.organisation).pk,
    ]

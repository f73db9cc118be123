"""A small organisation whose people lead items of a 2006/07 plan, for the notices' tests."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

from planning.models import Person
from tests.factories import (
    KPIFactory,
    MembershipFactory,
    ObjectiveFactory,
    OrganisationFactory,
    OrgUnitFactory,
    PlanFactory,
    ProgressUpdateFactory,
    RoleFactory,
    UserFactory,
)

LONDON = ZoneInfo("Europe/London")


def at(year, month, day, hour=7):
    """Move the clock to a morning in London (the daily run's time)."""
    return time_machine.travel(dt.datetime(year, month, day, hour, tzinfo=LONDON), tick=False)


def member(organisation, role, **user):
    account = UserFactory(**user)
    membership = MembershipFactory(user=account, organisation=organisation, role=role)
    return account, membership


@pytest.fixture
def office(db, settings):
    settings.SITE_URL = "https://waymark.example.nhs.uk"
    organisation = OrganisationFactory(name="Sheffield Shared Services", short_name="SSP")
    plan = PlanFactory(organisation=organisation, title="Business Plan")
    estates = OrgUnitFactory(organisation=organisation, name="Estates")
    director = RoleFactory(
        organisation=organisation, title="Director of Finance", abbreviation="DoF"
    )
    lead, lead_membership = member(organisation, "contributor", first_name="Lena", last_name="Lead")
    lead_membership.org_units.add(estates)
    gone, gone_membership = member(organisation, "contributor", is_active=False)
    gone_membership.org_units.add(estates)
    owner, _ = member(organisation, "contributor", first_name="Omar", last_name="Owner")
    person = Person.objects.create(organisation=organisation, name="Omar Owner", user=owner)
    person.roles.add(director)
    planner, _ = member(organisation, "planner", first_name="Pat", last_name="Planner")
    viewer, _ = member(organisation, "viewer", first_name="Bea", last_name="Board")
    not_updated = ObjectiveFactory(
        plan=plan, org_unit=estates, reference="1.1", text="Move the depot"
    )
    updated = ObjectiveFactory(plan=plan, org_unit=estates, reference="1.2", text="Paint the hall")
    ProgressUpdateFactory(objective=updated, financial_year=2006, quarter=1)
    closed = ObjectiveFactory(
        plan=plan, org_unit=estates, reference="1.3", text="Sell the annexe", status="completed"
    )
    past_due = ObjectiveFactory(
        plan=plan,
        reference="2.1",
        text="Agree the budget",
        due_date=dt.date(2006, 6, 30),
        rag="red",
    )
    past_due.lead_roles.add(director)
    kpi = KPIFactory(
        plan=plan,
        code="F1",
        name="Invoices paid in 30 days",
        owner_role=director,
        frequency="quarterly",
    )
    return SimpleNamespace(
        organisation=organisation,
        plan=plan,
        estates=estates,
        director=director,
        lead=lead,
        gone=gone,
        owner=owner,
        planner=planner,
        viewer=viewer,
        not_updated=not_updated,
        updated=updated,
        closed=closed,
        past_due=past_due,
        kpi=kpi,
    )

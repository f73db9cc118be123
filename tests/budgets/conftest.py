"""Fixtures for the budget tests: the SSP demo plan, partner users and small budgets."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgets.models import ExpenditureLine, IncomeLine, ServiceLine
from planning.models import ClientRelationship, Plan
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def ssp_plan(db) -> Plan:
    """SSP's 2006/07 plan, loaded by the demo loader (its budget line by line as printed)."""
    from demo import ssp

    plan, _ = ssp.load()
    return Plan.objects.select_related("organisation").get(pk=plan.pk)


def member_of(organisation, role="viewer"):
    user = UserFactory()
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def croydon_user(ssp_plan):
    from planning.models import Organisation

    return member_of(Organisation.objects.get(slug="croydon-pct"))


@pytest.fixture
def kingston_user(ssp_plan):
    from planning.models import Organisation

    return member_of(Organisation.objects.get(slug="kingston-pct"))


@pytest.fixture
def ssp_planner(ssp_plan):
    return member_of(ssp_plan.organisation, "planner")


@pytest.fixture
def ssp_viewer(ssp_plan):
    return member_of(ssp_plan.organisation, "viewer")


class Budget:
    """A small budget for `plan` (2006/07): n partners × 2 service lines, 2n expenditure lines."""

    def __init__(self, plan, partners: int = 2, year: int = 2006):
        self.plan = plan
        self.year = year
        self.service_lines = [
            ServiceLine.objects.get_or_create(plan=plan, name=name, defaults={"order": n})[0]
            for n, name in enumerate(["Estates", "Finance"], start=1)
        ]
        self.partners = []
        self.add(partners)

    def add(self, partners: int):
        start = len(self.partners)
        income, expenditure = [], []
        for n in range(start, start + partners):
            org = OrganisationFactory(name=f"Partner Trust {n}", short_name=f"Partner {n}")
            ClientRelationship.objects.create(
                provider=self.plan.organisation, client=org, kind="partner", order=n
            )
            self.partners.append(org)
            for line in self.service_lines:
                income.append(
                    IncomeLine(
                        plan=self.plan,
                        financial_year=self.year,
                        funder=org,
                        funder_label=org.short_name,
                        funder_order=n + 1,
                        service_line=line,
                        amount=Decimal(1000 * (n + 1)),
                    )
                )
            for k in range(2):
                expenditure.append(
                    ExpenditureLine(
                        plan=self.plan,
                        financial_year=self.year,
                        manager=f"Manager {n % 3}",
                        description=f"Line {n}-{k}",
                        amount=Decimal(500 * (k + 1)),
                        order=2 * n + k,
                    )
                )
        IncomeLine.objects.bulk_create(income)
        ExpenditureLine.objects.bulk_create(expenditure)
        return self


@pytest.fixture
def budget(plan):
    return Budget(plan)

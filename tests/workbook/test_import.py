"""Importing a workbook written by hand (not by the export), holding every record kind."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from budgets.models import (
    BudgetSettings,
    ExpenditureLine,
    IncomeLine,
    MonthlyActual,
    PrintedTotal,
    SavingsScheme,
    SavingsTarget,
    ServiceLine,
)
from kpis.models import KPI, KPITarget, Measurement
from objectives.models import Goal, Milestone, Objective, ProgressUpdate
from planning.models import (
    OrgUnit,
    Person,
    PlanSection,
    PlanStatus,
    Programme,
    Role,
    StrategicObjective,
    StrategicPriority,
    Value,
    VisionBullet,
)
from swot.models import PestelDriver, SwotItem
from tests.factories import OrgUnitFactory, PlanFactory, RoleFactory
from tests.workbook.handmade import SHEETS, workbook_bytes
from workbook.importing import import_workbook
from workbook.sheets import registered


@pytest.mark.django_db
class TestHandMadeWorkbook:
    def test_the_hand_made_workbook_has_every_registered_sheet(self):
        assert set(SHEETS) == {spec.name for spec in registered()}

    def test_every_record_kind_is_imported(self, organisation):
        loader = import_workbook("estates.xlsx", workbook_bytes(), organisation)
        assert [str(p) for p in loader.problems] == []
        plan = loader.plan
        assert plan.organisation == organisation
        assert plan.status == PlanStatus.DRAFT
        assert (plan.title, plan.start_year, plan.end_year) == ("Estates Plan", 2024, 2025)
        assert plan.date_approved == dt.date(2024, 3, 28)
        assert plan.slug == "estates-plan-2024-26"
        settings = BudgetSettings.objects.get(plan=plan)
        assert (settings.amber_at_percent, settings.red_at_percent) == (3, 6)
        assert list(PlanSection.objects.filter(plan=plan).values_list("title", flat=True)) == [
            "Introduction",
            "Conclusion",
        ]
        assert VisionBullet.objects.filter(plan=plan).count() == 1
        assert Value.objects.filter(plan=plan).count() == 2
        assert StrategicPriority.objects.get(plan=plan, number=2).title == "People"
        assert StrategicObjective.objects.get(plan=plan).number == 1
        estates = OrgUnit.objects.get(organisation=organisation, name="Estates")
        assert estates.parent.name == "Estates and Facilities"
        doe = Role.objects.get(organisation=organisation, abbreviation="DoE")
        energy = Role.objects.get(organisation=organisation, title="Energy Manager")
        pat = Person.objects.get(organisation=organisation, name="Pat Jones")
        assert list(pat.roles.all()) == [doe]
        assert pat.user is None  # a role holder, never a user
        assert Programme.objects.get(plan=plan).lead_role == doe
        goal = Goal.objects.get(plan=plan)
        assert goal.programme.number == 1
        kpi = KPI.objects.get(plan=plan, code="P1")
        assert (kpi.perspective, kpi.polarity, kpi.owner_role) == ("P", "lower", energy)
        assert KPITarget.objects.get(kpi=kpi).target == Decimal("1000")
        assert list(Measurement.objects.filter(kpi=kpi).values_list("period_start", "value")) == [
            (dt.date(2024, 4, 1), Decimal("1100.5")),
            (dt.date(2024, 7, 1), Decimal("1020")),
        ]
        boilers = Objective.objects.get(plan=plan, reference="EST-1")
        assert boilers.org_unit == estates
        assert boilers.strategic_priority.number == 1
        assert list(boilers.kpis.all()) == [kpi]
        assert list(boilers.sro_roles.all()) == [doe]
        assert boilers.is_new
        # The latest update (by Reported at) is the item's current progress.
        assert (boilers.status, boilers.rag, boilers.percent_complete) == (
            "in_progress",
            "amber",
            40,
        )
        lighting = Objective.objects.get(plan=plan, reference="1.1")
        assert (lighting.goal, lighting.programme.number) == (goal, 1)
        assert set(lighting.lead_roles.all()) == {doe, energy}
        assert (lighting.status, lighting.rag) == ("completed", "blue")
        assert ProgressUpdate.objects.filter(objective__plan=plan).count() == 3
        assert Milestone.objects.get(objective=boilers).completed_on == dt.date(2024, 6, 20)
        assert SwotItem.objects.filter(plan=plan).count() == 2
        assert PestelDriver.objects.get(plan=plan).category == "economic"
        line = ServiceLine.objects.get(plan=plan)
        income = IncomeLine.objects.get(plan=plan)
        assert (income.service_line, income.amount, income.funder) == (line, Decimal("12500"), None)
        spend = ExpenditureLine.objects.get(plan=plan)
        assert MonthlyActual.objects.get(income_line=income).month == dt.date(2024, 4, 1)
        assert MonthlyActual.objects.get(expenditure_line=spend).amount == Decimal("800")
        assert PrintedTotal.objects.get(plan=plan).amount == Decimal("12500")
        scheme = SavingsScheme.objects.get(plan=plan)
        assert scheme.fte_effect == Decimal("-1.5")
        assert set(scheme.objectives.all()) == {boilers, lighting}
        assert SavingsTarget.objects.get(scheme=scheme).delivered == Decimal("5000")

    def test_what_the_organisation_has_is_matched_not_duplicated(self, organisation):
        unit = OrgUnitFactory(organisation=organisation, name="Estates")
        role = RoleFactory(
            organisation=organisation, abbreviation="DoE", title="Director of Estates"
        )
        loader = import_workbook("estates.xlsx", workbook_bytes(), organisation)
        assert loader.problems == []
        boilers = Objective.objects.get(plan=loader.plan, reference="EST-1")
        assert boilers.org_unit == unit
        assert list(boilers.sro_roles.all()) == [role]
        assert Role.objects.filter(organisation=organisation, abbreviation="DoE").count() == 1

    def test_a_second_import_gets_a_slug_of_its_own(self, organisation):
        PlanFactory(organisation=organisation, slug="estates-plan-2024-26")
        first = import_workbook("estates.xlsx", workbook_bytes(), organisation).plan
        second = import_workbook("estates.xlsx", workbook_bytes(), organisation).plan
        assert first.slug == "estates-plan-2024-26-2"
        assert second.slug == "estates-plan-2024-26-3"

"""Importing a workbook written by hand (not by the export), holding every record kind."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from assurance.models import Risk, RiskCategory, RiskSettings
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
from frameworks.models import CompetencyTarget, Framework, GapAnalysis
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

# Sheets whose rows name something unique in the organisation, not only in the plan.
ORGANISATION_UNIQUE = {
    "Risks",
    "Risk controls",
    "Risk reviews",
    "Frameworks",
    "Framework levels",
    "Competencies",
    "Competency descriptors",
    "Assessments",
    "Assessment scores",
    "Competency targets",
}


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
        # Risk references and framework names are the organisation's: the second copy of the
        # plan leaves them out (see test_a_second_copy_may_not_reuse_them).
        sheets = {
            name: rows[:1] if name in ORGANISATION_UNIQUE else rows for name, rows in SHEETS.items()
        }
        # …and so do the delivery items that name the risk.
        risks = SHEETS["Delivery items"][0].index("Risks")
        sheets["Delivery items"] = [
            [
                None if n == risks and r is not SHEETS["Delivery items"][0] else v
                for n, v in enumerate(r)
            ]
            for r in SHEETS["Delivery items"]
        ]
        first = import_workbook("estates.xlsx", workbook_bytes(), organisation).plan
        second = import_workbook("estates.xlsx", workbook_bytes(sheets), organisation).plan
        assert first.slug == "estates-plan-2024-26-2"
        assert second.slug == "estates-plan-2024-26-3"


@pytest.mark.django_db
class TestHandMadeRisksAndFrameworks:
    def test_the_risk_register_is_imported(self, organisation):
        loader = import_workbook("estates.xlsx", workbook_bytes(), organisation)
        assert [str(p) for p in loader.problems] == []
        plan = loader.plan
        bands = RiskSettings.objects.get(organisation=organisation)
        assert (bands.low_max, bands.moderate_max, bands.high_max) == (4, 8, 14)
        financial = RiskCategory.objects.get(organisation=organisation, name="Financial")
        assert financial.appetite == 12
        boiler = Risk.objects.get(organisation=organisation, reference="EST R1")
        assert boiler.plan == plan
        assert boiler.programme == Programme.objects.get(plan=plan, number=1)
        assert boiler.category.name == "Estates"
        assert boiler.owner_person.name == "Pat Jones"
        assert boiler.owner_role.abbreviation == "DoE"
        assert sorted(p.number for p in boiler.priorities.all()) == [1, 2]
        assert [o.number for o in boiler.strategic_objectives.all()] == [1]
        assert [p.number for p in boiler.programmes.all()] == [1]
        assert (boiler.inherent.score, boiler.current.score, boiler.target.score) == (20, 12, 6)
        assert sorted(o.reference for o in boiler.mitigating_actions.all()) == ["1.1", "EST-1"]
        assert (boiler.is_principal, boiler.status) == (True, "escalated")
        assert boiler.review_date == dt.date(2024, 9, 30)
        controls = list(boiler.controls.order_by("order"))
        assert [(c.kind, c.line_of_defence, c.order) for c in controls] == [
            ("control", 1, 1),
            ("assurance", 3, 2),
        ]
        assert [r.score for r in boiler.reviews.order_by("reviewed_on")] == [20, 12]
        prices = Risk.objects.get(organisation=organisation, title="Energy prices")
        assert prices.reference == ""
        assert not prices.is_scored
        assert prices.controls.get().description == "Fixed-price contract"

    def test_frameworks_and_gap_analyses_are_imported(self, organisation):
        loader = import_workbook("estates.xlsx", workbook_bytes(), organisation)
        assert [str(p) for p in loader.problems] == []
        plan = loader.plan
        framework = Framework.objects.get(organisation=organisation)
        assert list(framework.plans.all()) == [plan]
        assert framework.level_names == ["Basic", "Managed", "Optimised"]
        assert framework.contributors_may_assess
        planning, energy = framework.competencies.order_by("number")
        assert planning.descriptors == ["Fix on failure", "", "Predictive maintenance"]
        assert [p.number for p in planning.programmes.all()] == [1]
        assert [o.reference for o in energy.objectives.all()] == ["1.1"]
        assessments = list(framework.assessments.order_by("assessed_on"))
        assert [(a.kind, a.assessor) for a in assessments] == [
            ("self", "Estates team"),
            ("external", "Auditor"),
        ]
        assert [(s.competency.number, s.level) for s in assessments[0].scores.all()] == [
            (1, 1),
            (2, 2),
        ]
        assert assessments[1].scores.get().level == 2
        target = CompetencyTarget.objects.get(competency=planning)
        assert (target.target_date, target.level) == (dt.date(2025, 3, 31), 3)
        analysis = GapAnalysis.objects.get(plan=plan)
        strategy, systems = analysis.dimensions.order_by("order")
        assert (strategy.name, strategy.desired_state) == ("Strategy", "A ten-year strategy")
        assert [o.reference for o in strategy.actions.all()] == ["EST-1"]
        assert systems.current_state == ""

    def test_the_organisations_bands_and_categories_are_kept(self, organisation):
        RiskSettings.objects.create(
            organisation=organisation, low_max=2, moderate_max=5, high_max=10
        )
        RiskCategory.objects.create(organisation=organisation, name="Financial", appetite=4)
        loader = import_workbook("estates.xlsx", workbook_bytes(), organisation)
        assert loader.problems == []
        assert RiskSettings.objects.get(organisation=organisation).low_max == 2
        financial = RiskCategory.objects.get(organisation=organisation, name="Financial")
        assert financial.appetite == 4
        assert Risk.objects.get(title="Energy prices").category == financial

    def test_a_second_copy_may_not_reuse_them(self, organisation):
        import_workbook("estates.xlsx", workbook_bytes(), organisation)
        loader = import_workbook("estates.xlsx", workbook_bytes(), organisation)
        assert loader.plan is None
        assert [(p.sheet, p.row, p.column) for p in loader.problems] == [
            ("Risks", 2, "Reference"),
            ("Frameworks", 2, "Name"),
        ]
        assert "already has a risk “EST R1”" in loader.problems[0].reason
        assert "already has a framework “Estates maturity”" in loader.problems[1].reason

"""Export → import into an empty organisation → export again: the same workbook, cell for cell.

The workbook holds no ids and no export time, so "apart from ids and timestamps" leaves nothing
out: every cell of every sheet (the About sheet and the hidden lists too) must be equal.
"""

from __future__ import annotations

import pytest

from assurance.models import Risk, RiskReview
from budgets.models import IncomeLine
from frameworks.models import AssessmentScore, Framework
from planning.models import (
    ClientRelationship,
    Organisation,
    PartnershipMember,
    Plan,
    PlanStatus,
)
from tests.factories import OrganisationFactory
from tests.workbook.helpers import cells
from workbook.export import plan_workbook
from workbook.importing import import_workbook
from workbook.sheets import registered

DEMO_PLANS = [
    "ssp-business-plan-2006-07",
    "ccg-od-strategy-2018-21",
    "hssp-shared-services-2009-10",
    "sel-stp-delivery-plans-2016-21",
]


def empty_like(source: Organisation) -> Organisation:
    """An empty organisation of the same kind; a partnership with the same member
    organisations (what importing a partnership's plan needs: docs/decisions/workbook.md)."""
    empty = OrganisationFactory(name="Empty Trust", slug="empty-trust", kind=source.kind)
    for link in PartnershipMember.objects.filter(partnership=source):
        PartnershipMember.objects.create(partnership=empty, member=link.member, order=link.order)
    _same_partners(source, empty)
    return empty


def _same_partners(source: Organisation, target: Organisation) -> None:
    """The organisation's partners and clients are the organisation's, not the plan's: an
    administrator adds them before the budget names them (docs/decisions/workbook.md)."""
    for relationship in ClientRelationship.objects.filter(provider=source):
        ClientRelationship.objects.create(
            provider=target,
            client=relationship.client,
            kind=relationship.kind,
            order=relationship.order,
        )


@pytest.mark.django_db
class TestRoundTrip:
    @pytest.mark.parametrize("slug", DEMO_PLANS)
    def test_demo_plan_round_trips_cell_for_cell(self, demo, slug):
        plan = Plan.objects.get(slug=slug)
        first = plan_workbook(plan)
        empty = empty_like(plan.organisation)
        loader = import_workbook("plan.xlsx", first, empty)
        assert [str(p) for p in loader.problems] == []
        copy = loader.plan
        assert copy.organisation == empty
        assert copy.status == PlanStatus.DRAFT
        assert copy.slug != plan.slug
        second = plan_workbook(copy)
        before, after = cells(first), cells(second)
        assert list(before) == list(after)
        for sheet in before:
            assert before[sheet] == after[sheet], sheet

    @pytest.mark.parametrize("slug", DEMO_PLANS)
    def test_every_sheet_of_the_demo_is_exported(self, demo, slug):
        plan = Plan.objects.get(slug=slug)
        exported = cells(plan_workbook(plan))
        assert list(exported)[0] == "About"
        for spec in registered():
            assert exported[spec.name][0] == tuple(c.title for c in spec.columns)

    def test_ssp_income_keeps_its_funders(self, demo):
        plan = Plan.objects.get(slug=DEMO_PLANS[0])
        empty = OrganisationFactory()
        _same_partners(plan.organisation, empty)
        copy = import_workbook("plan.xlsx", plan_workbook(plan), empty).plan
        original = sorted(
            (i.funder_label, i.funder_id, i.service_line.name, i.amount)
            for i in IncomeLine.objects.filter(plan=plan)
        )
        imported = sorted(
            (i.funder_label, i.funder_id, i.service_line.name, i.amount)
            for i in IncomeLine.objects.filter(plan=copy)
        )
        assert original == imported
        assert any(funder for _, funder, _, _ in imported)


@pytest.mark.django_db
class TestRiskRegisterAndFrameworksRoundTrip:
    def test_ssp_carries_its_synthetic_risks_and_framework(self, demo):
        plan = Plan.objects.get(slug=DEMO_PLANS[0])
        exported = cells(plan_workbook(plan))
        risks = Risk.objects.filter(plan=plan)
        assert risks.count() > 0
        assert len(exported["Risks"]) - 1 == risks.count()
        assert (
            len(exported["Risk reviews"]) - 1 == RiskReview.objects.filter(risk__plan=plan).count()
        )
        assert len(exported["Frameworks"]) - 1 == 1
        assert (
            len(exported["Assessment scores"]) - 1
            == AssessmentScore.objects.filter(assessment__framework__plans=plan).count()
        )
        assert len(exported["Gap dimensions"]) - 1 == 7
        empty = OrganisationFactory()
        _same_partners(plan.organisation, empty)
        copy = import_workbook("plan.xlsx", plan_workbook(plan), empty).plan
        copied = Risk.objects.filter(plan=copy)
        assert copied.count() == risks.count()
        assert all(r.synthetic for r in copied)
        assert sorted(r.current.score for r in copied) == sorted(r.current.score for r in risks)
        framework = Framework.objects.get(organisation=empty)
        assert framework.synthetic and list(framework.plans.all()) == [copy]

    def test_the_organisations_own_risks_stay_out_of_a_plans_workbook(self, demo):
        """Risks of no plan are the organisation's register (docs/decisions/workbook.md)."""
        plan = Plan.objects.get(slug=DEMO_PLANS[0])
        Risk.objects.create(
            organisation=plan.organisation, reference="ORG 1", title="Whole-organisation risk"
        )
        exported = cells(plan_workbook(plan))
        assert "ORG 1" not in {row[0] for row in exported["Risks"]}

    def test_herefordshire_risks_belong_to_no_plan(self, demo):
        """The HSSP register is the partnership's, with no plan: no plan workbook holds it."""
        hssp = Organisation.objects.get(slug="hssp")
        assert Risk.objects.filter(organisation=hssp).count() == 5
        assert not Risk.objects.filter(organisation=hssp, plan__isnull=False).exists()
        # The partnership's delivery plan (issue 15) does not carry them either: only its
        # heading row is on the Risks sheet.
        for plan in Plan.objects.filter(organisation=hssp):
            assert cells(plan_workbook(plan))["Risks"][1:] == []

"""A PDF's file name says which plan, which document, and which quarter or filter."""

from __future__ import annotations

import pytest

from reporting.documents.exports import download_name
from reporting.documents.spec import DocumentSpec, Kind
from tests.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db


class TestDownloadNames:
    def test_plan_and_board_pack(self, plan):
        assert download_name(DocumentSpec(Kind.PLAN, plan_id=plan.pk)) == f"{plan.slug}-plan.pdf"
        spec = DocumentSpec(Kind.SCORECARD, plan_id=plan.pk, quarter="2006-Q2")
        assert download_name(spec) == f"{plan.slug}-board-pack-2006-q2.pdf"

    def test_action_plan_names_its_filter(self, plan, viewer):
        spec = DocumentSpec(
            Kind.ACTIONS,
            plan_id=plan.pk,
            query=f"plan={plan.pk}&rag=red",
            org_ids=(plan.organisation_id,),
            user_id=viewer.pk,
        )
        assert download_name(spec) == f"{plan.slug}-action-plan-red.pdf"

    def test_action_plan_of_every_plan_by_department(self, plan, viewer):
        unit = OrgUnitFactory(organisation=plan.organisation, name="Human Resources")
        spec = DocumentSpec(
            Kind.ACTIONS,
            query=f"org_unit={unit.pk}",
            org_ids=(plan.organisation_id,),
            user_id=viewer.pk,
        )
        assert download_name(spec) == "action-plan-human-resources.pdf"

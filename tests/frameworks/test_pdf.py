"""The plan PDF's appendices for a linked competency framework and the plan's gap analysis,
read back with pypdf."""

from __future__ import annotations

import pytest

from reporting.documents import exports
from reporting.documents.spec import DocumentSpec, Kind
from tests.factories import ObjectiveFactory, PlanFactory
from tests.frameworks.factories import (
    GapAnalysisFactory,
    GapDimensionFactory,
    framework_with_series,
)
from tests.reporting.documents.conftest import all_text


@pytest.mark.django_db
class TestPlanPdfAppendices:
    def test_framework_and_gap_analysis_appendices(self, settings, tmp_path, organisation):
        settings.MEDIA_ROOT = tmp_path
        plan = PlanFactory(organisation=organisation, title="Organisational Development Plan")
        framework = framework_with_series(organisation, competencies=2, assessments=2, plan=plan)
        analysis = GapAnalysisFactory(plan=plan, title="Seven S")
        dimension = GapDimensionFactory(
            analysis=analysis,
            name="Skills",
            current_state="Few managers trained",
            desired_state="Every manager trained",
        )
        dimension.actions.add(ObjectiveFactory(plan=plan, text="Train the managers", rag="red"))
        unlinked = framework_with_series(organisation, competencies=1, assessments=1)
        unlinked.name = "Not linked to this plan"
        unlinked.save()

        export = exports.get_or_render(DocumentSpec(Kind.PLAN, plan_id=plan.pk))
        text = all_text(export.path.read_bytes())

        # After the plan's own appendix (its objectives), numbered on.
        assert "Appendix 1: Operational objectives 2006/07" in text
        assert f"Appendix 2: {framework.name}" in text
        assert "Latest scores against the next target" in text
        # Latest level 2, target level 3 by 31 March 2007: the gap.
        assert "Level 3 by 31 Mar 2007" in text
        assert "1 level to go" in text
        assert "assessments and targets by date" in text
        assert "Appendix 3: Gap analysis: Seven S" in text
        assert "Few managers trained" in text and "Every manager trained" in text
        assert "Train the managers (Red)" in text
        assert "Not linked to this plan" not in text

    def test_no_appendix_without_a_framework(self, settings, tmp_path, organisation):
        settings.MEDIA_ROOT = tmp_path
        plan = PlanFactory(organisation=organisation)
        framework_with_series(organisation, competencies=1, assessments=1)  # not linked
        export = exports.get_or_render(DocumentSpec(Kind.PLAN, plan_id=plan.pk))
        assert "Latest scores against the next target" not in all_text(export.path.read_bytes())

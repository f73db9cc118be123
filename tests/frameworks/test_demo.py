"""The demo's synthetic SSP framework, assessment series and 7S gap analysis: labelled
synthetic, inside the plan's year, the same on every load, and loaded once."""

from __future__ import annotations

import pytest

from demo import frameworks as demo_frameworks
from demo.loader import load_demo
from demo.ssp import PLAN_SLUG
from frameworks import scoring
from frameworks.models import Assessment, AssessmentScore, CompetencyTarget, Framework, GapAnalysis
from planning.models import Plan


def _snapshot():
    return sorted(
        AssessmentScore.objects.values_list(
            "assessment__assessed_on", "assessment__kind", "competency__number", "level"
        )
    ) + sorted(CompetencyTarget.objects.values_list("competency__number", "target_date", "level"))


@pytest.mark.django_db
class TestSyntheticDemoFramework:
    def test_labelled_synthetic_and_linked_to_the_ssp_plan(self, demo):
        plan = Plan.objects.get(slug=PLAN_SLUG)
        framework = Framework.objects.get(organisation=plan.organisation)
        assert framework.synthetic and "synthetic" in framework.name.lower()
        assert list(framework.plans.all()) == [plan]
        analysis = GapAnalysis.objects.get(plan=plan)
        assert analysis.synthetic
        assert [d.name for d in analysis.dimensions.order_by("order")] == [
            name for name, _ in scoring.SEVEN_S
        ]
        # Dimension names only: nothing is claimed about where SSP stood.
        assert not analysis.dimensions.exclude(current_state="", desired_state="").exists()

    def test_the_series_is_the_module_s_fixed_values(self, demo):
        framework = Framework.objects.get(name=demo_frameworks.FRAMEWORK_NAME)
        assert framework.level_names == demo_frameworks.LEVELS
        for on, kind, _, levels in demo_frameworks.ASSESSMENTS:
            assessment = Assessment.objects.get(framework=framework, assessed_on=on, kind=kind)
            stored = list(
                assessment.scores.order_by("competency__number").values_list("level", flat=True)
            )
            assert stored == levels

    def test_every_target_date_is_inside_the_plan_period(self, demo):
        plan = Plan.objects.get(slug=PLAN_SLUG)
        dates = set(CompetencyTarget.objects.values_list("target_date", flat=True))
        assert dates and all(plan.start_date <= d <= plan.end_date for d in dates)

    def test_loading_again_changes_nothing(self, demo):
        before = _snapshot()
        counts = (
            Framework.objects.count(),
            Assessment.objects.count(),
            GapAnalysis.objects.count(),
        )
        load_demo()
        assert _snapshot() == before
        assert counts == (
            Framework.objects.count(),
            Assessment.objects.count(),
            GapAnalysis.objects.count(),
        )

"""factory-boy factories for the frameworks app (kept beside its tests)."""

from __future__ import annotations

import datetime as dt

import factory

from frameworks.models import (
    Assessment,
    AssessmentScore,
    Competency,
    CompetencyTarget,
    Framework,
    GapAnalysis,
    GapDimension,
)
from tests.factories import OrganisationFactory, PlanFactory


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Competency framework {n}")
    level_names = ["Basic", "Developing", "Good", "Excellent"]


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competency
        skip_postgeneration_save = True

    framework = factory.SubFactory(FrameworkFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Competency {n}")


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    framework = factory.SubFactory(FrameworkFactory)
    assessed_on = dt.date(2006, 6, 30)
    kind = "self"


class AssessmentScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentScore

    assessment = factory.SubFactory(AssessmentFactory)
    competency = factory.SubFactory(CompetencyFactory)
    level = 1


class CompetencyTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetencyTarget

    competency = factory.SubFactory(CompetencyFactory)
    target_date = dt.date(2007, 3, 31)
    level = 2


class GapAnalysisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GapAnalysis

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"7S analysis {n}")


class GapDimensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GapDimension
        skip_postgeneration_save = True

    analysis = factory.SubFactory(GapAnalysisFactory)
    name = factory.Sequence(lambda n: f"Dimension {n}")
    order = factory.Sequence(lambda n: n + 1)


def framework_with_series(organisation, *, competencies=3, assessments=2, plan=None):
    """A framework of ``competencies`` on 4 levels, ``assessments`` assessments scoring each,
    and a target per competency in the plan's year (2006/07)."""
    framework = FrameworkFactory(organisation=organisation)
    if plan is not None:
        framework.plans.add(plan)
    items = [CompetencyFactory(framework=framework, number=n) for n in range(1, competencies + 1)]
    for a in range(assessments):
        assessment = AssessmentFactory(
            framework=framework,
            assessed_on=dt.date(2006, 4, 1) + dt.timedelta(days=7 * a),
            kind="panel",
        )
        for c in items:
            AssessmentScoreFactory(assessment=assessment, competency=c, level=1 + (a % 4))
    for c in items:
        CompetencyTargetFactory(competency=c, target_date=dt.date(2007, 3, 31), level=3)
    return framework


def add_no_500_records(world) -> None:
    """The records the frameworks forms of tests/test_no_500.py work on, on its World."""
    world.framework = FrameworkFactory(organisation=world.organisation)
    world.framework.plans.add(world.plan)
    world.competency = CompetencyFactory(framework=world.framework, number=1)
    world.competency.objectives.add(world.objective)
    world.assessment = AssessmentFactory(framework=world.framework, kind="self")
    AssessmentScoreFactory(assessment=world.assessment, competency=world.competency, level=2)
    world.target = CompetencyTargetFactory(competency=world.competency)
    # Nothing refers to these, so their delete pages offer the button (and a move its form).
    world.spare_competency = CompetencyFactory(framework=world.framework, number=2)
    world.empty_framework = FrameworkFactory(organisation=world.organisation)
    world.gap_analysis = GapAnalysisFactory(plan=world.plan)
    world.dimension = GapDimensionFactory(analysis=world.gap_analysis, name="Skills")
    world.dimension.actions.add(world.objective)

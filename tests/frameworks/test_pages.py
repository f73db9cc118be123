"""The framework and gap-analysis pages: what they show, bad input refused next to its field
with nothing saved, who may, and a constant number of queries at 1× and 10× data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from frameworks.models import Assessment, AssessmentScore, CompetencyTarget, Framework, GapDimension
from tests.factories import ObjectiveFactory, PlanFactory, ProgrammeFactory
from tests.frameworks.factories import (
    CompetencyFactory,
    FrameworkFactory,
    GapAnalysisFactory,
    GapDimensionFactory,
    framework_with_series,
)


def _post(client, url, data):
    return client.post(url, data)


@pytest.mark.django_db
class TestFrameworkPage:
    def test_shows_latest_scores_next_target_and_gap(self, client, viewer, organisation, plan):
        framework = framework_with_series(organisation, competencies=2, assessments=2)
        client.force_login(viewer)
        response = client.get(reverse("frameworks:detail", args=[framework.pk]))
        body = response.content.decode()
        assert response.status_code == 200
        # Latest level 2 (the second assessment), target 3 by 31 March 2007: 1 level to go.
        assert "Level 3 by 31 Mar 2007" in body
        assert "1 level to go" in body
        assert body.count("<svg") >= 2
        assert "Show the chart’s data as a table" in body
        assert "Record an assessment" not in body  # a viewer

    def test_synthetic_is_labelled(self, client, viewer, organisation):
        framework = FrameworkFactory(organisation=organisation, synthetic=True)
        client.force_login(viewer)
        body = client.get(reverse("frameworks:detail", args=[framework.pk])).content.decode()
        assert "Synthetic demo data" in body

    @pytest.mark.parametrize("size", [1, 10])
    def test_constant_queries(
        self, client, planner, organisation, size, django_assert_max_num_queries
    ):
        plan = PlanFactory(organisation=organisation)
        framework = framework_with_series(organisation, competencies=size, assessments=size)
        for c in framework.competencies.all():
            c.objectives.add(ObjectiveFactory(plan=plan))
            c.programmes.add(ProgrammeFactory(plan=plan, number=c.number))
        client.force_login(planner)
        for name in ("frameworks:detail", "frameworks:assessments"):
            with django_assert_max_num_queries(16):
                response = client.get(reverse(name, args=[framework.pk]))
            assert response.status_code == 200


@pytest.mark.django_db
class TestAssessmentForm:
    def _data(self, framework, **scores):
        data = {"assessed_on": "2006-09-30", "kind": "panel", "assessor": "Board panel"}
        for competency in framework.competencies.all():
            data[f"score_{competency.pk}"] = scores.get(competency.name, "")
        return data

    def test_records_scores(self, client, planner, organisation):
        framework = FrameworkFactory(organisation=organisation)
        first = CompetencyFactory(framework=framework, number=1, name="Leadership")
        CompetencyFactory(framework=framework, number=2, name="Finance")
        client.force_login(planner)
        url = reverse("frameworks:assessment_create", args=[framework.pk])
        response = client.post(url, self._data(framework, Leadership="3"))
        assert response.status_code == 302
        assessment = Assessment.objects.get(framework=framework)
        assert [(s.competency, s.level) for s in assessment.scores.all()] == [(first, 3)]
        assert assessment.history.first().history_user == planner

    @pytest.mark.parametrize("level", ["0", "5", "-1"])
    def test_score_outside_the_levels_is_refused_next_to_its_field(
        self, client, planner, organisation, level
    ):
        framework = FrameworkFactory(organisation=organisation)
        competency = CompetencyFactory(framework=framework, number=1, name="Leadership")
        client.force_login(planner)
        url = reverse("frameworks:assessment_create", args=[framework.pk])
        response = client.post(url, self._data(framework, Leadership=level))
        assert response.status_code == 400
        errors = response.context["form"].errors
        assert errors[f"score_{competency.pk}"] == [
            "Enter a level from 1 to 4: this framework has 4 levels"
        ]
        assert not Assessment.objects.exists()
        assert not AssessmentScore.objects.exists()

    def test_contributor_only_where_the_planner_allows(self, client, contributor, organisation):
        framework = FrameworkFactory(organisation=organisation)
        CompetencyFactory(framework=framework, number=1, name="Leadership")
        client.force_login(contributor)
        url = reverse("frameworks:assessment_create", args=[framework.pk])
        assert client.get(url).status_code == 403
        framework.contributors_may_assess = True
        framework.save()
        assert client.get(url).status_code == 200
        assert client.post(url, self._data(framework, Leadership="2")).status_code == 302

    def test_stale_edit_is_refused(self, client, planner, organisation):
        framework = FrameworkFactory(organisation=organisation)
        competency = CompetencyFactory(framework=framework, number=1, name="Leadership")
        assessment = Assessment.objects.create(
            framework=framework, assessed_on=dt.date(2006, 5, 1), kind="self", version=3
        )
        AssessmentScore.objects.create(assessment=assessment, competency=competency, level=1)
        client.force_login(planner)
        data = self._data(framework, Leadership="2") | {"version": "2"}
        url = reverse("frameworks:assessment_edit", args=[assessment.pk])
        assert client.post(url, data).status_code == 409
        assert AssessmentScore.objects.get().level == 1


@pytest.mark.django_db
class TestTargets:
    def test_all_competencies_at_once(self, client, planner, organisation, plan):
        framework = FrameworkFactory(organisation=organisation)
        for n in (1, 2, 3):
            CompetencyFactory(framework=framework, number=n)
        client.force_login(planner)
        url = reverse("frameworks:target_create", args=[framework.pk])
        data = {"competency": "all", "target_date": "2007-03-31", "level": "2"}
        assert client.post(url, data).status_code == 302
        assert sorted(CompetencyTarget.objects.values_list("level", flat=True)) == [2, 2, 2]
        # The same date again changes the level, it does not add a second target.
        assert client.post(url, data | {"level": "3"}).status_code == 302
        assert sorted(CompetencyTarget.objects.values_list("level", flat=True)) == [3, 3, 3]

    def test_date_outside_every_plan_period_is_refused(self, client, planner, organisation, plan):
        framework = FrameworkFactory(organisation=organisation)
        CompetencyFactory(framework=framework, number=1)
        client.force_login(planner)
        url = reverse("frameworks:target_create", args=[framework.pk])
        data = {"competency": "all", "target_date": "2010-03-31", "level": "2"}
        response = client.post(url, data)
        assert response.status_code == 400
        [message] = response.context["form"].errors["target_date"]
        assert message.startswith("Choose a date within one of this organisation's plan periods")
        assert "2006/07 (1 April 2006 to 31 March 2007)" in message
        assert not CompetencyTarget.objects.exists()

    def test_level_outside_the_framework_is_refused(self, client, planner, organisation, plan):
        framework = FrameworkFactory(organisation=organisation)
        CompetencyFactory(framework=framework, number=1)
        client.force_login(planner)
        url = reverse("frameworks:target_create", args=[framework.pk])
        data = {"competency": "all", "target_date": "2007-03-31", "level": "7"}
        response = client.post(url, data)
        assert response.status_code == 400
        assert response.context["form"].errors["level"]
        assert not CompetencyTarget.objects.exists()


@pytest.mark.django_db
class TestLinks:
    def test_competency_links_to_programmes_and_actions_shown_on_both_sides(
        self, client, planner, organisation, plan
    ):
        framework = FrameworkFactory(organisation=organisation)
        competency = CompetencyFactory(framework=framework, number=1, name="Leadership")
        action = ObjectiveFactory(plan=plan, text="Run the leadership programme")
        programme = ProgrammeFactory(plan=plan, title="Developing leaders")
        client.force_login(planner)
        url = reverse("frameworks:competency_edit", args=[competency.pk])
        data = {
            "name": "Leadership",
            "objectives": [action.pk],
            "programmes": [programme.pk],
            "version": competency.version,
        }
        assert client.post(url, data).status_code == 302
        body = client.get(framework.get_absolute_url()).content.decode()
        assert "Run the leadership programme" in body and "Developing leaders" in body
        detail = client.get(reverse("objectives:detail", args=[action.pk])).content.decode()
        assert "Develops competencies" in detail and "1. Leadership" in detail

    def test_an_action_of_another_organisation_is_refused(
        self, client, planner, organisation, other_organisation
    ):
        framework = FrameworkFactory(organisation=organisation)
        competency = CompetencyFactory(framework=framework, number=1, name="Leadership")
        foreign = ObjectiveFactory(plan=PlanFactory(organisation=other_organisation))
        client.force_login(planner)
        url = reverse("frameworks:competency_edit", args=[competency.pk])
        data = {"name": "Leadership", "objectives": [foreign.pk], "version": 1}
        response = client.post(url, data)
        assert response.status_code == 400
        [message] = response.context["form"].errors["objectives"]
        assert "this organisation's own plans" in message
        assert not competency.objectives.exists()

    def test_the_service_refuses_it_too(self, planner, organisation, other_organisation):
        from django.core.exceptions import ValidationError

        from frameworks import services

        framework = FrameworkFactory(organisation=organisation)
        foreign = ObjectiveFactory(plan=PlanFactory(organisation=other_organisation))
        with pytest.raises(ValidationError) as raised:
            services.competency_create(
                framework=framework, by=planner, data={"name": "X", "objectives": [foreign]}
            )
        assert "objectives" in raised.value.message_dict
        assert not framework.competencies.exists()


@pytest.mark.django_db
class TestGapAnalysis:
    def test_seven_s_ready_made(self, client, planner, plan):
        client.force_login(planner)
        url = reverse("frameworks:gap_create", args=[plan.slug])
        response = client.post(url, {"title": "Where we are", "dimensions": "7s"})
        assert response.status_code == 302
        names = list(GapDimension.objects.values_list("name", flat=True))
        assert names == [
            "Strategy",
            "Structure",
            "Systems",
            "Shared values",
            "Style",
            "Staff",
            "Skills",
        ]

    def test_own_dimensions(self, client, planner, plan):
        client.force_login(planner)
        url = reverse("frameworks:gap_create", args=[plan.slug])
        assert client.post(url, {"title": "Ours", "dimensions": "own"}).status_code == 302
        assert not GapDimension.objects.exists()

    def test_dimension_with_actions_and_their_rag(self, client, planner, plan):
        analysis = GapAnalysisFactory(plan=plan)
        dimension = GapDimensionFactory(analysis=analysis, name="Skills")
        action = ObjectiveFactory(plan=plan, text="Train every manager", rag="amber")
        client.force_login(planner)
        url = reverse("frameworks:dimension_edit", args=[dimension.pk])
        data = {
            "name": "Skills",
            "current_state": "Few managers trained",
            "desired_state": "Every manager trained",
            "actions": [action.pk],
            "version": 1,
        }
        assert client.post(url, data).status_code == 302
        body = client.get(analysis.get_absolute_url()).content.decode()
        assert "Few managers trained" in body and "Every manager trained" in body
        assert "Train every manager" in body and "Amber" in body

    def test_foreign_action_refused(self, client, planner, plan, other_organisation):
        dimension = GapDimensionFactory(analysis=GapAnalysisFactory(plan=plan), name="Staff")
        foreign = ObjectiveFactory(plan=PlanFactory(organisation=other_organisation))
        client.force_login(planner)
        url = reverse("frameworks:dimension_edit", args=[dimension.pk])
        response = client.post(url, {"name": "Staff", "actions": [foreign.pk], "version": 1})
        assert response.status_code == 400
        assert response.context["form"].errors["actions"]
        assert not dimension.actions.exists()

    @pytest.mark.parametrize("size", [1, 10])
    def test_constant_queries(self, client, viewer, plan, size, django_assert_max_num_queries):
        analysis = GapAnalysisFactory(plan=plan)
        for n in range(size):
            dimension = GapDimensionFactory(analysis=analysis)
            dimension.actions.add(ObjectiveFactory(plan=plan), ObjectiveFactory(plan=plan))
        client.force_login(viewer)
        with django_assert_max_num_queries(12):
            response = client.get(analysis.get_absolute_url())
        assert response.status_code == 200


@pytest.mark.django_db
class TestFrameworkEditing:
    def test_create_and_refuse_too_few_levels(self, client, planner, organisation):
        client.force_login(planner)
        url = reverse("frameworks:create", args=[organisation.slug])
        response = client.post(url, {"name": "WCC-style", "level_names": "Only one"})
        assert response.status_code == 400
        assert response.context["form"].errors["level_names"]
        assert not Framework.objects.exists()
        data = {"name": "WCC-style", "level_names": "One\nTwo\nThree\nFour"}
        assert client.post(url, data).status_code == 302
        assert Framework.objects.get().level_names == ["One", "Two", "Three", "Four"]

    def test_cannot_drop_a_level_in_use(self, client, planner, organisation):
        framework = framework_with_series(organisation, competencies=1, assessments=1)
        client.force_login(planner)
        url = reverse("frameworks:edit", args=[framework.pk])
        data = {"name": framework.name, "level_names": "A\nB", "version": framework.version}
        response = client.post(url, data)
        assert response.status_code == 400
        assert "keep at least 3 levels" in response.context["form"].errors["level_names"][0]


@pytest.mark.django_db
class TestAudit:
    def test_framework_changes_read_on_the_audit_page(self, client, planner, organisation):
        from django.contrib.auth import get_user_model

        admin = get_user_model().objects.create_user("auditor")
        from tests.factories import MembershipFactory

        MembershipFactory(user=admin, organisation=organisation, role="admin")
        client.force_login(planner)
        url = reverse("frameworks:create", args=[organisation.slug])
        data = {"name": "Commissioning", "level_names": "Low\nHigh"}
        assert client.post(url, data).status_code == 302
        client.force_login(admin)
        response = client.get(reverse("reporting:audit"))
        assert response.status_code == 200
        first = response.context["changes"][0]
        assert first.who == planner
        assert {
            "field": "level names",
            "old": "",
            "new": "Low; High",
            "created": True,
            "unknown_before": False,
        } in first.changes


@pytest.mark.django_db
class TestDeleting:
    def test_planner_deletes_an_assessment_and_a_target(self, client, planner, organisation):
        framework = framework_with_series(organisation, competencies=2, assessments=2)
        assessment = framework.assessments.first()
        target = CompetencyTarget.objects.filter(competency__framework=framework).first()
        client.force_login(planner)
        url = reverse("frameworks:assessment_delete", args=[assessment.pk])
        assert client.post(url, {"version": assessment.version + 1}).status_code == 409
        assert Assessment.objects.filter(pk=assessment.pk).exists()
        assert client.post(url, {"version": assessment.version}).status_code == 302
        assert not Assessment.objects.filter(pk=assessment.pk).exists()
        assert not AssessmentScore.objects.filter(assessment_id=assessment.pk).exists()
        url = reverse("frameworks:target_delete", args=[target.pk])
        assert client.post(url, {"version": target.version}).status_code == 302
        assert not CompetencyTarget.objects.filter(pk=target.pk).exists()
        deleted = Assessment.history.filter(id=assessment.pk, history_type="-").get()
        assert deleted.history_user == planner

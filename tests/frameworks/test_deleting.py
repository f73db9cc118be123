"""Deleting frameworks, competencies, gap analyses and dimensions from the pages, and moving a
competency up or down: confirmed, version-checked, audited, refused (with what to do first)
while something still refers to the record, and another organisation's record is 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from frameworks import services
from frameworks.models import Competency, Framework, GapAnalysis, GapDimension
from planning.concurrency import StaleEditError
from tests.factories import MembershipFactory, ObjectiveFactory, PlanFactory, ProgrammeFactory
from tests.frameworks.factories import (
    AssessmentFactory,
    AssessmentScoreFactory,
    CompetencyFactory,
    CompetencyTargetFactory,
    FrameworkFactory,
    GapAnalysisFactory,
    GapDimensionFactory,
)


def _numbers(framework) -> list[tuple[str, int]]:
    return list(framework.competencies.order_by("number").values_list("name", "number"))


@pytest.mark.django_db
class TestCompetencyDelete:
    def test_a_competency_nothing_refers_to_is_deleted(self, client, planner, organisation, plan):
        framework = FrameworkFactory(organisation=organisation)
        first = CompetencyFactory(framework=framework, number=1, name="Leadership")
        second = CompetencyFactory(framework=framework, number=2, name="Finance")
        CompetencyFactory(framework=framework, number=3, name="Engagement")
        second.objectives.add(ObjectiveFactory(plan=plan))
        second.programmes.add(ProgrammeFactory(plan=plan))
        client.force_login(planner)
        url = reverse("frameworks:competency_delete", args=[second.pk])
        page = client.get(url)
        assert page.status_code == 200
        assert "Delete the competency?" in page.text and "2. Finance" in page.text
        assert client.post(url, {"version": second.version}).status_code == 302
        # The others keep their numbers; the links went with it.
        assert _numbers(framework) == [("Leadership", 1), ("Engagement", 3)]
        assert not Competency.objectives.through.objects.filter(competency_id=second.pk).exists()
        deleted = Competency.history.filter(id=second.pk, history_type="-").get()
        assert deleted.history_user == planner
        assert Competency.objects.filter(pk=first.pk).exists()

    @pytest.mark.parametrize(
        ("scored", "targeted", "words"),
        [
            (True, False, "1 assessment scores it. First clear its score from each assessment"),
            (False, True, "1 target aims at it. First delete its targets"),
            (True, True, "1 assessment scores it and 1 target aims at it"),
        ],
    )
    def test_refused_while_scored_or_targeted(
        self, client, planner, organisation, scored, targeted, words
    ):
        framework = FrameworkFactory(organisation=organisation)
        competency = CompetencyFactory(framework=framework, number=1)
        if scored:
            AssessmentScoreFactory(
                assessment=AssessmentFactory(framework=framework), competency=competency, level=2
            )
        if targeted:
            CompetencyTargetFactory(competency=competency)
        client.force_login(planner)
        url = reverse("frameworks:competency_delete", args=[competency.pk])
        page = client.get(url)
        assert page.status_code == 200
        assert "This competency cannot be deleted" in page.text and words in page.text
        assert "nhsuk-button--warning" not in page.text  # no Delete button
        response = client.post(url, {"version": competency.version})
        assert response.status_code == 400
        assert words in response.text
        assert Competency.objects.filter(pk=competency.pk).exists()

    def test_the_service_refuses_it_too(self, planner, organisation):
        """A score recorded after the page was opened: the service checks again."""
        from django.core.exceptions import ValidationError

        framework = FrameworkFactory(organisation=organisation)
        competency = CompetencyFactory(framework=framework, number=1)
        CompetencyTargetFactory(competency=competency)
        with pytest.raises(ValidationError) as raised:
            services.competency_delete(
                competency_id=competency.pk, framework=framework, by=planner, expected_version=1
            )
        assert raised.value.code == "referenced"
        assert Competency.objects.filter(pk=competency.pk).exists()

    def test_stale_page_is_refused(self, client, planner, organisation):
        framework = FrameworkFactory(organisation=organisation)
        competency = CompetencyFactory(framework=framework, number=1, version=3)
        client.force_login(planner)
        url = reverse("frameworks:competency_delete", args=[competency.pk])
        response = client.post(url, {"version": "2"})
        assert response.status_code == 409
        assert "Somebody else changed this competency" in response.text
        assert Competency.objects.filter(pk=competency.pk).exists()

    def test_other_organisation_is_404_and_viewer_403(
        self, client, organisation, other_organisation, viewer
    ):
        competency = CompetencyFactory(framework=FrameworkFactory(organisation=organisation))
        outsider = MembershipFactory(organisation=other_organisation, role="planner").user
        client.force_login(outsider)
        for name in ("competency_delete", "competency_move"):
            url = reverse(f"frameworks:{name}", args=[competency.pk])
            assert client.post(url, {"version": 1, "direction": "up"}).status_code == 404
        client.force_login(viewer)
        for name in ("competency_delete", "competency_move"):
            url = reverse(f"frameworks:{name}", args=[competency.pk])
            assert client.post(url, {"version": 1, "direction": "up"}).status_code == 403
        assert Competency.objects.filter(pk=competency.pk, number=competency.number).exists()


@pytest.mark.django_db
class TestCompetencyMove:
    def _three(self, organisation):
        framework = FrameworkFactory(organisation=organisation)
        items = [
            CompetencyFactory(framework=framework, number=n, name=name)
            for n, name in ((1, "Leadership"), (2, "Finance"), (4, "Engagement"))
        ]
        return framework, items

    def test_moves_by_button_and_keeps_the_numbers_in_use(self, client, planner, organisation):
        framework, (_, finance, engagement) = self._three(organisation)
        client.force_login(planner)
        url = reverse("frameworks:competency_move", args=[engagement.pk])
        response = client.post(url, {"version": 1, "direction": "up"})
        assert response.status_code == 302
        assert response["Location"].endswith(f"#competency-{engagement.pk}")
        assert _numbers(framework) == [("Leadership", 1), ("Engagement", 2), ("Finance", 4)]
        engagement.refresh_from_db()
        finance.refresh_from_db()
        # Both versions raised: a form opened on either before the move is refused.
        assert (engagement.version, finance.version) == (2, 2)
        assert engagement.history.latest().history_user == planner
        page = client.get(framework.get_absolute_url())
        assert page.text.index("2. Engagement") < page.text.index("4. Finance")

    def test_at_the_top_nothing_changes(self, planner, organisation):
        framework, (leadership, *_) = self._three(organisation)
        moved = services.competency_move(
            competency_id=leadership.pk,
            framework=framework,
            by=planner,
            expected_version=1,
            direction="up",
        )
        assert moved is False
        assert _numbers(framework) == [("Leadership", 1), ("Finance", 2), ("Engagement", 4)]

    def test_uses_the_one_reorder_rule(self, planner, organisation, monkeypatch):
        """Reordering is defined once (planning.ordering.move): competencies call it too."""
        from planning import ordering

        calls = []
        real = ordering.move
        monkeypatch.setattr(ordering, "move", lambda *a, **k: calls.append(a[2]) or real(*a, **k))
        framework, (leadership, *_) = self._three(organisation)
        services.competency_move(
            competency_id=leadership.pk,
            framework=framework,
            by=planner,
            expected_version=1,
            direction="down",
        )
        assert calls == [ordering.DOWN]
        assert _numbers(framework) == [("Finance", 1), ("Leadership", 2), ("Engagement", 4)]

    def test_stale_page_is_refused_with_a_message(self, client, planner, organisation):
        framework, (_, finance, _) = self._three(organisation)
        with pytest.raises(StaleEditError):
            services.competency_move(
                competency_id=finance.pk,
                framework=framework,
                by=planner,
                expected_version=0,
                direction="up",
            )
        client.force_login(planner)
        url = reverse("frameworks:competency_move", args=[finance.pk])
        response = client.post(url, {"version": 0, "direction": "up"}, follow=True)
        assert "The competency was not moved. Somebody else changed" in response.text
        assert _numbers(framework) == [("Leadership", 1), ("Finance", 2), ("Engagement", 4)]

    def test_a_bad_direction_moves_nothing(self, client, planner, organisation):
        framework, (_, finance, _) = self._three(organisation)
        client.force_login(planner)
        url = reverse("frameworks:competency_move", args=[finance.pk])
        response = client.post(url, {"version": 1, "direction": "sideways"}, follow=True)
        assert "The competency was not moved" in response.text
        assert client.get(url).status_code == 405
        assert _numbers(framework) == [("Leadership", 1), ("Finance", 2), ("Engagement", 4)]


@pytest.mark.django_db
class TestFrameworkDelete:
    def test_an_empty_framework_is_deleted(self, client, planner, organisation, plan):
        framework = FrameworkFactory(organisation=organisation)
        framework.plans.add(plan)
        client.force_login(planner)
        url = reverse("frameworks:delete", args=[framework.pk])
        assert client.get(url).status_code == 200
        response = client.post(url, {"version": framework.version})
        assert response.status_code == 302
        assert response["Location"] == reverse("frameworks:list", args=[organisation.slug])
        assert not Framework.objects.exists()
        assert Framework.history.filter(history_type="-").get().history_user == planner

    def test_refused_while_it_has_competencies_or_assessments(self, client, planner, organisation):
        framework = FrameworkFactory(organisation=organisation)
        CompetencyFactory(framework=framework, number=1)
        CompetencyFactory(framework=framework, number=2)
        AssessmentFactory(framework=framework)
        client.force_login(planner)
        url = reverse("frameworks:delete", args=[framework.pk])
        response = client.post(url, {"version": framework.version})
        assert response.status_code == 400
        assert (
            "it still has 1 assessment and 2 competencies. First delete its assessments and "
            "delete its competencies." in response.text
        )
        assert Framework.objects.exists()

    def test_stale_page_is_refused(self, client, planner, organisation):
        framework = FrameworkFactory(organisation=organisation, version=2)
        client.force_login(planner)
        response = client.post(reverse("frameworks:delete", args=[framework.pk]), {"version": 1})
        assert response.status_code == 409
        assert Framework.objects.exists()


@pytest.mark.django_db
class TestGapDelete:
    def test_an_analysis_goes_with_its_dimensions(self, client, planner, plan):
        analysis = GapAnalysisFactory(plan=plan)
        for name in ("Skills", "Staff"):
            GapDimensionFactory(analysis=analysis, name=name).actions.add(
                ObjectiveFactory(plan=plan)
            )
        client.force_login(planner)
        url = reverse("frameworks:gap_delete", args=[analysis.pk])
        page = client.get(url)
        assert "Its 2 dimensions will be deleted with it." in page.text
        assert client.post(url, {"version": analysis.version}).status_code == 302
        assert not GapAnalysis.objects.exists() and not GapDimension.objects.exists()
        assert {h.history_user for h in GapDimension.history.filter(history_type="-")} == {planner}

    def test_a_dimension_is_deleted(self, client, planner, plan):
        analysis = GapAnalysisFactory(plan=plan)
        skills = GapDimensionFactory(analysis=analysis, name="Skills")
        GapDimensionFactory(analysis=analysis, name="Staff")
        client.force_login(planner)
        url = reverse("frameworks:dimension_delete", args=[skills.pk])
        assert client.post(url, {"version": 2}).status_code == 409
        assert client.post(url, {"version": 1}).status_code == 302
        assert list(analysis.dimensions.values_list("name", flat=True)) == ["Staff"]

    def test_refused_on_a_locked_plan(self, client, planner, organisation):
        plan = PlanFactory(organisation=organisation, status="ratified")
        analysis = GapAnalysisFactory(plan=plan)
        dimension = GapDimensionFactory(analysis=analysis)
        client.force_login(planner)
        for url in (
            reverse("frameworks:gap_delete", args=[analysis.pk]),
            reverse("frameworks:dimension_delete", args=[dimension.pk]),
        ):
            assert "its content is locked" in client.get(url).text
            response = client.post(url, {"version": 1})
            assert response.status_code == 400
            assert "its content is locked" in response.text
        assert GapAnalysis.objects.exists() and GapDimension.objects.exists()

    def test_other_organisation_is_404(self, client, plan, other_organisation):
        analysis = GapAnalysisFactory(plan=plan)
        dimension = GapDimensionFactory(analysis=analysis)
        client.force_login(MembershipFactory(organisation=other_organisation, role="admin").user)
        for url in (
            reverse("frameworks:gap_delete", args=[analysis.pk]),
            reverse("frameworks:dimension_delete", args=[dimension.pk]),
        ):
            assert client.get(url).status_code == 404
            assert client.post(url, {"version": 1}).status_code == 404
        assert GapAnalysis.objects.exists() and GapDimension.objects.exists()


@pytest.mark.django_db
def test_the_detail_page_offers_delete_and_move_to_planners_only(
    client, planner, viewer, organisation
):
    framework = FrameworkFactory(organisation=organisation)
    first = CompetencyFactory(framework=framework, number=1)
    last = CompetencyFactory(framework=framework, number=2)
    client.force_login(planner)
    page = client.get(framework.get_absolute_url()).text
    assert reverse("frameworks:delete", args=[framework.pk]) in page
    assert reverse("frameworks:competency_delete", args=[first.pk]) in page
    move_first = reverse("frameworks:competency_move", args=[first.pk])
    # The first can only go down, the last only up.
    assert page.count(f'action="{move_first}"') == 1
    assert page.count(f'action="{reverse("frameworks:competency_move", args=[last.pk])}"') == 1
    client.force_login(viewer)
    page = client.get(framework.get_absolute_url()).text
    assert reverse("frameworks:delete", args=[framework.pk]) not in page
    assert reverse("frameworks:competency_delete", args=[first.pk]) not in page
    assert move_first not in page

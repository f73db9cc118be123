"""Contributors keep their progress-update rights and gain none of the planner's editing rights
(issue 12, item 1): the same contributor, on the same plan, reports progress, adds and completes
a milestone and enters a KPI value; every page that edits the plan, its KPIs, its lifecycle or
its reporting calendar answers 403 and writes nothing.

The pages are the permission matrix's own (tests/test_permission_matrix.py), so a new editing
page added there is checked here too.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.urls import reverse

from kpis.models import Measurement
from objectives.models import Milestone, ProgressUpdate
from planning.models import PlanStatus
from tests.test_permission_matrix import (
    RECORD_VIEWS,
    _post_data,
    build_world,
    update_data,
    user_for,
)

# The pages a planner may use and a lead contributor may not: the planner's editing rights.
PLANNERS_ONLY = [
    name
    for name, (method, _url, expected, *_data) in RECORD_VIEWS.items()
    if expected.get("lead_contributor") == 403 and expected.get("planner", 200) != 403
]


@pytest.fixture
def world(db):
    return build_world()


def audited_rows() -> int:
    return sum(
        model._default_manager.count()
        for model in apps.get_models()
        if model._meta.model_name.startswith("historical")
    )


@pytest.mark.django_db
class TestContributorsKeepProgressRights:
    def test_a_lead_contributor_reports_progress(self, client, world):
        client.force_login(user_for(world, "lead_contributor", "home"))
        item, kpi = world["objective"], world["kpi"]
        before = ProgressUpdate.objects.count()
        response = client.post(reverse("objectives:update", args=[item.pk]), update_data(item))
        assert response.status_code == 302
        assert ProgressUpdate.objects.count() == before + 1

        response = client.post(
            reverse("objectives:milestone_create", args=[item.pk]),
            {"text": "Business case approved"},
        )
        assert response.status_code == 302
        added = Milestone.objects.get(text="Business case approved")
        response = client.post(
            reverse("objectives:milestone_complete", args=[added.pk]), {"version": "1"}
        )
        assert response.status_code == 302
        added.refresh_from_db()
        assert added.completed_on is not None

        response = client.post(
            reverse("kpis:measurement_create", args=[kpi.pk]), {"period": "2006-Q1", "value": "7"}
        )
        assert response.status_code == 302
        assert Measurement.objects.get(kpi=kpi).value == 7

    def test_progress_carries_on_when_the_plan_is_ratified(self, client, world):
        plan = world["plan"]
        plan.status = PlanStatus.RATIFIED
        plan.save()
        client.force_login(user_for(world, "lead_contributor", "home"))
        item = world["objective"]
        response = client.post(reverse("objectives:update", args=[item.pk]), update_data(item))
        assert response.status_code == 302


@pytest.mark.django_db
class TestContributorsGainNoEditingRights:
    def test_the_list_is_the_planners_editing_pages(self):
        assert len(PLANNERS_ONLY) > 50
        for name in ("objective_create_post", "kpi_create_post", "plan_submit_post"):
            assert name in PLANNERS_ONLY
        assert "objective_update_post" not in PLANNERS_ONLY

    @pytest.mark.parametrize("role", ["contributor", "lead_contributor"])
    @pytest.mark.parametrize("view", PLANNERS_ONLY)
    def test_refused_and_nothing_written(self, client, world, role, view):
        method, url, _expected, *data_for = RECORD_VIEWS[view]
        client.force_login(user_for(world, role, "home"))
        # The URL first: some views' records are made when their URL is (tests/frameworks).
        target, data = url(world), _post_data(world, method, data_for)
        before = audited_rows()
        response = getattr(client, method)(target, data)
        assert response.status_code == 403
        assert audited_rows() == before

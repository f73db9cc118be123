"""Issue 10 findings on the objectives side: each test failed before its fix."""

import datetime as dt

import pytest
from django.urls import reverse

from objectives.models import Objective, ProgressUpdate
from objectives.services import progress_update_create
from planning.concurrency import StaleEditError
from tests.factories import (
    ObjectiveFactory,
    PlanFactory,
    ProgressUpdateFactory,
    reopen_reported_quarters,
)
from tests.objectives.test_views import form_data, update_url

LOWEST_BIGINT = -(2**63)


@pytest.fixture(autouse=True)
def _reported_year_reopened(plan):
    """These tests report on 2006/07, whose quarters locked long ago (planning.reporting_window):
    they are reopened, as a planner would."""
    reopen_reported_quarters(plan)


@pytest.mark.django_db
class TestVersionRange:
    def test_a_version_out_of_range_is_refused_by_the_form(self, client, planner, plan):
        objective = ObjectiveFactory(plan=plan)
        client.force_login(planner)
        response = client.post(
            update_url(objective), form_data(objective, version=str(LOWEST_BIGINT))
        )
        assert response.status_code == 400
        assert "open it again" in response.text
        assert not ProgressUpdate.objects.exists()
        assert Objective.objects.get(pk=objective.pk).version == objective.version

    @pytest.mark.parametrize("version", [LOWEST_BIGINT, -1, 0])
    def test_the_stale_path_does_not_overflow(self, planner, plan, version):
        """The service, called with any version, refuses it as stale and lists the updates
        made since (at most all of them) instead of asking the database for 2**63 rows."""
        objective = ObjectiveFactory(plan=plan, version=3)
        made = [ProgressUpdateFactory(objective=objective) for _ in range(2)]
        with pytest.raises(StaleEditError) as refused:
            progress_update_create(
                objective=objective,
                by=planner,
                expected_version=version,
                financial_year=2006,
                quarter=2,
                rag="green",
                status="in_progress",
                percent_complete=10,
                today=dt.date(2007, 1, 1),
            )
        assert {u.pk for u in refused.value.changes} == {u.pk for u in made}
        assert ProgressUpdate.objects.count() == 2


@pytest.mark.django_db
class TestControlCharacters:
    def test_a_control_character_is_refused_next_to_its_field(self, client, planner, plan):
        objective = ObjectiveFactory(plan=plan)
        client.force_login(planner)
        response = client.post(
            update_url(objective), form_data(objective, narrative="On track\x1b[0m")
        )
        assert response.status_code == 400
        assert "Remove the invisible control character (character 9" in response.text
        assert not ProgressUpdate.objects.exists()

    def test_tabs_and_new_lines_are_fine(self, client, planner, plan):
        objective = ObjectiveFactory(plan=plan)
        client.force_login(planner)
        response = client.post(
            update_url(objective), form_data(objective, narrative="One\r\n\tTwo")
        )
        assert response.status_code == 302
        assert ProgressUpdate.objects.get().narrative == "One\r\n\tTwo"


@pytest.mark.django_db
class TestExportFilters:
    """An export filtered by a plan (or department…) the user cannot see used to drop the filter
    and export everything they can see. It is refused as not found, as any record of another
    organisation is; a malformed filter is a 400 that says which."""

    @pytest.mark.parametrize("name", ["objectives:export_csv", "objectives:export_xlsx"])
    def test_another_organisations_plan_is_not_found(
        self, client, planner, plan, other_organisation, name
    ):
        ObjectiveFactory(plan=plan, text="Ours")
        foreign = PlanFactory(organisation=other_organisation)
        client.force_login(planner)
        response = client.get(reverse(name), {"plan": foreign.pk})
        assert response.status_code == 404
        assert "Ours" not in response.content.decode(errors="replace")

    def test_a_malformed_filter_is_a_bad_request_that_says_why(self, client, planner, plan):
        client.force_login(planner)
        response = client.get(reverse("objectives:export_csv"), {"due_from": "2006-02-30"})
        assert response.status_code == 400
        assert "due_from" in response.content.decode()

    def test_own_plan_still_filters(self, client, planner, plan, organisation):
        ObjectiveFactory(plan=plan, text="Ours")
        ObjectiveFactory(plan=PlanFactory(organisation=organisation), text="Other plan")
        client.force_login(planner)
        body = client.get(reverse("objectives:export_csv"), {"plan": plan.pk}).content.decode()
        assert "Ours" in body and "Other plan" not in body

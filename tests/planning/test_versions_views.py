"""The refresh page, the comparison page and the version history on the plan's pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from objectives.models import Objective
from planning import idempotency, lifecycle, versions
from planning.models import Plan, PlanStatus, PlanVersion
from tests.factories import MilestoneFactory, ObjectiveFactory, PlanFactory


def _refresh_url(plan):
    return reverse("planning:plan_step", args=[plan.slug, "refresh"])


def _compare_url(plan):
    return reverse("planning:plan_versions", args=[plan.slug])


def _fresh(plan):
    return Plan.objects.get(pk=plan.pk)


def _ratified(organisation, **fields):
    values = {
        "status": PlanStatus.RATIFIED,
        "version_label": "4.0",
        "ratified_by": "CCG Governing Body",
        "date_ratified": dt.date(2020, 1, 1),
        "board_minute_reference": "GB/2020/7",
    }
    return PlanFactory(organisation=organisation, **(values | fields))


def _post(client, plan, **data):
    values = {"version": plan.version, "submission_token": idempotency.new_token()}
    return client.post(_refresh_url(plan), values | data)


@pytest.mark.django_db
class TestRefreshPage:
    def test_the_status_panel_offers_a_refresh_of_a_ratified_plan(
        self, client, organisation, planner
    ):
        plan = _ratified(organisation)
        client.force_login(planner)
        body = client.get(plan.get_absolute_url()).content.decode()
        assert _refresh_url(plan) in body
        assert "Start a refresh" in body

    def test_the_page_suggests_the_next_label_and_starts_the_refresh(
        self, client, organisation, planner
    ):
        plan = _ratified(organisation)
        client.force_login(planner)
        page = client.get(_refresh_url(plan))
        assert page.status_code == 200
        assert "Leave it blank for version 4.1" in page.content.decode()
        response = _post(client, plan)
        assert response.status_code == 302
        saved = _fresh(plan)
        assert (saved.status, saved.version_label) == (PlanStatus.DRAFT, "4.1")
        body = client.get(plan.get_absolute_url()).content.decode()
        assert "The refresh has started" in body
        # The status history names the new version.
        assert "Refresh started: a new draft version" in body
        assert "Version 4.1" in body

    def test_a_label_already_used_is_refused_on_its_field(self, client, organisation, planner):
        plan = _ratified(organisation)
        client.force_login(planner)
        response = _post(client, plan, label="4.0")
        assert response.status_code == 400
        body = response.content.decode()
        assert "nhsuk-error-summary" in body
        assert "Version 4.0 of this plan already exists" in body
        assert _fresh(plan).status == PlanStatus.RATIFIED
        assert not PlanVersion.objects.filter(plan=plan).exists()

    def test_a_plan_that_is_not_ratified_is_refused(self, client, organisation, planner):
        plan = _ratified(organisation, status=PlanStatus.DRAFT)
        client.force_login(planner)
        assert "cannot be taken from the plan's current status" in (
            client.get(_refresh_url(plan)).content.decode()
        )
        response = _post(client, plan)
        assert response.status_code == 400
        assert "only a ratified plan starts a refresh" in response.content.decode()
        assert _fresh(plan).version_label == "4.0"

    def test_a_stale_page_is_refused(self, client, organisation, planner):
        plan = _ratified(organisation)
        client.force_login(planner)
        response = _post(client, plan, version=plan.version - 1)
        assert response.status_code == 409
        assert _fresh(plan).status == PlanStatus.RATIFIED

    def test_a_contributor_gets_403_and_another_organisation_404(
        self, client, organisation, contributor, outsider
    ):
        plan = _ratified(organisation)
        client.force_login(contributor)
        assert _post(client, plan).status_code == 403
        client.force_login(outsider)
        assert _post(client, plan).status_code == 404
        assert _fresh(plan).status == PlanStatus.RATIFIED


def _plan_with_versions(organisation, planner, size: int) -> Plan:
    """A plan frozen at 4.0, refreshed to a 4.1 draft in which every item changed, one was
    added and one removed, with a milestone per item."""
    plan = _ratified(organisation, slug=f"versions-{size}")
    items = [ObjectiveFactory(plan=plan, reference=f"R{n}", text=f"Item {n}") for n in range(size)]
    for item in items:
        MilestoneFactory(objective=item)
    removed = ObjectiveFactory(plan=plan, reference="GONE", text="Dropped")
    plan = lifecycle.start_refresh(plan=plan, by=planner, expected_version=plan.version)
    Objective.objects.filter(plan=plan).exclude(pk=removed.pk).update(text="Changed")
    removed.delete()
    ObjectiveFactory(plan=plan, reference="ADDED", text="Added later")
    return _fresh(plan)


@pytest.mark.django_db
class TestComparisonPage:
    def test_opens_on_the_draft_against_the_ratified_version(self, client, organisation, planner):
        plan = _plan_with_versions(organisation, planner, 2)
        client.force_login(planner)
        response = client.get(_compare_url(plan))
        assert response.status_code == 200
        body = response.content.decode()
        assert "Version 4.0 (ratified) compared with Version 4.1 as it is now (draft)" in body
        assert "1 added, 1 removed, 2 changed" in body
        assert '<th scope="col" class="nhsuk-table__header">Before</th>' in body
        assert "Item 0" in body and "Changed" in body and "Added later" in body
        assert "Dropped" in body

    def test_a_board_member_may_compare(self, client, organisation, planner, viewer):
        plan = _plan_with_versions(organisation, planner, 1)
        client.force_login(viewer)
        assert client.get(_compare_url(plan)).status_code == 200

    def test_chosen_versions_and_a_bad_choice(self, client, organisation, planner):
        plan = _plan_with_versions(organisation, planner, 1)
        frozen = PlanVersion.objects.get(plan=plan)
        client.force_login(planner)
        same = client.get(_compare_url(plan), {"before": frozen.pk, "after": frozen.pk})
        assert "These are the same version" in same.content.decode()
        bad = client.get(_compare_url(plan), {"before": "999999", "after": versions.CURRENT})
        assert bad.status_code == 400
        assert "Choose one of this plan&#x27;s versions" in bad.content.decode()

    def test_another_organisation_gets_404(self, client, organisation, planner, outsider):
        plan = _plan_with_versions(organisation, planner, 1)
        client.force_login(outsider)
        assert client.get(_compare_url(plan)).status_code == 404

    def test_a_plan_with_one_version_says_so(self, client, plan, planner):
        client.force_login(planner)
        body = client.get(_compare_url(plan)).content.decode()
        assert "There is only one version of this plan so far" in body

    def test_the_same_queries_at_ten_times_the_size(
        self, client, organisation, planner, django_assert_max_num_queries
    ):
        small = _plan_with_versions(organisation, planner, 3)
        large = _plan_with_versions(organisation, planner, 30)
        client.force_login(planner)
        client.get(_compare_url(small))  # the session and memberships, once
        with django_assert_max_num_queries(60) as captured:
            assert client.get(_compare_url(small)).status_code == 200
        with django_assert_max_num_queries(len(captured.captured_queries)):
            response = client.get(_compare_url(large))
        assert "1 added, 1 removed, 30 changed" in response.content.decode()


@pytest.mark.django_db
class TestVersionHistoryOnPlanPages:
    def test_plan_page_and_details_page_list_the_versions(self, client, organisation, planner):
        plan = _ratified(organisation)
        plan = _fresh(lifecycle.start_refresh(plan=plan, by=planner, expected_version=plan.version))
        client.force_login(planner)
        for url in (plan.get_absolute_url(), reverse("planning:plan_details", args=[plan.slug])):
            body = client.get(url).content.decode()
            assert "Version history" in body
            assert "CCG Governing Body, 1 January 2020" in body
            assert "GB/2020/7" in body
            assert _compare_url(plan) in body

    def test_a_plan_ratified_before_versions_were_kept_shows_its_own_record(
        self, client, organisation, viewer
    ):
        plan = _ratified(organisation)
        client.force_login(viewer)
        body = client.get(plan.get_absolute_url()).content.decode()
        assert "Version history" in body
        assert "4.0" in body and "GB/2020/7" in body

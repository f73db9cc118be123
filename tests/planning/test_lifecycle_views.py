"""The plan status panel, the lifecycle step pages, the details page and the PDF cover's status."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from planning import idempotency, lifecycle
from planning.forms_lifecycle import PlanDetailsForm
from planning.models import Plan, PlanStatus
from reporting.documents.assemble import html_for
from reporting.documents.spec import DocumentSpec, Kind
from tests.factories import PlanFactory


def _step_url(plan, step):
    return reverse("planning:plan_step", args=[plan.slug, step])


def _details_url(plan):
    return reverse("planning:plan_details", args=[plan.slug])


def _fresh(plan):
    return Plan.objects.get(pk=plan.pk)


def _details(plan, **changes):
    data = {
        "title": plan.title,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "version_label": "4.0",
        "director_sponsor": "Director of Finance",
        "author": "Corporate business manager",
        "date_issued": "2006-04-01",
        "review_date": "2007-03-31",
        "target_audience": "All staff",
        "aim": plan.aim,
        "vision": plan.vision,
        "core_purpose": plan.core_purpose,
        "reporting_working_days": plan.reporting_working_days,
        "version": plan.version,
    }
    return data | changes


def _as_it_is(plan, **changes):
    """The details form as the page fills it in for `plan`, with `changes`."""
    data = {
        name: "" if value is None else value
        for name in PlanDetailsForm.Meta.fields
        for value in [getattr(plan, name)]
    }
    data["version"] = plan.version
    return data | changes


@pytest.mark.django_db
class TestStatusPanel:
    def test_a_planner_sees_submit_and_the_details_link(self, client, plan, planner):
        client.force_login(planner)
        body = client.get(plan.get_absolute_url()).content.decode()
        assert "Plan status" in body
        assert _step_url(plan, "submit") in body
        assert _details_url(plan) in body
        assert _step_url(plan, "approve") not in body

    def test_a_board_member_sees_no_panel(self, client, plan, viewer):
        client.force_login(viewer)
        body = client.get(plan.get_absolute_url()).content.decode()
        assert "Plan status" not in body

    def test_an_administrator_sees_approve_and_the_send_back_form(
        self, client, organisation, org_admin
    ):
        plan = PlanFactory(organisation=organisation, status=PlanStatus.SUBMITTED)
        client.force_login(org_admin)
        body = client.get(plan.get_absolute_url()).content.decode()
        assert _step_url(plan, "approve") in body
        assert f'action="{_step_url(plan, "send_back")}"' in body
        assert "Why is it being sent back?" in body

    def test_the_query_count_does_not_grow_with_the_history(
        self, client, organisation, planner, org_admin
    ):
        def count(plan):
            client.force_login(org_admin)
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(plan.get_absolute_url()).status_code == 200
            return len(ctx)

        def cycle(plan, times):
            for _ in range(times):
                plan = lifecycle.submit(plan=plan, by=planner, expected_version=plan.version)
                plan = lifecycle.send_back(
                    plan=plan, by=org_admin, expected_version=plan.version, reason="Again"
                )
            return plan

        small = cycle(PlanFactory(organisation=organisation), 1)
        large = cycle(PlanFactory(organisation=organisation), 6)
        assert len(lifecycle.transitions(large)) == 12
        assert count(small) == count(large)


@pytest.mark.django_db
class TestStepPages:
    def test_submit_approve_ratify_through_the_pages(self, client, plan, planner, org_admin):
        client.force_login(planner)
        response = client.post(_step_url(plan, "submit"), {"version": plan.version})
        assert response.status_code == 302
        plan = _fresh(plan)
        client.force_login(org_admin)
        response = client.post(
            _step_url(plan, "approve"),
            {
                "version": plan.version,
                "approved_by": "Executive team",
                "date_approved": "2026-01-05",
            },
        )
        assert response.status_code == 302
        plan = _fresh(plan)
        response = client.post(
            _step_url(plan, "ratify"),
            {
                "version": plan.version,
                "ratified_by": "Trust Board",
                "date_ratified": "2026-01-20",
                "board_minute_reference": "TB/26/07",
            },
        )
        assert response.status_code == 302
        saved = _fresh(plan)
        assert saved.status == PlanStatus.RATIFIED
        assert saved.board_minute_reference == "TB/26/07"
        body = client.get(plan.get_absolute_url()).content.decode()
        assert "TB/26/07" in body  # document control and the status history
        assert "Ratified by the board" in body
        assert _details_url(plan) not in body  # locked: nothing to edit

    def test_the_wrong_state_is_refused_with_a_message_and_nothing_saved(
        self, client, plan, org_admin
    ):
        client.force_login(org_admin)
        response = client.post(
            _step_url(plan, "ratify"),
            {
                "version": plan.version,
                "ratified_by": "Trust Board",
                "date_ratified": "2026-01-20",
                "board_minute_reference": "TB/26/07",
            },
        )
        assert response.status_code == 400
        assert "cannot be ratified" in response.content.decode()
        saved = _fresh(plan)
        assert (saved.status, saved.ratified_by) == (PlanStatus.DRAFT, "")

    def test_a_missing_field_is_shown_next_to_it(self, client, organisation, org_admin):
        plan = PlanFactory(organisation=organisation, status=PlanStatus.APPROVED)
        client.force_login(org_admin)
        response = client.post(
            _step_url(plan, "ratify"),
            {"version": plan.version, "ratified_by": "Trust Board", "date_ratified": "2026-01-20"},
        )
        assert response.status_code == 400
        body = response.content.decode()
        assert "nhsuk-error-summary" in body and "Enter the board minute reference." in body
        assert _fresh(plan).status == PlanStatus.APPROVED

    def test_a_stale_page_is_refused(self, client, plan, planner):
        client.force_login(planner)
        response = client.post(_step_url(plan, "submit"), {"version": plan.version - 1})
        assert response.status_code == 409
        assert _fresh(plan).status == PlanStatus.DRAFT

    def test_send_back_from_the_panel_shows_the_reason_to_the_planner(
        self, client, organisation, planner, org_admin
    ):
        plan = PlanFactory(organisation=organisation, status=PlanStatus.SUBMITTED)
        client.force_login(org_admin)
        response = client.post(
            _step_url(plan, "send_back"),
            {"version": plan.version, "reason": "Add the estates savings"},
        )
        assert response.status_code == 302
        assert _fresh(plan).status == PlanStatus.DRAFT
        client.force_login(planner)
        body = client.get(plan.get_absolute_url()).content.decode()
        assert "Add the estates savings" in body

    def test_a_double_post_takes_the_step_once(self, client, plan, planner):
        client.force_login(planner)
        token = idempotency.new_token()
        data = {"version": plan.version, "submission_token": token}
        assert client.post(_step_url(plan, "submit"), data).status_code == 302
        assert client.post(_step_url(plan, "submit"), data).status_code == 302
        assert len(lifecycle.transitions(plan)) == 1

    def test_a_planner_is_told_who_may_approve(self, client, organisation, planner):
        plan = PlanFactory(organisation=organisation, status=PlanStatus.SUBMITTED)
        client.force_login(planner)
        response = client.post(
            _step_url(plan, "approve"),
            {"version": plan.version, "approved_by": "Me", "date_approved": "2026-01-05"},
        )
        assert response.status_code == 403
        assert "Only an administrator can approve a plan." in response.content.decode()
        assert _fresh(plan).status == PlanStatus.SUBMITTED

    def test_an_unknown_step_is_404(self, client, plan, org_admin):
        client.force_login(org_admin)
        assert client.get(_step_url(plan, "supersede")).status_code == 404
        assert client.get(_step_url(plan, "delete")).status_code == 404


@pytest.mark.django_db
class TestDetailsPage:
    def test_a_planner_saves_the_details_audited(self, client, plan, planner):
        client.force_login(planner)
        response = client.post(_details_url(plan), _details(plan, title="Business Plan"))
        assert response.status_code == 302
        saved = _fresh(plan)
        assert (saved.title, saved.version_label, saved.target_audience) == (
            "Business Plan",
            "4.0",
            "All staff",
        )
        assert saved.review_date == dt.date(2007, 3, 31)
        assert saved.history.latest().history_user == planner

    def test_bad_input_is_shown_and_nothing_saved(self, client, plan, planner):
        client.force_login(planner)
        response = client.post(
            _details_url(plan), _details(plan, title="", end_year=plan.start_year - 1)
        )
        assert response.status_code == 400
        body = response.content.decode()
        assert "nhsuk-error-summary" in body
        saved = _fresh(plan)
        assert (saved.title, saved.version_label) == (plan.title, "")

    def test_a_stale_edit_is_refused(self, client, plan, planner):
        client.force_login(planner)
        response = client.post(_details_url(plan), _details(plan, version=plan.version + 3))
        assert response.status_code == 409
        assert _fresh(plan).version_label == ""

    def test_a_ratified_plan_is_refused(self, client, organisation, planner):
        plan = PlanFactory(organisation=organisation, status=PlanStatus.RATIFIED)
        client.force_login(planner)
        assert "content is locked" in client.get(_details_url(plan)).content.decode()
        response = client.post(_details_url(plan), _details(plan, title="Changed"))
        assert response.status_code == 400
        assert "Start a refresh" in response.content.decode()
        assert _fresh(plan).title == plan.title

    def test_the_reporting_deadline_and_aim_are_saved_audited(self, client, plan, planner):
        client.force_login(planner)
        data = _details(plan, reporting_working_days="20", aim="Care closer to home")
        assert client.post(_details_url(plan), data).status_code == 302
        saved = _fresh(plan)
        assert (saved.reporting_working_days, saved.aim) == (20, "Care closer to home")
        assert saved.history.latest().history_user == planner
        page = client.get(_details_url(saved)).content.decode()
        assert 'name="reporting_working_days"' in page
        assert 'value="20"' in page

    @pytest.mark.parametrize("days", ["0", "61", "-3", "15.5", "fifteen", ""])
    def test_a_bad_reporting_deadline_is_shown_and_nothing_saved(self, client, plan, planner, days):
        client.force_login(planner)
        response = client.post(_details_url(plan), _details(plan, reporting_working_days=days))
        assert response.status_code == 400
        body = response.content.decode()
        assert "nhsuk-error-summary" in body
        assert "#id_reporting_working_days" in body
        assert _fresh(plan).reporting_working_days == 15
        assert _fresh(plan).version == plan.version

    def test_a_ratified_plans_reporting_deadline_may_still_change(
        self, client, organisation, planner
    ):
        """The deadline is the calendar, not the plan's content: a board's late meeting can
        move it after ratification. The content stays locked."""
        plan = PlanFactory(organisation=organisation, status=PlanStatus.RATIFIED)
        client.force_login(planner)
        response = client.post(_details_url(plan), _as_it_is(plan, reporting_working_days="25"))
        assert response.status_code == 302
        saved = _fresh(plan)
        assert saved.reporting_working_days == 25
        response = client.post(
            _details_url(saved), _as_it_is(saved, reporting_working_days="30", aim="Changed")
        )
        assert response.status_code == 400
        assert "Start a refresh" in response.content.decode()
        assert (_fresh(plan).reporting_working_days, _fresh(plan).aim) == (25, plan.aim)

    def test_the_page_runs_a_constant_number_of_queries(self, client, organisation, planner):
        def count(plan):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(_details_url(plan)).status_code == 200
            return len(ctx)

        client.force_login(planner)
        plain = PlanFactory(organisation=organisation)
        full = PlanFactory(organisation=organisation, approved_by="Executive team")
        for _ in range(5):
            full = lifecycle.submit(plan=full, by=planner, expected_version=full.version)
            full.status = PlanStatus.DRAFT
            full.save()
        assert count(plain) == count(full)


@pytest.mark.django_db
class TestPdfCover:
    @pytest.mark.parametrize("status", list(PlanStatus))
    def test_the_draft_mark_appears_exactly_when_not_ratified(self, organisation, status):
        plan = PlanFactory(organisation=organisation, status=status)
        html = html_for(DocumentSpec(Kind.PLAN, plan_id=plan.pk))
        assert f"Status: {PlanStatus(status).label}" in html
        ratified = status in (PlanStatus.RATIFIED, PlanStatus.SUPERSEDED)
        assert ("DRAFT" in html) is not ratified
        assert ("Superseded: a newer version" in html) is (status == PlanStatus.SUPERSEDED)

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from planning import lifecycle
from planning.concurrency import StaleEditError
from planning.models import Plan, PlanStatus
from planning.permissions import PlanStep
from tests.factories import PlanFactory

TODAY = dt.date(2026, 11, 26)


def _fresh(plan) -> Plan:
    return Plan.objects.get(pk=plan.pk)


def _approve(plan, by, **extra):
    values = {"approved_by": "Executive team", "date_approved": dt.date(2026, 11, 1)}
    return lifecycle.approve(
        plan=plan, by=by, expected_version=plan.version, today=TODAY, **(values | extra)
    )


def _ratify(plan, by, **extra):
    values = {
        "ratified_by": "Trust Board",
        "date_ratified": dt.date(2026, 11, 20),
        "board_minute_reference": "TB/2026/114",
    }
    return lifecycle.ratify(
        plan=plan, by=by, expected_version=plan.version, today=TODAY, **(values | extra)
    )


@pytest.mark.django_db
class TestRequireEditable:
    @pytest.mark.parametrize(
        "status", [PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.APPROVED]
    )
    def test_plans_before_ratification_may_change(self, status):
        plan = PlanFactory(status=status)
        lifecycle.require_editable(plan)
        assert lifecycle.is_editable(plan)

    @pytest.mark.parametrize("status", [PlanStatus.RATIFIED, PlanStatus.SUPERSEDED])
    def test_ratified_and_superseded_plans_are_locked_with_a_way_on(self, status):
        plan = PlanFactory(status=status)
        with pytest.raises(ValidationError, match="Start a refresh"):
            lifecycle.require_editable(plan)


@pytest.mark.django_db
class TestTheBoardsPath:
    def test_draft_to_ratified_records_who_when_and_the_minute(self, plan, planner, org_admin):
        plan = lifecycle.submit(plan=plan, by=planner, expected_version=plan.version)
        assert _fresh(plan).status == PlanStatus.SUBMITTED
        plan = _approve(plan, org_admin)
        assert _fresh(plan).status == PlanStatus.APPROVED
        plan = _ratify(plan, org_admin)
        saved = _fresh(plan)
        assert saved.status == PlanStatus.RATIFIED
        assert (saved.approved_by, saved.date_approved) == ("Executive team", dt.date(2026, 11, 1))
        assert (saved.ratified_by, saved.date_ratified, saved.board_minute_reference) == (
            "Trust Board",
            dt.date(2026, 11, 20),
            "TB/2026/114",
        )
        with pytest.raises(ValidationError, match="Start a refresh"):
            lifecycle.require_editable(saved)

    def test_each_step_is_audited_with_who_and_what(self, plan, planner, org_admin):
        plan = lifecycle.submit(plan=plan, by=planner, expected_version=plan.version)
        plan = _approve(plan, org_admin)
        rows = lifecycle.transitions(plan)
        assert [(r.history_change_reason, r.history_user) for r in rows] == [
            ("Approved", org_admin),
            ("Submitted for approval", planner),
        ]

    def test_each_step_raises_the_version(self, plan, planner):
        before = plan.version
        lifecycle.submit(plan=plan, by=planner, expected_version=before)
        assert _fresh(plan).version == before + 1


@pytest.mark.django_db
class TestWrongRole:
    @pytest.mark.parametrize("role", ["viewer", "contributor"])
    def test_only_planners_and_administrators_submit(self, plan, role, request):
        user = request.getfixturevalue(role)
        with pytest.raises(PermissionDenied, match="planner or an administrator"):
            lifecycle.submit(plan=plan, by=user, expected_version=plan.version)
        assert _fresh(plan).status == PlanStatus.DRAFT

    def test_an_administrator_may_submit(self, plan, org_admin):
        lifecycle.submit(plan=plan, by=org_admin, expected_version=plan.version)
        assert _fresh(plan).status == PlanStatus.SUBMITTED

    def test_a_planner_cannot_approve_ratify_or_send_back(self, planner):
        submitted = PlanFactory(
            organisation=planner.memberships.get().organisation, status=PlanStatus.SUBMITTED
        )
        with pytest.raises(PermissionDenied, match="Only an administrator can approve"):
            _approve(submitted, planner)
        with pytest.raises(PermissionDenied, match="send a plan back"):
            lifecycle.send_back(
                plan=submitted, by=planner, expected_version=submitted.version, reason="No"
            )
        approved = PlanFactory(organisation=submitted.organisation, status=PlanStatus.APPROVED)
        with pytest.raises(PermissionDenied, match="ratification"):
            _ratify(approved, planner)
        assert _fresh(submitted).status == PlanStatus.SUBMITTED
        assert _fresh(approved).status == PlanStatus.APPROVED

    def test_an_administrator_of_another_organisation_may_not(self, plan, other_organisation):
        from tests.conftest import _member

        stranger = _member(other_organisation, "admin")
        plan.status = PlanStatus.SUBMITTED
        plan.save()
        with pytest.raises(PermissionDenied):
            _approve(plan, stranger)
        assert _fresh(plan).status == PlanStatus.SUBMITTED


@pytest.mark.django_db
class TestWrongState:
    @pytest.mark.parametrize(
        ("step", "allowed"),
        [
            (PlanStep.SUBMIT, {PlanStatus.DRAFT}),
            (PlanStep.APPROVE, {PlanStatus.SUBMITTED}),
            (PlanStep.RATIFY, {PlanStatus.APPROVED}),
            (PlanStep.SEND_BACK, {PlanStatus.SUBMITTED, PlanStatus.APPROVED}),
        ],
    )
    def test_a_step_from_any_other_status_is_refused_and_saves_nothing(
        self, organisation, org_admin, step, allowed
    ):
        take = {
            PlanStep.SUBMIT: lambda p: lifecycle.submit(
                plan=p, by=org_admin, expected_version=p.version
            ),
            PlanStep.APPROVE: lambda p: _approve(p, org_admin),
            PlanStep.RATIFY: lambda p: _ratify(p, org_admin),
            PlanStep.SEND_BACK: lambda p: lifecycle.send_back(
                plan=p, by=org_admin, expected_version=p.version, reason="Not ready"
            ),
        }[step]
        for status in set(PlanStatus) - allowed:
            plan = PlanFactory(organisation=organisation, status=status)
            with pytest.raises(ValidationError, match="cannot be"):
                take(plan)
            saved = _fresh(plan)
            assert (saved.status, saved.version) == (status, plan.version)
        for status in allowed:
            plan = PlanFactory(organisation=organisation, status=status)
            take(plan)
            assert _fresh(plan).status == lifecycle.STEPS[step].target

    def test_a_stale_page_is_refused(self, plan, planner):
        with pytest.raises(StaleEditError):
            lifecycle.submit(plan=plan, by=planner, expected_version=plan.version - 1)
        assert _fresh(plan).status == PlanStatus.DRAFT


@pytest.mark.django_db
class TestBadInput:
    def test_approval_needs_who_and_a_past_date(self, organisation, org_admin):
        plan = PlanFactory(organisation=organisation, status=PlanStatus.SUBMITTED)
        with pytest.raises(ValidationError) as error:
            _approve(plan, org_admin, approved_by=" ")
        assert "approved_by" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            _approve(plan, org_admin, date_approved=TODAY + dt.timedelta(days=1))
        assert "date_approved" in error.value.message_dict
        assert _fresh(plan).status == PlanStatus.SUBMITTED

    def test_ratification_needs_body_minute_and_a_date_after_approval(
        self, organisation, org_admin
    ):
        plan = PlanFactory(
            organisation=organisation,
            status=PlanStatus.APPROVED,
            approved_by="Executive team",
            date_approved=dt.date(2026, 11, 1),
        )
        with pytest.raises(ValidationError) as error:
            _ratify(plan, org_admin, ratified_by="", board_minute_reference="")
        assert set(error.value.message_dict) == {"ratified_by", "board_minute_reference"}
        with pytest.raises(ValidationError, match="approved on 1 November 2026"):
            _ratify(plan, org_admin, date_ratified=dt.date(2026, 10, 31))
        saved = _fresh(plan)
        assert (saved.status, saved.ratified_by) == (PlanStatus.APPROVED, "")


@pytest.mark.django_db
class TestSendBack:
    @pytest.mark.parametrize("status", [PlanStatus.SUBMITTED, PlanStatus.APPROVED])
    def test_back_to_draft_with_the_reason_and_the_approval_cleared(
        self, organisation, org_admin, status
    ):
        plan = PlanFactory(
            organisation=organisation,
            status=status,
            approved_by="Executive team",
            date_approved=dt.date(2026, 11, 1),
        )
        lifecycle.send_back(
            plan=plan, by=org_admin, expected_version=plan.version, reason="Add Q3 savings"
        )
        saved = _fresh(plan)
        assert saved.status == PlanStatus.DRAFT
        assert saved.sent_back_reason == "Add Q3 savings"
        assert (saved.approved_by, saved.date_approved) == ("", None)
        assert lifecycle.transitions(saved)[0].history_change_reason == "Sent back to draft"

    def test_a_reason_is_required(self, organisation, org_admin):
        plan = PlanFactory(organisation=organisation, status=PlanStatus.SUBMITTED)
        with pytest.raises(ValidationError) as error:
            lifecycle.send_back(plan=plan, by=org_admin, expected_version=plan.version, reason="")
        assert "reason" in error.value.message_dict
        assert _fresh(plan).status == PlanStatus.SUBMITTED

    def test_resubmitting_clears_the_reason_but_history_keeps_it(self, organisation, org_admin):
        plan = PlanFactory(organisation=organisation, status=PlanStatus.SUBMITTED)
        plan = lifecycle.send_back(
            plan=plan, by=org_admin, expected_version=plan.version, reason="Missing KPIs"
        )
        plan = lifecycle.submit(plan=plan, by=org_admin, expected_version=plan.version)
        assert _fresh(plan).sent_back_reason == ""
        assert plan.history.filter(sent_back_reason="Missing KPIs").exists()


@pytest.mark.django_db
class TestAvailableSteps:
    @pytest.mark.parametrize(
        ("status", "role", "steps"),
        [
            (PlanStatus.DRAFT, "planner", [PlanStep.SUBMIT]),
            (PlanStatus.DRAFT, "contributor", []),
            (PlanStatus.SUBMITTED, "planner", []),
            (PlanStatus.SUBMITTED, "org_admin", [PlanStep.APPROVE, PlanStep.SEND_BACK]),
            (PlanStatus.APPROVED, "org_admin", [PlanStep.RATIFY, PlanStep.SEND_BACK]),
            (PlanStatus.RATIFIED, "org_admin", [PlanStep.REFRESH]),
            (PlanStatus.RATIFIED, "planner", [PlanStep.REFRESH]),
            (PlanStatus.RATIFIED, "contributor", []),
            (PlanStatus.SUPERSEDED, "org_admin", []),
        ],
    )
    def test_buttons_follow_role_and_status(self, organisation, request, status, role, steps):
        user = request.getfixturevalue(role)
        plan = PlanFactory(organisation=organisation, status=status)
        assert lifecycle.available_steps(user, plan) == steps

"""A plan's life (draft → submitted → approved → ratified → refreshed to a new draft version)
and what it allows.

Content edits go through `require_editable`, in the service layer, so a ratified plan is locked
whatever page or command asks, not only hidden in the page. Who may take each step is
planning.permissions' rule (`PlanStep`, `STEP_ACTIONS`); from which status each step may be
taken is this module's (`STEPS`). Every step is keyword-only, transactional, version-checked
(Plan.version, planning.concurrency.lock_at_version) and audited (the plan's simple-history row
carries the step as its change reason). Ratifying freezes the plan's content as a version
(planning.versions); starting a refresh makes the ratified plan the next version's draft.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from planning import content_diff, idempotency, permissions, plan_content, versions
from planning.concurrency import lock_at_version
from planning.models import Plan, PlanStatus
from planning.permissions import PlanStep

# Ratified plans are the record of what the board agreed: changed only by starting a refresh
# (a new draft version). Progress updates and measurements carry on. Superseded is kept for
# plans marked so before versions were snapshots (planning.versions): a version is superseded
# now, not a plan.
LOCKED_STATUSES = frozenset({PlanStatus.RATIFIED, PlanStatus.SUPERSEDED})

STALE_PLAN = (
    "Somebody else changed this plan's status or details after you opened the page. Nothing "
    "was saved: check the plan as it is now, then try again."
)


def is_editable(plan: Plan) -> bool:
    return plan.status not in LOCKED_STATUSES


def require_editable(plan: Plan) -> None:
    """ValidationError (nothing saved) when the plan's content is locked."""
    if not is_editable(plan):
        raise ValidationError(
            f"{plan} is {PlanStatus(plan.status).label.lower()}: its content is locked. "
            "Start a refresh to make a new draft version, and change that.",
            code="plan_locked",
        )


@dataclass(frozen=True)
class Step:
    sources: frozenset[PlanStatus]
    target: PlanStatus
    # The plan's history row says this (simple-history's change reason, at most 100 characters).
    history: str
    # "… it cannot be {refused}": the wrong-state message.
    refused: str


STEPS: dict[PlanStep, Step] = {
    PlanStep.SUBMIT: Step(
        frozenset({PlanStatus.DRAFT}),
        PlanStatus.SUBMITTED,
        "Submitted for approval",
        "submitted: only a draft can be submitted for approval",
    ),
    PlanStep.APPROVE: Step(
        frozenset({PlanStatus.SUBMITTED}),
        PlanStatus.APPROVED,
        "Approved",
        "approved: only a plan submitted for approval can be approved",
    ),
    PlanStep.RATIFY: Step(
        frozenset({PlanStatus.APPROVED}),
        PlanStatus.RATIFIED,
        "Ratified by the board",
        "ratified: only an approved plan can be ratified",
    ),
    PlanStep.SEND_BACK: Step(
        frozenset({PlanStatus.SUBMITTED, PlanStatus.APPROVED}),
        PlanStatus.DRAFT,
        "Sent back to draft",
        "sent back: only a submitted or approved plan can be sent back to draft "
        "(a ratified plan changes by a refresh)",
    ),
    PlanStep.REFRESH: Step(
        frozenset({PlanStatus.RATIFIED}),
        PlanStatus.DRAFT,
        "Refresh started: a new draft version",
        "refreshed: only a ratified plan starts a refresh (a plan that is not ratified is "
        "changed as it is)",
    ),
}

# The steps a page offers as buttons.
PAGE_STEPS = (
    PlanStep.SUBMIT,
    PlanStep.APPROVE,
    PlanStep.RATIFY,
    PlanStep.SEND_BACK,
    PlanStep.REFRESH,
)


def available_steps(user, plan: Plan) -> list[PlanStep]:
    """The steps this user may take on the plan as it stands (for the plan's status panel)."""
    return [
        step
        for step in PAGE_STEPS
        if plan.status in STEPS[step].sources and permissions.may_take_step(user, step, plan)
    ]


def _begin(
    *,
    plan: Plan,
    by,
    step: PlanStep,
    expected_version: int | None,
    submission_token: str = "",
    trusted: bool = False,
) -> Plan:
    """The plan locked at `expected_version`, once `by` may take `step` from its status:
    PermissionDenied, StaleEditError or ValidationError otherwise (nothing written). The form's
    one-time token is stored with the step (a double click takes it once)."""
    if not trusted and not permissions.may_take_step(by, step, plan):
        raise PermissionDenied(permissions.STEP_REFUSALS[step])
    idempotency.consume(submission_token, user=by)
    locked = lock_at_version(
        Plan.objects.select_related("organisation"),
        pk=plan.pk,
        expected_version=expected_version,
        stale_message=STALE_PLAN,
    )
    if locked.status not in STEPS[step].sources:
        label = PlanStatus(locked.status).label.lower()
        raise ValidationError(
            f"This plan is {label}, so it cannot be {STEPS[step].refused}.",
            code="wrong_status",
        )
    return locked


def _finish(locked: Plan, *, by, step: PlanStep) -> Plan:
    locked.status = STEPS[step].target
    locked.full_clean(validate_unique=False)
    locked._history_user = by
    locked._change_reason = STEPS[step].history
    locked.save()
    return locked


@transaction.atomic
def submit(*, plan: Plan, by, expected_version: int, submission_token: str = "") -> Plan:
    """A planner puts the draft forward for approval by the executive team."""
    locked = _begin(
        plan=plan,
        by=by,
        step=PlanStep.SUBMIT,
        expected_version=expected_version,
        submission_token=submission_token,
    )
    locked.sent_back_reason = ""
    return _finish(locked, by=by, step=PlanStep.SUBMIT)


def _check_date(field: str, value: dt.date | None, today: dt.date, what: str) -> None:
    if value is None:
        raise ValidationError({field: f"Enter the date the plan was {what}."})
    if value > today:
        raise ValidationError({field: f"The date the plan was {what} must be today or earlier."})


@transaction.atomic
def approve(
    *,
    plan: Plan,
    by,
    expected_version: int,
    approved_by: str,
    date_approved: dt.date | None,
    today: dt.date | None = None,
    submission_token: str = "",
) -> Plan:
    """An administrator records the executive team's approval (who, and when)."""
    today = today or timezone.localdate()
    locked = _begin(
        plan=plan,
        by=by,
        step=PlanStep.APPROVE,
        expected_version=expected_version,
        submission_token=submission_token,
    )
    approved_by = (approved_by or "").strip()
    if not approved_by:
        raise ValidationError({"approved_by": "Enter who approved the plan, e.g. Executive team."})
    _check_date("date_approved", date_approved, today, "approved")
    locked.approved_by, locked.date_approved = approved_by, date_approved
    return _finish(locked, by=by, step=PlanStep.APPROVE)


@transaction.atomic
def ratify(
    *,
    plan: Plan,
    by,
    expected_version: int,
    ratified_by: str,
    date_ratified: dt.date | None,
    board_minute_reference: str,
    today: dt.date | None = None,
    submission_token: str = "",
) -> Plan:
    """An administrator records the board's ratification: which body, when, and the minute.
    From then on the plan's content is locked (`require_editable`)."""
    today = today or timezone.localdate()
    locked = _begin(
        plan=plan,
        by=by,
        step=PlanStep.RATIFY,
        expected_version=expected_version,
        submission_token=submission_token,
    )
    ratified_by = (ratified_by or "").strip()
    minute = (board_minute_reference or "").strip()
    errors = {}
    if not ratified_by:
        errors["ratified_by"] = "Enter who ratified the plan, e.g. Trust Board."
    if not minute:
        errors["board_minute_reference"] = "Enter the board minute reference."
    if errors:
        raise ValidationError(errors)
    _check_date("date_ratified", date_ratified, today, "ratified")
    if locked.date_approved and date_ratified < locked.date_approved:
        raise ValidationError(
            {
                "date_ratified": f"The plan was approved on {locked.date_approved:%-d %B %Y}: "
                "it cannot have been ratified before that."
            }
        )
    locked.ratified_by, locked.date_ratified = ratified_by, date_ratified
    locked.board_minute_reference = minute
    versions.ensure_label(locked)
    _finish(locked, by=by, step=PlanStep.RATIFY)
    # The ratified content, frozen; the version ratified before it is superseded.
    versions.freeze(locked, by=by)
    return locked


@transaction.atomic
def send_back(
    *, plan: Plan, by, expected_version: int, reason: str, submission_token: str = ""
) -> Plan:
    """An administrator returns a submitted or approved plan to draft, saying why. An approval
    that is sent back no longer stands, so its record is cleared (the history keeps it)."""
    locked = _begin(
        plan=plan,
        by=by,
        step=PlanStep.SEND_BACK,
        expected_version=expected_version,
        submission_token=submission_token,
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the plan is being sent back."})
    locked.sent_back_reason = reason
    locked.approved_by, locked.date_approved = "", None
    return _finish(locked, by=by, step=PlanStep.SEND_BACK)


@transaction.atomic
def start_refresh(
    *,
    plan: Plan,
    by,
    expected_version: int,
    label: str = "",
    submission_token: str = "",
    trusted: bool = False,
) -> Plan:
    """A planner starts the next version of a ratified plan: its ratified content is frozen
    (if it was not at ratification), the NEW marks are cleared (NEW means added since the last
    version), the next label is set (4.0 → 4.1, or `label` as typed; a label already used is
    refused), the approval and ratification are cleared (the history and the frozen version
    keep them) and the plan is a draft again, its content editable. Progress updates and KPI
    measurements are the same records before and after. `trusted`: the command line
    (manage.py import_plan --plan), where there is no user to check."""
    locked = _begin(
        plan=plan,
        by=by,
        step=PlanStep.REFRESH,
        expected_version=expected_version,
        submission_token=submission_token,
        trusted=trusted,
    )
    typed = versions.clean_label(label)
    if versions.frozen_current(locked) is None:
        versions.ensure_label(locked)
        versions.freeze(locked, by=by)
    used = versions.used_labels(locked)
    if typed:
        if typed in used:
            raise ValidationError({"label": versions.label_refusal(typed)}, code="label_taken")
        new_label = typed
    else:
        new_label = content_diff.next_label(locked.version_label, used)
        if new_label is None:
            raise ValidationError(
                {
                    "label": f"Enter the new version's label: Waymark cannot tell what follows "
                    f"“{locked.version_label}”."
                }
            )
    plan_content.clear_new_marks(locked, by=by)
    locked.version_label = new_label
    locked.approved_by, locked.date_approved = "", None
    locked.ratified_by, locked.date_ratified = "", None
    locked.board_minute_reference = ""
    locked.sent_back_reason = ""
    return _finish(locked, by=by, step=PlanStep.REFRESH)


def transitions(plan: Plan) -> list:
    """The plan's lifecycle steps, newest first: its history rows that record a step."""
    reasons = [step.history for step in STEPS.values()]
    return list(
        plan.history.filter(history_change_reason__in=reasons)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


@dataclass
class StatusPanel:
    """The plan page's "Plan status" panel: what this user may do next, and the steps so far."""

    steps: list[PlanStep]
    history: list
    may_edit_details: bool
    # Start next year's plan from this one (planning.rollforward).
    may_roll_forward: bool = False

    @property
    def may_send_back(self) -> bool:
        return PlanStep.SEND_BACK in self.steps

    @property
    def refresh_reason(self) -> str:
        """The history's words for a refresh (its row shows the new version's label)."""
        return STEPS[PlanStep.REFRESH].history


def status_panel(user, plan: Plan) -> StatusPanel | None:
    """For those who run the plan (planners, administrators); None for everyone else. One query
    (the history); the rights come from the memberships cached on the user."""
    may_edit = permissions.has_permission(user, permissions.Action.EDIT_PLAN, plan.organisation_id)
    steps = available_steps(user, plan)
    may_roll = permissions.has_permission(
        user, permissions.Action.ROLL_FORWARD, plan.organisation_id
    )
    if not (may_edit or steps or may_roll):
        return None
    return StatusPanel(
        steps=steps,
        history=transitions(plan),
        may_edit_details=may_edit and is_editable(plan),
        may_roll_forward=may_roll,
    )

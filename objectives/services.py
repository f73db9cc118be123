"""Writes that touch more than one row of the objectives app."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from objectives import rules
from objectives.models import Milestone, Objective, ProgressStatus, ProgressUpdate, UpdateState
from planning import idempotency, lifecycle, reporting_window
from planning.concurrency import lock_at_version
from planning.fy import Quarter

STALE_UPDATE = (
    "Somebody else updated this item after you opened it. Your update was not saved: "
    "read their change, then submit yours again if it still stands."
)


def _updates_since(expected_version: int) -> Callable[[Objective], list[ProgressUpdate]]:
    """The progress updates made since `expected_version`: each raised the version by one."""

    def newer(objective: Objective) -> list[ProgressUpdate]:
        # At most the item's version: a tampered expected_version (say -2**63) must not become
        # a LIMIT the database cannot hold.
        count = max(1, min(objective.version - expected_version, objective.version))
        return list(
            objective.updates.select_related("created_by").order_by("-created_at", "-pk")[:count]
        )

    return newer


def objective_apply_update(*, objective: Objective, update: ProgressUpdate) -> None:
    """Make `update` the item's current progress. The single place progress is copied."""
    objective.status = update.status
    objective.rag = update.rag
    objective.percent_complete = update.percent_complete
    objective.latest_update = update


def objective_recompute(*, objective: Objective) -> None:
    """Make the latest current update the item's progress again (after a correction or a
    withdrawal); with none left, the item is back to not started."""
    latest = (
        ProgressUpdate.objects.filter(objective=objective).order_by("-created_at", "-pk").first()
    )
    if latest is not None:
        objective_apply_update(objective=objective, update=latest)
        return
    objective.status = ProgressStatus.NOT_STARTED
    objective.rag = ""
    objective.percent_complete = 0
    objective.latest_update = None


@transaction.atomic
def progress_update_create(
    *,
    objective: Objective,
    by,
    expected_version: int,
    financial_year: int,
    quarter: int,
    rag: str,
    status: str,
    percent_complete: int,
    narrative: str = "",
    next_steps: str = "",
    evidence_url: str = "",
    today: dt.date | None = None,
    submission_token: str = "",
) -> ProgressUpdate:
    """Record a progress update unless the item changed since `expected_version` was read.

    Raises ValidationError (field → messages) for a broken rule and StaleEditError (its
    ``changes``: the updates made since) for a lost update; in both cases nothing is saved.
    DuplicateSubmission if the form's token was used already (nothing is saved twice).
    """
    idempotency.consume(submission_token, user=by)
    errors = rules.check_update(
        rag=rag,
        status=status,
        percent_complete=percent_complete,
        narrative=narrative,
        financial_year=financial_year,
        quarter=quarter,
        today=today or dt.date.today(),
    )
    if not errors:
        # The period lock (planning.reporting_window): a locked quarter takes no new update.
        refusal = reporting_window.for_plan(objective.plan).refusal(
            Quarter(financial_year, quarter), today or dt.date.today()
        )
        if refusal:
            errors["quarter"] = [refusal]
    if errors:
        raise ValidationError(errors)

    locked = lock_at_version(
        Objective.objects.select_related("plan"),
        pk=objective.pk,
        expected_version=expected_version,
        stale_message=STALE_UPDATE,
        changes=_updates_since(expected_version),
    )

    update = ProgressUpdate(
        objective=locked,
        created_by=by,
        financial_year=financial_year,
        quarter=quarter,
        rag=rag,
        status=status,
        percent_complete=percent_complete,
        narrative=narrative,
        next_steps=next_steps,
        evidence_url=evidence_url,
    )
    # The constraints' rules are rules.check_update's, checked above with the form's words;
    # validating them again here would cost a database query each (Django asks the database
    # to evaluate each CheckConstraint), and the database enforces them on the INSERT anyway.
    update.full_clean(validate_constraints=False)
    update._history_user = by
    update.save()
    objective_apply_update(objective=locked, update=update)
    locked._history_user = by  # simple-history records who made the change
    locked.save(update_fields=["status", "rag", "percent_complete", "latest_update", "version"])
    return update


# --- corrections and withdrawals -------------------------------------------------------------

STALE_CORRECTION = (
    "Somebody else changed this item's progress after you opened this page. Nothing was "
    "saved: read their change, then try again if yours still stands."
)
REASON_NEEDED = "Say why: the reason stays in the history for everybody to read."


def update_refusal(
    update: ProgressUpdate, today: dt.date, calendar: reporting_window.Calendar | None = None
) -> str | None:
    """Why `update` may no longer be corrected or withdrawn, or None if it may. (Who may is
    planning.permissions.can_correct.) `calendar`: the plan's reporting calendar, when the
    caller has it (a list of updates loads it once); otherwise it is read here."""
    if update.state == UpdateState.WITHDRAWN:
        return (
            f"This update was already withdrawn by {update.state_changed_by or 'somebody'} on "
            f"{timezone.localtime(update.state_changed_at):%-d %B %Y}. Nothing was changed."
        )
    if update.state == UpdateState.CORRECTED:
        return (
            "This update has already been corrected: correct or withdraw the correction instead. "
            "Nothing was changed."
        )
    if calendar is None:
        calendar = reporting_window.for_plan(update.objective.plan)
    return calendar.refusal(update.period, today)


def _lock_current_update(update: ProgressUpdate, today: dt.date) -> ProgressUpdate:
    """The update, locked, if it may still be corrected or withdrawn; else ValidationError."""
    # Lock the update's row only: PostgreSQL cannot lock the nullable side of an outer join.
    locked = (
        ProgressUpdate.all_objects.select_for_update(of=("self",))
        .select_related("state_changed_by", "objective__plan")
        .get(pk=update.pk)
    )
    refusal = update_refusal(locked, today)
    if refusal:
        raise ValidationError(refusal)
    return locked


def _save_item(objective: Objective, by) -> None:
    objective_recompute(objective=objective)
    objective._history_user = by
    objective.save(update_fields=["status", "rag", "percent_complete", "latest_update", "version"])


@transaction.atomic
def progress_update_correct(
    *,
    update: ProgressUpdate,
    by,
    expected_version: int,
    reason: str,
    rag: str,
    status: str,
    percent_complete: int,
    narrative: str = "",
    next_steps: str = "",
    evidence_url: str = "",
    today: dt.date | None = None,
    submission_token: str = "",
) -> ProgressUpdate:
    """Replace `update` by a corrected copy for the same quarter, in its place in the history.

    The original stays, marked corrected (by whom, when, why). Refused (ValidationError, nothing
    saved) if it was already corrected or withdrawn, its quarter's reporting window has closed,
    the correction breaks an update rule or no reason is given; StaleEditError if the item's
    progress changed since `expected_version`. Who may correct is the view's question
    (planning.permissions.require_correction).
    """
    today = today or dt.date.today()
    idempotency.consume(submission_token, user=by)
    original = _lock_current_update(update, today)
    errors = rules.check_update(
        rag=rag,
        status=status,
        percent_complete=percent_complete,
        narrative=narrative,
        financial_year=original.financial_year,
        quarter=original.quarter,
        today=today,
    )
    if not reason.strip():
        errors.setdefault("reason", []).append(REASON_NEEDED)
    if errors:
        raise ValidationError(errors)
    objective = lock_at_version(
        Objective.objects.select_related("plan"),
        pk=original.objective_id,
        expected_version=expected_version,
        stale_message=STALE_CORRECTION,
        changes=_updates_since(expected_version),
    )
    correction = ProgressUpdate(
        objective=objective,
        created_by=by,
        created_at=original.created_at,  # takes the original's place in the order
        financial_year=original.financial_year,
        quarter=original.quarter,
        rag=rag,
        status=status,
        percent_complete=percent_complete,
        narrative=narrative,
        next_steps=next_steps,
        evidence_url=evidence_url,
    )
    correction.full_clean(validate_constraints=False)  # as progress_update_create's
    correction._history_user = by
    correction.save()
    _retire(original, by=by, state=UpdateState.CORRECTED, reason=reason, correction=correction)
    _save_item(objective, by)
    return correction


@transaction.atomic
def progress_update_withdraw(
    *,
    update: ProgressUpdate,
    by,
    expected_version: int,
    reason: str,
    today: dt.date | None = None,
    submission_token: str = "",
) -> ProgressUpdate:
    """Withdraw `update`: it stays in the history, marked, and no longer counts; the item's
    progress is recomputed from the updates that remain. Refused as progress_update_correct."""
    today = today or dt.date.today()
    idempotency.consume(submission_token, user=by)
    original = _lock_current_update(update, today)
    if not reason.strip():
        raise ValidationError({"reason": REASON_NEEDED})
    objective = lock_at_version(
        Objective.objects.select_related("plan"),
        pk=original.objective_id,
        expected_version=expected_version,
        stale_message=STALE_CORRECTION,
        changes=_updates_since(expected_version),
    )
    _retire(original, by=by, state=UpdateState.WITHDRAWN, reason=reason)
    _save_item(objective, by)
    return original


def _retire(update: ProgressUpdate, *, by, state: str, reason: str, correction=None) -> None:
    update.state = state
    update.state_changed_at = timezone.now()
    update.state_changed_by = by
    update.state_reason = reason.strip()
    update.correction = correction
    update._history_user = by
    update.save(
        update_fields=[
            "state",
            "state_changed_at",
            "state_changed_by",
            "state_reason",
            "correction",
        ]
    )


# --- milestones ------------------------------------------------------------------------------

STALE_MILESTONE = (
    "Somebody else changed this milestone after you opened the page. Your change was not "
    "saved: read theirs, then make yours again if it still stands."
)


def _check_milestone(*, text: str, due_date: dt.date | None) -> None:
    if not text.strip():
        raise ValidationError({"text": "Enter the milestone: what will be done."})


@transaction.atomic
def milestone_create(
    *,
    objective: Objective,
    by,
    text: str,
    lead_text: str = "",
    due_date: dt.date | None = None,
    submission_token: str = "",
) -> Milestone:
    """Add a milestone at the end of the item's list. Milestones are the plan's content: refused
    on a ratified (or superseded) plan; completing one is delivery, allowed (below)."""
    lifecycle.require_editable(objective.plan)
    idempotency.consume(submission_token, user=by)
    _check_milestone(text=text, due_date=due_date)
    last = Milestone.objects.filter(objective=objective).aggregate(last=Max("order"))["last"]
    milestone = Milestone(
        objective=objective,
        text=text.strip(),
        lead_text=lead_text.strip(),
        due_date=due_date,
        order=0 if last is None else last + 1,
    )
    milestone.full_clean()
    milestone._history_user = by
    milestone.save()
    return milestone


def _locked_milestone(milestone: Milestone, expected_version: int) -> Milestone:
    return lock_at_version(
        Milestone.objects.select_related("objective"),
        pk=milestone.pk,
        expected_version=expected_version,
        stale_message=STALE_MILESTONE,
    )


@transaction.atomic
def milestone_update(
    *,
    milestone: Milestone,
    by,
    expected_version: int,
    text: str,
    lead_text: str = "",
    due_date: dt.date | None = None,
    submission_token: str = "",
) -> Milestone:
    """Edit a milestone's words, lead and due date. A new due date replaces the date as the
    plan wrote it. Refused on a ratified (or superseded) plan, as adding one is."""
    lifecycle.require_editable(milestone.objective.plan)
    idempotency.consume(submission_token, user=by)
    _check_milestone(text=text, due_date=due_date)
    locked = _locked_milestone(milestone, expected_version)
    if due_date != locked.due_date:
        locked.due_text = ""
    locked.text = text.strip()
    locked.lead_text = lead_text.strip()
    locked.due_date = due_date
    locked.full_clean()
    locked._history_user = by
    locked.save()
    return locked


@transaction.atomic
def milestone_set_completed(
    *,
    milestone: Milestone,
    by,
    expected_version: int,
    completed: bool,
    today: dt.date | None = None,
    submission_token: str = "",
) -> Milestone:
    """Complete a milestone (today) or reopen it: delivery, not content, so allowed on a
    ratified plan as progress updates are."""
    idempotency.consume(submission_token, user=by)
    locked = _locked_milestone(milestone, expected_version)
    if completed and locked.completed_on is not None:
        raise ValidationError("This milestone is already complete.")
    if not completed and locked.completed_on is None:
        raise ValidationError("This milestone is not complete, so it cannot be reopened.")
    locked.completed_on = (today or dt.date.today()) if completed else None
    locked._history_user = by
    locked.save()
    return locked

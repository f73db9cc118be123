"""The plan's details and document-control block, as a planner edits them: one version-checked,
audited write. Approval and ratification are recorded by the lifecycle steps
(planning.lifecycle), not here, so they always match the plan's status."""

from __future__ import annotations

from django.db import transaction

from planning import idempotency, lifecycle
from planning.concurrency import lock_at_version
from planning.models import Plan

# What the details page changes (the status and its records belong to planning.lifecycle).
DETAIL_FIELDS = [
    "title",
    "start_year",
    "end_year",
    "version_label",
    "director_sponsor",
    "author",
    "date_issued",
    "review_date",
    "target_audience",
    "aim",
    "vision",
    "core_purpose",
    # The reporting calendar's deadline (planning.reporting_window): not the plan's content,
    # so it may change on a ratified plan too (a late board meeting moves the deadline).
    "reporting_working_days",
]
CALENDAR_FIELDS = {"reporting_working_days"}

STALE_DETAILS = (
    "Somebody else changed this plan's details or status after you opened the page. Your "
    "changes were not saved and nothing was overwritten."
)


@transaction.atomic
def plan_details_update(
    *, plan: Plan, by, expected_version: int, data: dict, submission_token: str = ""
) -> Plan:
    """Save the planner's edit of the details: refused (nothing saved) if the plan changed since
    `expected_version` (StaleEditError), if it changes content of a locked (ratified or
    superseded) plan, or if a value is bad (ValidationError naming the field). The reporting
    deadline alone may change on a locked plan: it is the calendar, not the content."""
    idempotency.consume(submission_token, user=by)
    locked = lock_at_version(
        Plan.objects.select_related("organisation"),
        pk=plan.pk,
        expected_version=expected_version,
        stale_message=STALE_DETAILS,
    )
    changed = set()
    for name in DETAIL_FIELDS:
        if name in data:
            value = data[name]
            value = value.strip() if isinstance(value, str) else value
            if value != getattr(locked, name):
                changed.add(name)
            setattr(locked, name, value)
    if changed - CALENDAR_FIELDS:  # the plan's content: refused once ratified
        lifecycle.require_editable(locked)
    locked.full_clean(validate_unique=False)
    locked._history_user = by
    locked.save()
    return locked


def _date(value) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def approval_rows(plan: Plan) -> list[dict[str, str]]:
    """What the lifecycle recorded, as summary-list rows ("Not recorded" where blank)."""
    rows = [
        ("Approved by", plan.approved_by),
        ("Date approved", _date(plan.date_approved)),
        ("Ratified by", plan.ratified_by),
        ("Date ratified", _date(plan.date_ratified)),
        ("Board minute reference", plan.board_minute_reference),
    ]
    return [{"key": key, "value": value or "Not recorded"} for key, value in rows]

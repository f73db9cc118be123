"""A plan's life (draft → … → ratified → superseded) and what it allows. Content edits go
through `require_editable`, in the service layer, so a ratified plan is locked whatever page or
command asks, not only hidden in the page."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from planning.models import Plan, PlanStatus

# Ratified and superseded plans are the record of what the board agreed: changed only by
# starting a refresh (a new draft version). Progress updates and measurements carry on.
LOCKED_STATUSES = frozenset({PlanStatus.RATIFIED, PlanStatus.SUPERSEDED})


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

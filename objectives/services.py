"""Writes that touch more than one row of the objectives app."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from objectives import rules
from objectives.models import Objective, ProgressUpdate


class StaleEditError(Exception):
    """Somebody else saved the item after this user loaded it: nothing was written."""

    def __init__(self, objective: Objective, newer_updates: list[ProgressUpdate]):
        self.objective = objective
        self.newer_updates = newer_updates
        super().__init__(
            "Somebody else updated this item after you opened it. Your update was not saved: "
            "read their change, then submit yours again if it still stands."
        )


def objective_apply_update(*, objective: Objective, update: ProgressUpdate) -> None:
    """Make `update` the item's current progress. The single place progress is copied."""
    objective.status = update.status
    objective.rag = update.rag
    objective.percent_complete = update.percent_complete
    objective.latest_update = update


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
) -> ProgressUpdate:
    """Record a progress update unless the item changed since `expected_version` was read.

    Raises ValidationError (field → messages) for a broken rule and StaleEditError for a lost
    update; in both cases nothing is saved.
    """
    errors = rules.check_update(
        rag=rag,
        status=status,
        percent_complete=percent_complete,
        narrative=narrative,
        financial_year=financial_year,
        quarter=quarter,
        today=today or dt.date.today(),
    )
    if errors:
        raise ValidationError(errors)

    # The row lock makes check-then-write safe on PostgreSQL; SQLite runs IMMEDIATE
    # transactions (see settings), which serialise writers the same way.
    locked = Objective.objects.select_for_update().select_related("plan").get(pk=objective.pk)
    if locked.version != expected_version:
        newer = list(
            locked.updates.select_related("created_by").order_by("-created_at", "-pk")[
                : max(locked.version - expected_version, 1)
            ]
        )
        raise StaleEditError(locked, newer)

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
    update.full_clean()
    update.save()
    objective_apply_update(objective=locked, update=update)
    locked.version += 1
    locked._history_user = by  # simple-history records who made the change
    locked.save(update_fields=["status", "rag", "percent_complete", "latest_update", "version"])
    return update

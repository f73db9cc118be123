"""Writes that touch more than one row of the objectives app."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction

from objectives import rules
from objectives.models import Objective, ProgressUpdate
from planning.concurrency import lock_at_version

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

    Raises ValidationError (field → messages) for a broken rule and StaleEditError (its
    ``changes``: the updates made since) for a lost update; in both cases nothing is saved.
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
    update.full_clean()
    update.save()
    objective_apply_update(objective=locked, update=update)
    locked._history_user = by  # simple-history records who made the change
    locked.save(update_fields=["status", "rag", "percent_complete", "latest_update", "version"])
    return update

"""Writes to KPIs and their measurements, safe against lost updates.

A KPI and a measurement each carry a ``version``. An edit form sends back the version it was
opened at; the save locks the row and refuses (planning.concurrency.StaleEditError, nothing
written) if somebody saved it since. Creating a measurement for a period that somebody else has
just filled is refused the same way. Who made each change is kept by simple-history.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kpis import periods
from kpis.models import KPI, KPITarget, Measurement
from planning import idempotency, lifecycle, permissions, reporting_window
from planning.concurrency import StaleEditError, lock_at_version
from planning.fy import Quarter

# The KPI fields a planner edits (everything but the plan and the bookkeeping).
KPI_FIELDS = [
    "code",
    "name",
    "description",
    "perspective",
    "unit",
    "polarity",
    "frequency",
    "owner_text",
    "owner_role",
    "data_source",
    "in_development",
    "definition_due",
]


def _duplicate_code(code: str) -> ValidationError:
    return ValidationError({"code": f"This plan already has a KPI with the code {code}."})


def kpi_create(
    *,
    plan,
    by,
    data: dict,
    target: Decimal | None = None,
    tolerance: Decimal | None = None,
    submission_token: str = "",
) -> KPI:
    """A new KPI; a target (or tolerance) given here is in force from the plan's first day.
    DuplicateSubmission if the form's one-time token was used already (nothing made twice)."""
    lifecycle.require_editable(plan)
    kpi = KPI(plan=plan, **{name: data[name] for name in KPI_FIELDS if name in data})
    kpi.full_clean(exclude=["plan"], validate_unique=False, validate_constraints=False)
    if KPI.objects.filter(plan=plan, code=kpi.code).exists():
        raise _duplicate_code(kpi.code)
    _check_tolerance(tolerance)
    kpi._history_user = by
    try:
        with transaction.atomic():
            idempotency.consume(submission_token, user=by)
            kpi.save()
            if target is not None or tolerance is not None:
                first = KPITarget(
                    kpi=kpi,
                    effective_from=kpi.existed_from,
                    target=target,
                    tolerance=tolerance,
                    created_by=by,
                )
                first._history_user = by
                first.save()
    except IntegrityError as error:  # a simultaneous create with the same code
        raise _duplicate_code(kpi.code) from error
    return kpi


def _check_tolerance(tolerance: Decimal | None) -> None:
    if tolerance is not None and tolerance < 0:
        raise ValidationError({"tolerance": "The tolerance cannot be negative."})


def earliest_target_date(kpi: KPI, today: dt.date) -> dt.date:
    """The first day a new target may take effect: the start of the current quarter (a quarter
    that has ended has been reported, and its colours must never change), and never before
    the KPI existed (its plan's first day)."""
    return max(Quarter.containing(today).start, kpi.existed_from)


@transaction.atomic
def kpi_target_change(
    *,
    kpi: KPI,
    by,
    expected_version: int,
    effective_from: dt.date,
    target: Decimal | None,
    tolerance: Decimal | None,
    reason: str = "",
    today: dt.date | None = None,
    submission_token: str = "",
) -> KPITarget:
    """A new target and tolerance for the KPI from ``effective_from``: periods that began
    before it keep the target they had. Refused (ValidationError on the field, nothing saved)
    before the KPI existed, before the current quarter, or on a date that already has a
    target; StaleEditError if the KPI (or its targets) changed since ``expected_version``.
    Raises the KPI's version, so the change is in the KPI's history as well as its own."""
    today = today or timezone.localdate()
    idempotency.consume(submission_token, user=by)
    locked = lock_at_version(
        KPI.objects,
        pk=kpi.pk,
        expected_version=expected_version,
        stale_message="Somebody else changed this KPI or its target after you opened it. "
        "Your target was not saved.",
    )
    lifecycle.require_editable(locked.plan)
    if effective_from < kpi.existed_from:
        raise ValidationError(
            {
                "effective_from": f"The KPI did not exist before its plan started on "
                f"{kpi.existed_from.day} {kpi.existed_from:%B %Y}: choose that date or a later one."
            }
        )
    earliest = earliest_target_date(kpi, today)
    if effective_from < earliest:
        raise ValidationError(
            {
                "effective_from": f"Quarters that have ended keep the target they were "
                f"reported against: choose {earliest.day} {earliest:%B %Y} or a later date."
            }
        )
    if KPITarget.objects.filter(kpi=locked, effective_from=effective_from).exists():
        raise ValidationError(
            {
                "effective_from": f"This KPI already has a target from "
                f"{effective_from.day} {effective_from:%B %Y}: choose another date."
            }
        )
    _check_tolerance(tolerance)
    row = KPITarget(
        kpi=locked,
        effective_from=effective_from,
        target=target,
        tolerance=tolerance,
        reason=reason,
        created_by=by,
    )
    row._history_user = by
    row.save()
    locked._history_user = by
    locked.save(update_fields=["version"])
    return row


@transaction.atomic
def kpi_update(
    *, kpi: KPI, by, expected_version: int, data: dict, submission_token: str = ""
) -> KPI:
    """Save the planner's edit unless the KPI changed since ``expected_version``. The same form
    saved twice (a double click) is DuplicateSubmission, not a stale edit."""
    idempotency.consume(submission_token, user=by)
    locked = lock_at_version(
        KPI.objects,
        pk=kpi.pk,
        expected_version=expected_version,
        stale_message="Somebody else changed this KPI after you opened it. "
        "Your changes were not saved.",
    )
    lifecycle.require_editable(locked.plan)
    code = data.get("code", locked.code)
    if KPI.objects.filter(plan_id=locked.plan_id, code=code).exclude(pk=locked.pk).exists():
        raise _duplicate_code(code)
    for name in KPI_FIELDS:
        if name in data:
            setattr(locked, name, data[name])
    locked._history_user = by
    try:
        with transaction.atomic():
            locked.save()
    except IntegrityError as error:
        raise _duplicate_code(code) from error
    return locked


@transaction.atomic
def measurement_create(
    *,
    kpi: KPI,
    by,
    period_start: dt.date,
    value: Decimal,
    commentary: str = "",
    starts_new_limits: bool = False,
    submission_token: str = "",
) -> Measurement:
    """Record a new period's value; StaleEditError if that period was filled meanwhile.
    Refused (ValidationError, nothing saved): a period the KPI's frequency does not have, or
    one that has not started yet."""
    idempotency.consume(submission_token, user=by)
    try:
        periods.check(period_start, kpi.frequency, today=timezone.localdate())
    except periods.PeriodError as error:
        raise ValidationError({"period": str(error)}) from None
    # The period lock (planning.reporting_window): a value belongs to the quarter its period
    # ends in, and a locked quarter takes no new value.
    refusal = reporting_window.for_plan(kpi.plan).refusal(
        Quarter.containing(periods.end(period_start, kpi.frequency)), timezone.localdate()
    )
    if refusal:
        raise ValidationError({"period": refusal})
    KPI.objects.select_for_update().filter(pk=kpi.pk).first()  # serialise writers of this KPI
    current = (
        Measurement.objects.select_related("created_by")
        .filter(kpi=kpi, period_start=period_start)
        .first()
    )
    if current is not None:
        raise StaleEditError(
            "Somebody else entered a value for this period after you opened the form. "
            "Your value was not saved.",
            current=current,
        )
    measurement = Measurement(
        kpi=kpi,
        period_start=period_start,
        value=value,
        commentary=commentary,
        starts_new_limits=starts_new_limits,
        created_by=by,
    )
    measurement._history_user = by
    measurement.save()
    return measurement


@transaction.atomic
def measurement_update(
    *,
    measurement: Measurement,
    by,
    expected_version: int,
    value: Decimal,
    commentary: str = "",
    starts_new_limits: bool = False,
    today: dt.date | None = None,
    submission_token: str = "",
) -> Measurement:
    """Correct a measurement unless it changed since ``expected_version`` or its reporting
    window has closed (correction_refusal)."""
    idempotency.consume(submission_token, user=by)
    locked = _lock_measurement(measurement, expected_version, today)
    locked.value = value
    locked.commentary = commentary
    locked.starts_new_limits = starts_new_limits
    if locked.synthetic:  # the first real value replaces a generated one: it is theirs
        locked.created_by = by
    locked.synthetic = False
    locked._history_user = by
    locked.save()
    return locked


STALE_MEASUREMENT = (
    "Somebody else changed this measurement after you opened it. Your correction was not saved."
)


def measurement_quarter(measurement: Measurement) -> Quarter:
    """The quarter whose reporting window governs a value: the one its period ends in."""
    return Quarter.containing(periods.end(measurement.period_start, measurement.kpi.frequency))


def correction_refusal(
    measurement: Measurement, today: dt.date, calendar: reporting_window.Calendar | None = None
) -> str | None:
    """Why the value may no longer be corrected or withdrawn, or None. A generated demo value
    (synthetic) was never reported, so it may be replaced at any time. `calendar`: the plan's
    reporting calendar when the caller has it (a page of values loads it once)."""
    if measurement.withdrawn_at is not None:
        return (
            f"This value was already withdrawn on "
            f"{timezone.localtime(measurement.withdrawn_at):%-d %B %Y}. Nothing was changed."
        )
    if measurement.synthetic:
        return None
    if calendar is None:
        calendar = reporting_window.for_plan(measurement.kpi.plan)
    return calendar.refusal(measurement_quarter(measurement), today)


def may_correct(
    user,
    measurement: Measurement,
    today: dt.date,
    calendar: reporting_window.Calendar | None = None,
) -> bool:
    """May the user correct or withdraw this value now? Who: planning.permissions.can_correct,
    where a generated demo value counts as anybody's (it has no author); when: while
    correction_refusal() has nothing to say. Expects the KPI's plan selected."""
    author_id = user.pk if measurement.synthetic else measurement.created_by_id
    return correction_refusal(measurement, today, calendar) is None and permissions.can_correct(
        user, organisation_id=measurement.kpi.plan.organisation_id, author_id=author_id
    )


def require_may_correct(user, measurement: Measurement) -> None:
    """404 outside the user's organisations; 403 unless the user may correct this value."""
    author_id = user.pk if measurement.synthetic else measurement.created_by_id
    permissions.require_correction(
        user, organisation_id=measurement.kpi.plan.organisation_id, author_id=author_id
    )


def _lock_measurement(measurement: Measurement, expected_version: int, today) -> Measurement:
    """The value, locked at ``expected_version`` (else StaleEditError), if it may still be
    corrected (else ValidationError). The version first: a value changed since the form was
    opened is told as such, with what it is now, even when the change also closed it."""
    locked = lock_at_version(
        Measurement.all_objects.select_related("kpi__plan"),
        of=("self", "kpi"),  # not the plan: every value of the plan would wait on one row
        pk=measurement.pk,
        expected_version=expected_version,
        stale_message=STALE_MEASUREMENT,
    )
    refusal = correction_refusal(locked, today or timezone.localdate())
    if refusal:
        raise ValidationError(refusal)
    return locked


@transaction.atomic
def measurement_withdraw(
    *,
    measurement: Measurement,
    by,
    expected_version: int,
    reason: str,
    today: dt.date | None = None,
    submission_token: str = "",
) -> Measurement:
    """Withdraw a value: it stays in the KPI's history, marked, and no longer counts (the
    scorecard, SPC and RAG read only current values); its period may be entered again."""
    idempotency.consume(submission_token, user=by)
    locked = _lock_measurement(measurement, expected_version, today)
    if not reason.strip():
        raise ValidationError({"reason": "Say why: the reason stays in the KPI's history."})
    locked.withdrawn_at = timezone.now()
    locked.withdrawn_by = by
    locked.withdrawal_reason = reason.strip()
    locked._history_user = by
    locked.save()
    return locked

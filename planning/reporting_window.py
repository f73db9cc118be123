"""The reporting calendar and the period lock: the one place that says whether a quarter's
progress updates and KPI values may still be entered, corrected or withdrawn.

A quarter is open for reporting from its first day until its plan's deadline: a number of
working days (Monday to Friday) after it ends, `Plan.reporting_working_days`, 15 by default.
After the deadline the quarter is **locked**: it has been reported (board papers, the scorecard)
and its records read the same for ever, for everybody, planners included. A planner may reopen a
locked quarter with a reason (`quarter_reopen`, a `QuarterReopening` row, audited) and lock it
again (`quarter_relock`); while reopened the quarter is open as before its deadline.

Callers never count days: they load a plan's `Calendar` once (`for_plan`, one query) and ask
`calendar.is_locked(quarter, today)` / `calendar.refusal(quarter, today)`, and show
`calendar.deadline(quarter)`. The pure functions below (`deadline`, `is_locked`, `is_open`)
are the rule itself; `Calendar` only adds the plan's number of days and its reopenings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from planning.fy import Quarter
from planning.models import Plan, QuarterReopening

# Working days after a quarter ends before it locks, unless the plan says otherwise.
DEFAULT_WORKING_DAYS = 15
# The old name, kept for callers that only want the default.
WORKING_DAYS_AFTER_QUARTER = DEFAULT_WORKING_DAYS


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The date `count` working days (Monday to Friday) after `day`. Bank holidays are not
    known here, so they count as working days: the window is never shorter than promised."""
    while count > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def deadline(quarter: Quarter, *, working_days: int = DEFAULT_WORKING_DAYS) -> dt.date:
    """The last day on which the quarter's records may be entered or corrected."""
    return add_working_days(quarter.end, working_days)


def is_locked(
    quarter: Quarter,
    today: dt.date,
    *,
    working_days: int = DEFAULT_WORKING_DAYS,
    reopened: bool = False,
) -> bool:
    """Has the quarter's deadline passed (and it is not reopened)?"""
    return not reopened and today > deadline(quarter, working_days=working_days)


def is_open(quarter: Quarter, today: dt.date, **kwargs) -> bool:
    """Is the quarter open for reporting on `today`: started, and not locked?"""
    return quarter.start <= today and not is_locked(quarter, today, **kwargs)


def closed_message(quarter: Quarter, *, working_days: int = DEFAULT_WORKING_DAYS) -> str:
    return (
        f"{quarter} is locked: its reporting deadline was "
        f"{deadline(quarter, working_days=working_days):%-d %B %Y}. Nothing was saved. Report "
        "on an open quarter instead, or ask a planner to reopen this one."
    )


@dataclass(frozen=True)
class Calendar:
    """One plan's reporting calendar: its deadline rule and the quarters reopened now."""

    working_days: int = DEFAULT_WORKING_DAYS
    reopened: frozenset[Quarter] = field(default_factory=frozenset)

    def deadline(self, quarter: Quarter) -> dt.date:
        return deadline(quarter, working_days=self.working_days)

    def is_reopened(self, quarter: Quarter) -> bool:
        return quarter in self.reopened

    def is_locked(self, quarter: Quarter, today: dt.date) -> bool:
        return is_locked(
            quarter,
            today,
            working_days=self.working_days,
            reopened=self.is_reopened(quarter),
        )

    def is_open(self, quarter: Quarter, today: dt.date) -> bool:
        return quarter.start <= today and not self.is_locked(quarter, today)

    def refusal(self, quarter: Quarter, today: dt.date) -> str | None:
        """Why records of `quarter` may not be entered or changed on `today`, or None."""
        if self.is_locked(quarter, today):
            return closed_message(quarter, working_days=self.working_days)
        return None

    def reporting_quarter(self, today: dt.date) -> Quarter:
        """The quarter whose deadline comes next: the previous quarter while its deadline has
        not passed (and it is not reopened, which has no deadline), else the current one. This
        is the quarter My work, reminders and the planners' digest ask people to report on."""
        previous = Quarter.containing(today).previous()
        if not self.is_reopened(previous) and today <= self.deadline(previous):
            return previous
        return Quarter.containing(today)

    def open_quarters(self, today: dt.date) -> list[tuple[Quarter, dt.date | None]]:
        """The quarters open for reporting on `today`, oldest first, with the day each locks
        (None for a reopened quarter: it stays open until a planner locks it again). The
        current quarter is always one; the one before while its deadline has not passed."""
        current = Quarter.containing(today)
        quarters = set(self.reopened)
        if self.is_open(current.previous(), today):
            quarters.add(current.previous())
        quarters.add(current)
        return [
            (q, None if self.is_reopened(q) else self.deadline(q))
            for q in sorted(quarters)
            if q.start <= today
        ]


def for_plan(plan: Plan, *, any_reopened: bool = True) -> Calendar:
    """The plan's calendar (one query: its open reopenings; none when the caller already
    knows there are none, `any_reopened=False`, e.g. from reopened_exists())."""
    reopened = frozenset(
        Quarter(year, number)
        for year, number in (
            open_reopenings(plan.pk).values_list("financial_year", "quarter")
            if any_reopened
            else ()
        )
    )
    return Calendar(working_days=plan.reporting_working_days, reopened=reopened)


def open_reopenings(plan):
    """The plan's reopened quarters not yet locked again (`plan`: a plan, its id or an
    OuterRef to one)."""
    return QuarterReopening.objects.filter(plan=plan, relocked_at__isnull=True)


def reopened_exists(plan="plan") -> Exists:
    """Has the plan (the outer row's field `plan`) a quarter reopened? For an annotation, so
    that for_plan(…, any_reopened=False) can skip its query: most plans have none."""
    return Exists(open_reopenings(OuterRef(plan)))


def for_plans(plans) -> dict[int, Calendar]:
    """Each plan's calendar by plan id (one query for them all)."""
    plans = list(plans)
    reopened: dict[int, set[Quarter]] = {plan.pk: set() for plan in plans}
    for plan_id, year, number in QuarterReopening.objects.filter(
        plan_id__in=list(reopened), relocked_at__isnull=True
    ).values_list("plan_id", "financial_year", "quarter"):
        reopened[plan_id].add(Quarter(year, number))
    return {
        plan.pk: Calendar(
            working_days=plan.reporting_working_days, reopened=frozenset(reopened[plan.pk])
        )
        for plan in plans
    }


# --- reopening and locking again (planners) -----------------------------------------------------

REASON_NEEDED = "Say why the quarter is reopened: the reason stays in the calendar's history."


@transaction.atomic
def quarter_reopen(
    *, plan: Plan, quarter: Quarter, by, reason: str, today: dt.date | None = None
) -> QuarterReopening:
    """Reopen a locked quarter of the plan. Refused (ValidationError, nothing saved) without a
    reason, for a quarter that is not locked, or one already reopened (by somebody else since
    the page was opened: the calendar shows who). Who may is the view's question
    (planning.permissions, Action.EDIT_PLAN)."""
    today = today or timezone.localdate()
    if not reason.strip():
        raise ValidationError({"reason": REASON_NEEDED})
    Plan.objects.select_for_update().filter(pk=plan.pk).first()  # serialise calendar writers
    calendar = for_plan(plan)
    if calendar.is_reopened(quarter):
        raise ValidationError(
            f"{quarter} has already been reopened, perhaps by somebody else since you opened "
            "the page. Nothing was changed."
        )
    if not is_locked(quarter, today, working_days=calendar.working_days):
        raise ValidationError(
            f"{quarter} is not locked: it is open for reporting until "
            f"{calendar.deadline(quarter):%-d %B %Y}. Nothing was changed."
        )
    reopening = QuarterReopening(
        plan=plan,
        financial_year=quarter.year,
        quarter=quarter.number,
        reason=reason.strip(),
        reopened_by=by,
        reopened_at=timezone.now(),
    )
    reopening._history_user = by
    try:
        with transaction.atomic():
            reopening.save()
    except IntegrityError as error:  # a simultaneous reopening of the same quarter
        raise ValidationError(f"{quarter} has already been reopened. Nothing was changed.") from (
            error
        )
    return reopening


@transaction.atomic
def quarter_relock(*, plan: Plan, quarter: Quarter, by) -> QuarterReopening:
    """Lock a reopened quarter again. Refused (ValidationError) if it is not reopened now
    (somebody locked it again since the page was opened)."""
    reopening = (
        QuarterReopening.objects.select_for_update()
        .filter(
            plan_id=plan.pk,
            financial_year=quarter.year,
            quarter=quarter.number,
            relocked_at__isnull=True,
        )
        .first()
    )
    if reopening is None:
        raise ValidationError(
            f"{quarter} is not reopened: perhaps somebody locked it again since you opened "
            "the page. Nothing was changed."
        )
    reopening.relocked_at = timezone.now()
    reopening.relocked_by = by
    reopening._history_user = by
    reopening.save(update_fields=["relocked_at", "relocked_by"])
    return reopening

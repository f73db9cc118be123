"""Writes to budgets: each all-or-nothing, and refused if somebody else saved first.

Every save of a year's lines checks and raises BudgetYear.version, every save of its actuals
BudgetYear.actuals_version, under a row lock (PostgreSQL: SELECT … FOR UPDATE; SQLite runs
IMMEDIATE transactions, which serialise writers the same way). Service lines and thresholds use
BudgetSettings.version, a scheme its own version. A stale save raises
planning.concurrency.StaleEditError and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from budgets.models import (
    BudgetSettings,
    BudgetYear,
    ExpenditureLine,
    IncomeLine,
    MonthlyActual,
    SavingsScheme,
    SavingsTarget,
    ServiceLine,
)
from objectives.models import Objective
from planning import lifecycle
from planning.concurrency import StaleEditError, lock_at_version
from planning.models import Plan, User

STALE_LINES = (
    "Somebody else changed this year's budget after you opened it. Your changes were not saved "
    "and nothing was overwritten: check the figures as they are now, then make your changes again."
)
STALE_ACTUALS = (
    "Somebody else changed this year's actuals after you opened them. Your changes were not "
    "saved and nothing was overwritten: check the figures as they are now, then enter yours again."
)
STALE_SETTINGS = (
    "Somebody else changed these settings after you opened them. Your changes were not saved "
    "and nothing was overwritten."
)
STALE_SCHEME = (
    "Somebody else changed this scheme after you opened it. Your changes were not saved and "
    "nothing was overwritten."
)
CLASH = "These changes clash with each other or with a line saved meanwhile. Nothing was saved."


def _history_user(obj, by):
    obj._history_user = by
    return obj


def lock_year(plan, financial_year: int) -> BudgetYear:
    """The year's bookkeeping row, created if need be, locked until the transaction ends."""
    BudgetYear.objects.get_or_create(plan=plan, financial_year=financial_year)
    return BudgetYear.objects.select_for_update().get(plan=plan, financial_year=financial_year)


def lock_settings(plan) -> BudgetSettings:
    BudgetSettings.objects.get_or_create(plan=plan)
    return BudgetSettings.objects.select_for_update().get(plan=plan)


def _year_at_version(plan, financial_year: int, field: str, expected_version, stale_message):
    """The year's row, created if need be, locked and still at `expected_version` (its version
    is raised by the caller only if something changed)."""
    BudgetYear.objects.get_or_create(plan=plan, financial_year=financial_year)
    return lock_at_version(
        BudgetYear.objects,
        plan=plan,
        financial_year=financial_year,
        field=field,
        expected_version=expected_version,
        stale_message=stale_message,
        bump=False,
    )


def _settings_at_version(plan, expected_version, *, bump: bool) -> BudgetSettings:
    BudgetSettings.objects.get_or_create(plan=plan)
    return lock_at_version(
        BudgetSettings.objects,
        plan=plan,
        expected_version=expected_version,
        stale_message=STALE_SETTINGS,
        bump=bump,
    )


def _bump(obj, field: str) -> None:
    setattr(obj, field, getattr(obj, field) + 1)
    obj.save(update_fields=[field])


# ---------------------------------------------------------------------------------------------
# Lines
# ---------------------------------------------------------------------------------------------


def next_funder_order(plan, financial_year: int, label: str, assigned: dict[str, int]) -> int:
    """The row a funder label sits on: its existing row, else a new row after the others."""
    if label not in assigned:
        existing = (
            IncomeLine.objects.filter(plan=plan, financial_year=financial_year)
            .values_list("funder_label", "funder_order")
            .order_by("funder_order")
        )
        for existing_label, order in existing:
            assigned.setdefault(existing_label, order)
        if label not in assigned:
            assigned[label] = max(assigned.values(), default=0) + 1
    return assigned[label]


def next_expenditure_order(plan, financial_year: int) -> int:
    found = ExpenditureLine.objects.filter(plan=plan, financial_year=financial_year).aggregate(
        top=Max("order")
    )["top"]
    return (found or 0) + 1


@dataclass(frozen=True)
class IncomeLineValues:
    """One income line as the user left it (cleaned). `pk` None: a new line."""

    pk: int | None
    funder_id: int | None
    funder_label: str
    service_line_id: int
    amount: Decimal


@dataclass(frozen=True)
class ExpenditureLineValues:
    """One expenditure line as the user left it (cleaned). `pk` None: a new line."""

    pk: int | None
    manager: str
    description: str
    amount: Decimal


@transaction.atomic
def income_lines_save(
    *,
    plan: Plan,
    financial_year: int,
    deleted: Sequence[int],
    saved: Sequence[IncomeLineValues],
    expected_version: int,
    by: User,
) -> int:
    """Delete the income lines `deleted` (pks) and create or change `saved`, as one change.
    Each line goes on its funder label's row (a new label gets a new row after the others).
    Returns the number of lines created, changed or deleted."""
    assigned: dict[str, int] = {}

    def apply(line: IncomeLine, values: IncomeLineValues) -> None:
        line.funder_id = values.funder_id
        line.funder_label = values.funder_label
        line.service_line_id = values.service_line_id
        line.amount = values.amount
        line.funder_order = next_funder_order(plan, financial_year, line.funder_label, assigned)

    return _lines_save(
        IncomeLine, plan, financial_year, deleted, saved, apply, expected_version, by
    )


@transaction.atomic
def expenditure_lines_save(
    *,
    plan: Plan,
    financial_year: int,
    deleted: Sequence[int],
    saved: Sequence[ExpenditureLineValues],
    expected_version: int,
    by: User,
) -> int:
    """Delete the expenditure lines `deleted` (pks) and create or change `saved`, as one
    change; a new line goes after the others. Returns the number of lines created, changed or
    deleted."""

    def apply(line: ExpenditureLine, values: ExpenditureLineValues) -> None:
        line.manager = values.manager
        line.description = values.description
        line.amount = values.amount
        if line.pk is None:
            line.order = next_expenditure_order(plan, financial_year)

    return _lines_save(
        ExpenditureLine, plan, financial_year, deleted, saved, apply, expected_version, by
    )


def _lines_save(
    model: type[IncomeLine] | type[ExpenditureLine],
    plan: Plan,
    financial_year: int,
    deleted: Sequence[int],
    saved: Sequence[IncomeLineValues] | Sequence[ExpenditureLineValues],
    apply: Callable,
    expected_version: int,
    by: User,
) -> int:
    """The flow both kinds of line share: check the year's version under its lock, delete,
    then save in the order given (which decides new lines' places), then bump the version."""
    lifecycle.require_editable(plan)
    year = _year_at_version(plan, financial_year, "version", expected_version, STALE_LINES)
    wanted = set(deleted) | {values.pk for values in saved if values.pk is not None}
    existing = model.objects.filter(plan=plan, financial_year=financial_year, pk__in=wanted)
    existing = {line.pk: line for line in existing}
    if len(existing) != len(wanted):
        # A line the user was looking at has gone from this year: somebody else's change.
        raise StaleEditError(STALE_LINES)
    changed = 0
    try:
        with transaction.atomic():
            for pk in deleted:
                _history_user(existing[pk], by).delete()
                changed += 1
            for values in saved:
                line = (
                    existing[values.pk]
                    if values.pk is not None
                    else model(plan=plan, financial_year=financial_year)
                )
                apply(line, values)
                _history_user(line, by).save()
                changed += 1
    except IntegrityError as exc:
        raise ValidationError(CLASH) from exc
    if changed:
        _bump(year, "version")
    return changed


# ---------------------------------------------------------------------------------------------
# Monthly actuals
# ---------------------------------------------------------------------------------------------


def _actual_for(line) -> dict:
    if isinstance(line, IncomeLine):
        return {"income_line": line}
    return {"expenditure_line": line}


def apply_actual(line, month: dt.date, amount: Decimal | None, existing, by) -> bool:
    """Create, change or (amount None) delete one month's actual. True if anything changed."""
    if amount is None:
        if existing is None:
            return False
        _history_user(existing, by).delete()
        return True
    if existing is not None:
        if existing.amount == amount:
            return False
        existing.amount = amount
        _history_user(existing, by).save(update_fields=["amount"])
        return True
    actual = MonthlyActual(month=month, amount=amount, **_actual_for(line))
    _history_user(actual, by).save()
    return True


@transaction.atomic
def actuals_save(
    *,
    plan: Plan,
    financial_year: int,
    month: dt.date,
    entries: Sequence[tuple[IncomeLine | ExpenditureLine, Decimal | None]],
    expected_version: int,
    by: User,
) -> int:
    """Set one month's actuals: `entries` are (line, amount or None to clear)."""
    year = _year_at_version(
        plan, financial_year, "actuals_version", expected_version, STALE_ACTUALS
    )
    existing = {
        (a.income_line_id, a.expenditure_line_id): a
        for a in MonthlyActual.objects.filter(financial_year=financial_year, month=month)
    }
    changed = 0
    for line, amount in entries:
        key = (line.pk, None) if isinstance(line, IncomeLine) else (None, line.pk)
        changed += apply_actual(line, month, amount, existing.get(key), by)
    if changed:
        _bump(year, "actuals_version")
    return changed


# ---------------------------------------------------------------------------------------------
# Service lines and thresholds
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceLineValues:
    """One service line as the user left it (cleaned). `pk` None: a new line; `order` 0 puts
    a new line after the others."""

    pk: int | None
    name: str
    order: int


@transaction.atomic
def service_lines_save(
    *,
    plan: Plan,
    deleted: Sequence[int],
    saved: Sequence[ServiceLineValues],
    expected_version: int,
    by: User,
) -> int:
    """Delete the service lines `deleted` (pks) and create or change `saved`, as one change.
    Returns the number of service lines created, changed or deleted."""
    lifecycle.require_editable(plan)
    settings = _settings_at_version(plan, expected_version, bump=False)
    wanted = set(deleted) | {values.pk for values in saved if values.pk is not None}
    existing = {line.pk: line for line in ServiceLine.objects.filter(plan=plan, pk__in=wanted)}
    if len(existing) != len(wanted):
        raise StaleEditError(STALE_SETTINGS)
    changed = 0
    try:
        with transaction.atomic():
            for pk in deleted:
                _history_user(existing[pk], by).delete()
                changed += 1
            orders = ServiceLine.objects.filter(plan=plan).values_list("order", flat=True)
            top = max(orders, default=0)
            for values in saved:
                line = existing[values.pk] if values.pk is not None else ServiceLine(plan=plan)
                line.name, line.order = values.name, values.order
                if line.pk is None and not line.order:
                    top += 1
                    line.order = top
                _history_user(line, by).save()
                changed += 1
    except IntegrityError as exc:
        raise ValidationError(CLASH) from exc
    if changed:
        _bump(settings, "version")
    return changed


@transaction.atomic
def thresholds_save(
    *, plan: Plan, amber: Decimal, red: Decimal, expected_version: int, by: User
) -> None:
    lifecycle.require_editable(plan)
    settings = _settings_at_version(plan, expected_version, bump=True)
    settings.amber_at_percent = amber
    settings.red_at_percent = red
    settings.full_clean()
    _history_user(settings, by).save()


# ---------------------------------------------------------------------------------------------
# Savings schemes
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def scheme_save(
    *,
    plan: Plan,
    scheme_id: int | None,
    fields: dict[str, object],
    objectives: Sequence[Objective],
    targets: dict[int, tuple[Decimal | None, Decimal | None]],
    expected_version: int | None,
    by: User,
) -> SavingsScheme:
    """Create (`scheme_id` None) or change a scheme: `fields` are its model fields' values,
    `targets` {year: (target, delivered)}; a year whose target and delivery are both blank
    has no target row."""
    lifecycle.require_editable(plan)
    if scheme_id is not None:
        scheme = lock_at_version(
            SavingsScheme.objects,
            pk=scheme_id,
            plan=plan,
            expected_version=expected_version,
            stale_message=STALE_SCHEME,
        )
    else:
        scheme = SavingsScheme(plan=plan)
        top = SavingsScheme.objects.filter(plan=plan).aggregate(top=Max("order"))["top"]
        scheme.order = (top or 0) + 1
    for name, value in fields.items():
        setattr(scheme, name, value)
    scheme.full_clean(exclude=["objectives"])
    _history_user(scheme, by).save()
    scheme.objectives.set(objectives)
    existing = {t.financial_year: t for t in scheme.targets.all()}
    for year, (amount, delivered) in targets.items():
        target = existing.get(year)
        if amount is None and delivered is None:
            if target is not None:
                _history_user(target, by).delete()
            continue
        amount, delivered = amount or Decimal("0"), delivered or Decimal("0")
        if target is None:
            target = SavingsTarget(scheme=scheme, financial_year=year)
        elif (target.amount, target.delivered) == (amount, delivered):
            continue
        target.amount, target.delivered = amount, delivered
        _history_user(target, by).save()
    return scheme

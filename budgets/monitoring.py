"""In-year finance monitoring: budget to date, variance, forecast outturn and RAG. Plain Python.

Conventions (docs/decisions/budgets.md says why):

- **Phasing.** A line's annual budget is phased evenly: each month is one twelfth. The budget to
  date after n months is annual × n / 12, rounded to the penny once (so after 12 months it is the
  annual budget exactly).
- **Variance sign.** Positive is favourable, negative adverse, for both kinds of line: income
  variance = actual − budget (income below budget is adverse); expenditure variance = budget −
  actual (spending above budget is adverse).
- **Variance %** = variance / budget to date × 100, to one decimal place. With a budget to date
  of £0 there is no percentage: `None`, shown as "—".
- **Forecast outturn** = actual to date + the budget of the months still to come (annual ×
  (12 − n) / 12): the year so far as it happened, the rest as planned. Forecast variance compares
  it with the annual budget, signed as above.
- **RAG** on the year-to-date variance: Green unless adverse; Amber when adverse by the plan's
  amber threshold (% of budget to date) or more; Red at the red threshold or more. With a budget to
  date of £0, any adverse variance (spending with no budget) is Red.
- A month with no actual recorded counts as £0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from planning import fy
from planning.rag import RAG

ZERO = Decimal("0")
PENNY = Decimal("0.01")
TENTH = Decimal("0.1")
HUNDRED = Decimal("100")
MONTHS_IN_YEAR = 12


class Kind(StrEnum):
    INCOME = "income"
    EXPENDITURE = "expenditure"


@dataclass(frozen=True)
class Thresholds:
    """Adverse variance, as a percentage of budget to date, at which a line turns Amber / Red."""

    amber_at: Decimal = Decimal("2")
    red_at: Decimal = Decimal("5")

    def __post_init__(self) -> None:
        if not (ZERO <= self.amber_at <= self.red_at):
            raise ValueError("Thresholds need 0 ≤ amber ≤ red.")


# ---------------------------------------------------------------------------------------------
# Months of a financial year
# ---------------------------------------------------------------------------------------------


def months_of(financial_year: int) -> list[dt.date]:
    """The first days of April … March of the financial year starting in `financial_year`."""
    return [
        dt.date(financial_year if month >= 4 else financial_year + 1, month, 1)
        for month in (*range(4, 13), 1, 2, 3)
    ]


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def in_financial_year(day: dt.date, financial_year: int) -> bool:
    return fy.fy_start(financial_year) <= day <= fy.fy_end(financial_year)


def months_elapsed(financial_year: int, month: dt.date) -> int:
    """1 for April … 12 for March. ValueError for a month outside the year."""
    if not in_financial_year(month, financial_year):
        raise ValueError(f"{month:%B %Y} is not in {fy.fy_label(financial_year)}.")
    return (month.month - 4) % 12 + 1


def month_key(month: dt.date) -> str:
    """2006-09 for September 2006: how a month appears in URLs (read back by fy.parse_month)."""
    return f"{month:%Y-%m}"


# ---------------------------------------------------------------------------------------------
# The arithmetic
# ---------------------------------------------------------------------------------------------


def _pennies(amount: Decimal) -> Decimal:
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def budget_to_date(annual: Decimal, months: int) -> Decimal:
    """Evenly phased: annual × months / 12, to the penny."""
    if not 0 <= months <= MONTHS_IN_YEAR:
        raise ValueError("A year to date is 0 to 12 months.")
    return _pennies(annual * months / MONTHS_IN_YEAR)


def variance(kind: Kind, budget: Decimal, actual: Decimal) -> Decimal:
    """Positive favourable, negative adverse (income short of budget, or spending over it)."""
    return actual - budget if kind == Kind.INCOME else budget - actual


def variance_percent(var: Decimal, budget: Decimal) -> Decimal | None:
    """The variance as a percentage of the budget, one decimal place; None for a £0 budget."""
    if budget == 0:
        return None
    return (var / budget * HUNDRED).quantize(TENTH, rounding=ROUND_HALF_UP)


def forecast_outturn(annual: Decimal, actual_to_date: Decimal, months: int) -> Decimal:
    """Actual to date plus the phased budget of the months still to come."""
    return actual_to_date + (annual - budget_to_date(annual, months))


def rating(var: Decimal, budget: Decimal, thresholds: Thresholds) -> RAG:
    if var >= 0:
        return RAG.GREEN
    if budget == 0:
        return RAG.RED  # adverse with no budget at all
    adverse = -var / abs(budget) * HUNDRED
    if adverse >= thresholds.red_at:
        return RAG.RED
    if adverse >= thresholds.amber_at:
        return RAG.AMBER
    return RAG.GREEN


# ---------------------------------------------------------------------------------------------
# Lines, groups and the whole year
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Position:
    """One line (or a subtotal or total of lines) at the end of a month."""

    kind: Kind
    label: str
    annual_budget: Decimal
    budget_to_date: Decimal
    actual_to_date: Decimal
    actual_this_month: Decimal
    forecast: Decimal
    thresholds: Thresholds
    key: object = None  # the line's id, for the caller

    @property
    def variance(self) -> Decimal:
        return variance(self.kind, self.budget_to_date, self.actual_to_date)

    @property
    def variance_percent(self) -> Decimal | None:
        return variance_percent(self.variance, self.budget_to_date)

    @property
    def forecast_variance(self) -> Decimal:
        return variance(self.kind, self.annual_budget, self.forecast)

    @property
    def rag(self) -> RAG:
        return rating(self.variance, self.budget_to_date, self.thresholds)

    @property
    def is_adverse(self) -> bool:
        return self.variance < 0

    @property
    def is_favourable(self) -> bool:
        return self.variance > 0


@dataclass(frozen=True)
class MonitoredLine:
    """Input: a line's annual budget and its actuals by month (first day of the month)."""

    kind: Kind
    group: str  # the funder of an income line, the manager of an expenditure line
    label: str
    annual_budget: Decimal
    actuals: Mapping[dt.date, Decimal] = field(default_factory=dict)
    key: object = None


def line_position(
    line: MonitoredLine, financial_year: int, month: dt.date, thresholds: Thresholds
) -> Position:
    months = months_elapsed(financial_year, month)
    to_date = months_of(financial_year)[:months]
    actual = sum((line.actuals.get(m, ZERO) for m in to_date), ZERO)
    return Position(
        kind=line.kind,
        label=line.label,
        annual_budget=line.annual_budget,
        budget_to_date=budget_to_date(line.annual_budget, months),
        actual_to_date=actual,
        actual_this_month=line.actuals.get(month_start(month), ZERO),
        forecast=forecast_outturn(line.annual_budget, actual, months),
        thresholds=thresholds,
        key=line.key,
    )


def total_position(kind: Kind, label: str, positions: Sequence[Position], thresholds) -> Position:
    """The sum of positions; its variance and RAG are worked out on the sums."""
    return Position(
        kind=kind,
        label=label,
        annual_budget=sum((p.annual_budget for p in positions), ZERO),
        budget_to_date=sum((p.budget_to_date for p in positions), ZERO),
        actual_to_date=sum((p.actual_to_date for p in positions), ZERO),
        actual_this_month=sum((p.actual_this_month for p in positions), ZERO),
        forecast=sum((p.forecast for p in positions), ZERO),
        thresholds=thresholds,
    )


@dataclass(frozen=True)
class Group:
    label: str
    lines: tuple[Position, ...]
    subtotal: Position


@dataclass(frozen=True)
class NetPosition:
    """Income less expenditure. Positive is a surplus; its variance is positive when better."""

    annual_budget: Decimal
    budget_to_date: Decimal
    actual_to_date: Decimal
    forecast: Decimal

    @property
    def variance(self) -> Decimal:
        return self.actual_to_date - self.budget_to_date

    @property
    def forecast_variance(self) -> Decimal:
        return self.forecast - self.annual_budget


@dataclass(frozen=True)
class Monitoring:
    financial_year: int
    month: dt.date
    thresholds: Thresholds
    income_groups: tuple[Group, ...]
    income_total: Position
    expenditure_groups: tuple[Group, ...]
    expenditure_total: Position
    months_with_actuals: tuple[dt.date, ...] = ()

    @property
    def months_elapsed(self) -> int:
        return months_elapsed(self.financial_year, self.month)

    @property
    def months(self) -> list[dt.date]:
        return months_of(self.financial_year)

    @property
    def year_label(self) -> str:
        return fy.fy_label(self.financial_year)

    @property
    def net(self) -> NetPosition:
        i, e = self.income_total, self.expenditure_total
        return NetPosition(
            annual_budget=i.annual_budget - e.annual_budget,
            budget_to_date=i.budget_to_date - e.budget_to_date,
            actual_to_date=i.actual_to_date - e.actual_to_date,
            forecast=i.forecast - e.forecast,
        )

    @property
    def is_empty(self) -> bool:
        return not (self.income_groups or self.expenditure_groups)

    def lines(self) -> list[Position]:
        return [p for g in (*self.income_groups, *self.expenditure_groups) for p in g.lines]


def _groups(
    kind: Kind,
    lines: Iterable[MonitoredLine],
    financial_year: int,
    month: dt.date,
    thresholds: Thresholds,
) -> tuple[tuple[Group, ...], Position]:
    grouped: dict[str, list[Position]] = {}
    for line in lines:
        if line.kind != kind:
            raise ValueError(f"{line.label!r} is not an {kind} line.")
        grouped.setdefault(line.group, []).append(
            line_position(line, financial_year, month, thresholds)
        )
    groups = tuple(
        Group(label, tuple(positions), total_position(kind, label, positions, thresholds))
        for label, positions in grouped.items()
    )
    total = total_position(kind, f"Total {kind}", [g.subtotal for g in groups], thresholds)
    return groups, total


def monitor(
    financial_year: int,
    month: dt.date,
    income: Iterable[MonitoredLine],
    expenditure: Iterable[MonitoredLine],
    thresholds: Thresholds | None = None,
) -> Monitoring:
    """The year at the end of `month` (any day of it), lines grouped in the order given."""
    thresholds = thresholds or Thresholds()
    month = month_start(month)
    months_elapsed(financial_year, month)  # refuses a month outside the year
    income, expenditure = list(income), list(expenditure)
    income_groups, income_total = _groups(Kind.INCOME, income, financial_year, month, thresholds)
    expenditure_groups, expenditure_total = _groups(
        Kind.EXPENDITURE, expenditure, financial_year, month, thresholds
    )
    recorded = {m for line in (*income, *expenditure) for m in line.actuals}
    return Monitoring(
        financial_year=financial_year,
        month=month,
        thresholds=thresholds,
        income_groups=income_groups,
        income_total=income_total,
        expenditure_groups=expenditure_groups,
        expenditure_total=expenditure_total,
        months_with_actuals=tuple(sorted(recorded)),
    )

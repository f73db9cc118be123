"""A plan year's budget summary, as the source's Appendix 3 sets it out. Plain Python, no Django.

Other apps do not call this module directly: they call

    budgets.selectors.budget_summary_for(plan, financial_year) -> BudgetSummary

which fetches the year's lines in four queries whatever their number and hands them to
`summarise()` below. The `BudgetSummary` it returns holds:

- `service_lines`: the income columns, in order;
- `income_rows`: one `IncomeRow` per funder (partner, other client or a catch-all such as
  "Others"), in printed order, with one cell per service line (a `Decimal`, or `None` where the
  funder has no line: not the same as a line of £0), the computed row total and the printed one;
- `column_totals`: one `ColumnTotal` per service line; `income_total`;
- `expenditure_groups`: one `ManagerGroup` per responsible manager (their lines and subtotal);
  `expenditure_total`;
- `balance` = income less expenditure (negative: a deficit), never rounded away;
- `printed_differences`: every printed total that is not what its lines add up to.

Render it with `{% include "budgets/_summary_tables.html" with summary=... %}` (NHS.UK tables;
see the template's header for its options) and format money with `format_money()` or the
`money` template filter (`{% load money %}`). Every figure is a `Decimal`; totals are computed
here from the lines, never typed and never taken from the printed figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from planning import fy
from planning.money import format_money

ZERO = Decimal("0")
PENNY = Decimal("0.01")

# The scopes of a printed total: the values of budgets.models.TotalScope.
INCOME_FUNDER = "income_funder"
INCOME_SERVICE_LINE = "income_service_line"
INCOME_GRAND = "income_grand"
EXPENDITURE_GRAND = "expenditure_grand"

# ---------------------------------------------------------------------------------------------
# Input rows (as the selector reads them from the database)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IncomeItem:
    funder_label: str
    service_line: str
    amount: Decimal
    funder_order: int = 0
    funder_id: int | None = None


@dataclass(frozen=True)
class ExpenditureItem:
    manager: str
    description: str
    amount: Decimal
    order: int = 0


@dataclass(frozen=True)
class PrintedFigure:
    scope: str
    label: str
    amount: Decimal


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IncomeRow:
    funder_label: str
    funder_id: int | None
    cells: tuple[Decimal | None, ...]
    total: Decimal
    printed_total: Decimal | None = None

    @property
    def printed_differs(self) -> bool:
        return self.printed_total is not None and self.printed_total != self.total


@dataclass(frozen=True)
class ColumnTotal:
    service_line: str
    total: Decimal
    printed_total: Decimal | None = None

    @property
    def printed_differs(self) -> bool:
        return self.printed_total is not None and self.printed_total != self.total


@dataclass(frozen=True)
class ManagerGroup:
    manager: str
    lines: tuple[ExpenditureItem, ...]
    subtotal: Decimal


@dataclass(frozen=True)
class PrintedDifference:
    """A printed total beside what its lines add up to. `difference` = printed − computed."""

    scope: str
    label: str
    printed: Decimal
    computed: Decimal

    @property
    def difference(self) -> Decimal:
        return self.printed - self.computed

    @property
    def description(self) -> str:
        return {
            INCOME_FUNDER: f"Income from {self.label} (row total)",
            INCOME_SERVICE_LINE: f"Income for {self.label} (column total)",
            INCOME_GRAND: "Total income",
            EXPENDITURE_GRAND: "Total expenditure",
        }.get(self.scope, self.label)


@dataclass(frozen=True)
class BudgetSummary:
    financial_year: int
    service_lines: tuple[str, ...]
    income_rows: tuple[IncomeRow, ...]
    column_totals: tuple[ColumnTotal, ...]
    income_total: Decimal
    expenditure_groups: tuple[ManagerGroup, ...]
    expenditure_total: Decimal
    income_printed_total: Decimal | None = None
    expenditure_printed_total: Decimal | None = None
    printed_differences: tuple[PrintedDifference, ...] = ()

    @property
    def year_label(self) -> str:
        return fy.fy_label(self.financial_year)

    @property
    def balance(self) -> Decimal:
        """Income less expenditure: positive is a surplus, negative a deficit."""
        return self.income_total - self.expenditure_total

    @property
    def is_surplus(self) -> bool:
        return self.balance > 0

    @property
    def is_deficit(self) -> bool:
        return self.balance < 0

    @property
    def balance_words(self) -> str:
        """'a deficit of £1', 'a surplus of £250' or 'balanced'."""
        if self.is_deficit:
            return f"a deficit of {format_money(self.balance, signed=False)}"
        if self.is_surplus:
            return f"a surplus of {format_money(self.balance, signed=False)}"
        return "balanced"

    @property
    def has_income(self) -> bool:
        return bool(self.income_rows)

    @property
    def has_expenditure(self) -> bool:
        return bool(self.expenditure_groups)

    @property
    def is_empty(self) -> bool:
        return not (self.income_rows or self.expenditure_groups)

    @property
    def expenditure_line_count(self) -> int:
        return sum(len(group.lines) for group in self.expenditure_groups)

    def row_for(self, funder_label: str) -> IncomeRow | None:
        return next((r for r in self.income_rows if r.funder_label == funder_label), None)


# ---------------------------------------------------------------------------------------------
# The computation
# ---------------------------------------------------------------------------------------------


def summarise(
    financial_year: int,
    service_lines: Sequence[str],
    income: Iterable[IncomeItem],
    expenditure: Iterable[ExpenditureItem],
    printed: Iterable[PrintedFigure] = (),
) -> BudgetSummary:
    """Build the summary from the year's lines. Raises ValueError for a line naming a service
    line that is not in `service_lines`, or for two lines of one funder and service line (the
    database refuses both, so either means the caller passed the wrong rows)."""
    printed = list(printed)
    printed_by = {(p.scope, p.label): p.amount for p in printed}
    income_rows = _income_rows(income, service_lines, printed_by)
    column_totals = _column_totals(income_rows, service_lines, printed_by)
    income_total = sum((r.total for r in income_rows), ZERO)
    expenditure_groups = _expenditure_groups(expenditure)
    expenditure_total = sum((g.subtotal for g in expenditure_groups), ZERO)

    computed = {(INCOME_FUNDER, r.funder_label): r.total for r in income_rows}
    computed |= {(INCOME_SERVICE_LINE, c.service_line): c.total for c in column_totals}
    computed[(INCOME_GRAND, "")] = income_total
    computed[(EXPENDITURE_GRAND, "")] = expenditure_total
    differences = tuple(
        PrintedDifference(p.scope, p.label, p.amount, computed.get((p.scope, p.label), ZERO))
        for p in _in_table_order(printed, income_rows, service_lines)
        if p.amount != computed.get((p.scope, p.label), ZERO)
    )
    return BudgetSummary(
        financial_year=financial_year,
        service_lines=tuple(service_lines),
        income_rows=income_rows,
        column_totals=column_totals,
        income_total=income_total,
        income_printed_total=printed_by.get((INCOME_GRAND, "")),
        expenditure_groups=expenditure_groups,
        expenditure_total=expenditure_total,
        expenditure_printed_total=printed_by.get((EXPENDITURE_GRAND, "")),
        printed_differences=differences,
    )


def _income_rows(
    income: Iterable[IncomeItem],
    service_lines: Sequence[str],
    printed_by: dict[tuple[str, str], Decimal],
) -> tuple[IncomeRow, ...]:
    """One row per funder label, in funder order, then order of first appearance; a cell per
    service line, None where the funder has no line."""
    columns = {name: n for n, name in enumerate(service_lines)}
    rows: dict[str, dict] = {}
    for position, item in enumerate(income):
        if item.service_line not in columns:
            raise ValueError(f"{item.service_line!r} is not one of this year's service lines.")
        row = rows.setdefault(
            item.funder_label,
            {
                "key": (item.funder_order, position),
                "funder_id": item.funder_id,
                "cells": [None] * len(columns),
            },
        )
        column = columns[item.service_line]
        if row["cells"][column] is not None:
            raise ValueError(f"Two lines for {item.funder_label} / {item.service_line}.")
        row["cells"][column] = item.amount
    return tuple(
        IncomeRow(
            funder_label=label,
            funder_id=row["funder_id"],
            cells=tuple(row["cells"]),
            total=sum((c for c in row["cells"] if c is not None), ZERO),
            printed_total=printed_by.get((INCOME_FUNDER, label)),
        )
        for label, row in sorted(rows.items(), key=lambda kv: kv[1]["key"])
    )


def _column_totals(
    income_rows: tuple[IncomeRow, ...],
    service_lines: Sequence[str],
    printed_by: dict[tuple[str, str], Decimal],
) -> tuple[ColumnTotal, ...]:
    return tuple(
        ColumnTotal(
            service_line=name,
            total=sum((r.cells[n] for r in income_rows if r.cells[n] is not None), ZERO),
            printed_total=printed_by.get((INCOME_SERVICE_LINE, name)),
        )
        for n, name in enumerate(service_lines)
    )


def _expenditure_groups(expenditure: Iterable[ExpenditureItem]) -> tuple[ManagerGroup, ...]:
    """Lines grouped by manager, groups in the order their first line comes."""
    groups: dict[str, list[ExpenditureItem]] = {}
    for item in sorted(expenditure, key=lambda e: e.order):
        groups.setdefault(item.manager, []).append(item)
    return tuple(
        ManagerGroup(
            manager=manager,
            lines=tuple(lines),
            subtotal=sum((line.amount for line in lines), ZERO),
        )
        for manager, lines in groups.items()
    )


def _in_table_order(
    printed: list[PrintedFigure], rows: tuple[IncomeRow, ...], service_lines: Sequence[str]
) -> list[PrintedFigure]:
    """Rows top to bottom, then columns left to right, then the grand totals."""
    row_rank = {r.funder_label: n for n, r in enumerate(rows)}
    column_rank = {name: n for n, name in enumerate(service_lines)}
    scope_rank = {INCOME_FUNDER: 0, INCOME_SERVICE_LINE: 1, INCOME_GRAND: 2, EXPENDITURE_GRAND: 3}

    def key(p: PrintedFigure):
        within = {INCOME_FUNDER: row_rank, INCOME_SERVICE_LINE: column_rank}.get(p.scope, {})
        return (scope_rank.get(p.scope, 9), within.get(p.label, len(within)), p.label)

    return sorted(printed, key=key)


# ---------------------------------------------------------------------------------------------
# A partner's contributions, year on year
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Contribution:
    """Input: one income line of one funder."""

    financial_year: int
    service_line: str
    amount: Decimal
    service_line_order: int = 0
    plan_id: int | None = None
    plan_title: str = ""


@dataclass(frozen=True)
class ContributionColumn:
    financial_year: int
    plan_id: int | None
    heading: str
    total: Decimal
    change: Decimal | None  # from the previous column; None for the first

    @property
    def change_percent(self) -> Decimal | None:
        previous = None if self.change is None else self.total - self.change
        if not previous:
            return None
        return (self.change / previous * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ContributionRow:
    service_line: str
    cells: tuple[Decimal | None, ...]


@dataclass(frozen=True)
class Contributions:
    columns: tuple[ContributionColumn, ...]
    rows: tuple[ContributionRow, ...]

    @property
    def is_empty(self) -> bool:
        return not self.columns


def contributions(items: Iterable[Contribution]) -> Contributions:
    """One funder's lines as service lines × years (one column per plan year, oldest first).

    Service lines are matched by name across years and listed in the newest year's order.
    A year held by two plans gets a column for each, headed with the plan's title.
    """
    items = list(items)
    column_keys = sorted({(i.financial_year, i.plan_id, i.plan_title) for i in items})
    years_seen: dict[int, int] = {}
    for year, _, _ in column_keys:
        years_seen[year] = years_seen.get(year, 0) + 1
    index = {(year, plan_id): n for n, (year, plan_id, _) in enumerate(column_keys)}
    rank: dict[str, tuple[int, int]] = {}
    cells: dict[str, list[Decimal | None]] = {}
    for item in items:
        rank[item.service_line] = min(
            rank.get(item.service_line, (1, 10**9)), (-item.financial_year, item.service_line_order)
        )
        row = cells.setdefault(item.service_line, [None] * len(column_keys))
        n = index[(item.financial_year, item.plan_id)]
        row[n] = (row[n] or ZERO) + item.amount
    rows = tuple(
        ContributionRow(name, tuple(cells[name]))
        for name in sorted(cells, key=lambda name: (rank[name], name))
    )
    columns = []
    previous = None
    for n, (year, plan_id, title) in enumerate(column_keys):
        total = sum((r.cells[n] for r in rows if r.cells[n] is not None), ZERO)
        heading = fy.fy_label(year) + (f" ({title})" if years_seen[year] > 1 else "")
        columns.append(
            ContributionColumn(
                financial_year=year,
                plan_id=plan_id,
                heading=heading,
                total=total,
                change=None if previous is None else total - previous,
            )
        )
        previous = total
    return Contributions(columns=tuple(columns), rows=rows)

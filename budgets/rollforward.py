"""The budget's carrier for a roll forward (planning.rollforward): the service lines, and the
income and expenditure lines as next year's draft budget.

Each year of the new plan takes the source's lines for the same year where the source has
them (an overlapping multi-year plan), else those of the source's last year with lines (a
one-year plan's 2006/07 lines become 2007/08's draft), amounts as they were: the planner
revises them. Printed totals, monthly actuals and savings schemes belong to the year they
report on and are not carried.
"""

from __future__ import annotations

from budgets.models import ExpenditureLine, IncomeLine, ServiceLine
from planning import fy, rollforward
from planning.models import Plan


def _years(source: Plan, start: int, end: int, available: set[int]) -> dict[int, int]:
    """New year → the source year whose lines it starts from."""
    if not available:
        return {}
    last = max(available)
    return {year: year if year in available else last for year in range(start, end + 1)}


def preview(source: Plan) -> list[rollforward.PreviewGroup]:
    """Two queries (the counts of each kind of line by year)."""
    counts = {}
    for model in (IncomeLine, ExpenditureLine):
        for year in model.objects.filter(plan=source).values_list("financial_year", flat=True):
            counts.setdefault(model, {}).setdefault(year, 0)
            counts[model][year] += 1
    income, spend = counts.get(IncomeLine, {}), counts.get(ExpenditureLine, {})
    available = set(income) | set(spend)
    rows = [
        rollforward.PreviewRow(
            text=f"{fy.fy_label(year)}: {income.get(year, 0)} income lines and "
            f"{spend.get(year, 0)} expenditure lines"
        )
        for year in sorted(available)
    ]
    return [
        rollforward.PreviewGroup(
            key="budget",
            title="Budget lines",
            carried=rows,
            carried_count=sum(income.values()) + sum(spend.values()),
            listed=bool(rows),
            note="They become the new plan's draft budget, amounts as they are, for the "
            "planner to revise. Monthly actuals, printed totals and savings schemes stay with "
            "this year."
            if rows
            else "This plan has no budget lines.",
        )
    ]


def carry(context: rollforward.CarryContext) -> None:
    source, target = context.source, context.target
    rollforward.carry_all(context, ServiceLine, ServiceLine.objects.filter(plan=source))
    services = context.mapping(ServiceLine)
    for model, extra in ((IncomeLine, {}), (ExpenditureLine, {})):
        lines = list(model.objects.filter(plan=source).order_by("financial_year", "pk"))
        years = _years(
            source, target.start_year, target.end_year, {line.financial_year for line in lines}
        )
        names = rollforward.copy_fields(model)
        pairs = []
        for new_year, old_year in years.items():
            for line in lines:
                if line.financial_year != old_year:
                    continue
                changes = {"plan_id": target.pk, "financial_year": new_year, **extra}
                if model is IncomeLine:
                    changes["service_line_id"] = services[line.service_line_id]
                # The same old line may seed several new years: its id maps to the last copy.
                pairs.append((line.pk, rollforward.copy_of(model, line, names, **changes)))
        context.create(model, pairs)


def register() -> None:
    rollforward.register(
        rollforward.Carrier(key="budgets", position=30, preview=preview, carry=carry)
    )

"""Reads for the budget pages, each in a fixed number of queries whatever the number of lines.

Public API for other apps (the plan PDF's finance appendix, the quarterly scorecard):

    from budgets.selectors import budget_summary_for
    summary = budget_summary_for(plan, 2006)          # -> budgets.summary.BudgetSummary

Four queries (service lines, income lines, expenditure lines, printed totals), whatever the
number of lines. It checks no permission: call it for a plan the user may already see. Render it
with `{% include "budgets/_summary_tables.html" with summary=summary %}`; the fields are
described in budgets/summary.py. `summary.is_empty` is true for a year with no lines.

Also here: `monitoring_for` (in-year monitoring, budgets/monitoring.py), `partner_view`
(a funder's contributions year on year), `savings_programme` and `budget_index`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q

from budgets import monitoring, savings
from budgets.models import (
    BudgetSettings,
    BudgetYear,
    ExpenditureLine,
    IncomeLine,
    MonthlyActual,
    PrintedTotal,
    SavingsScheme,
    SavingsTarget,
    ServiceLine,
)
from budgets.summary import (
    BudgetSummary,
    Contribution,
    Contributions,
    ExpenditureItem,
    IncomeItem,
    PrintedFigure,
    contributions,
    summarise,
)
from objectives.models import Objective
from planning import fy, permissions
from planning.models import ClientRelationship, Organisation, Plan
from planning.permissions import Action

# ---------------------------------------------------------------------------------------------
# The year's summary (Appendix 3)
# ---------------------------------------------------------------------------------------------


def budget_summary_for(plan: Plan, financial_year: int) -> BudgetSummary:
    """The plan year's income matrix, expenditure by manager, balance and printed differences."""
    service_lines = list(
        ServiceLine.objects.filter(plan=plan).order_by("order", "pk").values_list("name", flat=True)
    )
    income = [
        IncomeItem(
            funder_label=label,
            service_line=service_line,
            amount=amount,
            funder_order=order,
            funder_id=funder_id,
        )
        for label, service_line, amount, order, funder_id in IncomeLine.objects.filter(
            plan=plan, financial_year=financial_year
        )
        .order_by("funder_order", "service_line__order", "pk")
        .values_list("funder_label", "service_line__name", "amount", "funder_order", "funder_id")
    ]
    expenditure = [
        ExpenditureItem(manager=manager, description=description, amount=amount, order=order)
        for manager, description, amount, order in ExpenditureLine.objects.filter(
            plan=plan, financial_year=financial_year
        )
        .order_by("order", "pk")
        .values_list("manager", "description", "amount", "order")
    ]
    printed = [
        PrintedFigure(scope=scope, label=label, amount=amount)
        for scope, label, amount in PrintedTotal.objects.filter(
            plan=plan, financial_year=financial_year
        ).values_list("scope", "label", "amount")
    ]
    return summarise(financial_year, service_lines, income, expenditure, printed)


def year_version(plan: Plan, financial_year: int) -> BudgetYear:
    """The year's versions; an unsaved row at version 0 if nothing was saved yet."""
    found = BudgetYear.objects.filter(plan=plan, financial_year=financial_year).first()
    return found or BudgetYear(plan=plan, financial_year=financial_year)


def budget_settings(plan: Plan) -> BudgetSettings:
    """The plan's thresholds; the defaults (unsaved) if its planners have not set any."""
    found = BudgetSettings.objects.filter(plan=plan).first()
    return found or BudgetSettings(plan=plan)


def thresholds_for(settings: BudgetSettings) -> monitoring.Thresholds:
    return monitoring.Thresholds(amber_at=settings.amber_at_percent, red_at=settings.red_at_percent)


# ---------------------------------------------------------------------------------------------
# In-year monitoring
# ---------------------------------------------------------------------------------------------


def income_lines(plan: Plan, financial_year: int):
    return (
        IncomeLine.objects.filter(plan=plan, financial_year=financial_year)
        .select_related("service_line")
        .order_by("funder_order", "service_line__order", "pk")
    )


def expenditure_lines(plan: Plan, financial_year: int):
    return ExpenditureLine.objects.filter(plan=plan, financial_year=financial_year).order_by(
        "order", "pk"
    )


def actuals_of(plan: Plan, financial_year: int):
    """The year's actuals, of income and expenditure lines alike, in one query."""
    return MonthlyActual.objects.filter(financial_year=financial_year).filter(
        Q(income_line__plan=plan) | Q(expenditure_line__plan=plan)
    )


def default_month(
    financial_year: int, recorded: list[dt.date], today: dt.date | None = None
) -> dt.date:
    """The latest month with actuals; else this month if it is in the year; else April."""
    if recorded:
        return max(recorded)
    today = today or dt.date.today()
    if monitoring.in_financial_year(today, financial_year):
        return monitoring.month_start(today)
    return monitoring.months_of(financial_year)[0]


def monitoring_for(
    plan: Plan,
    financial_year: int,
    month: dt.date | None = None,
    *,
    settings: BudgetSettings | None = None,
    today: dt.date | None = None,
) -> monitoring.Monitoring:
    """The plan year at the end of `month` (default: the latest month with actuals)."""
    settings = settings or budget_settings(plan)
    by_income: dict[int, dict[dt.date, Decimal]] = defaultdict(dict)
    by_expenditure: dict[int, dict[dt.date, Decimal]] = defaultdict(dict)
    for income_id, expenditure_id, when, amount in actuals_of(plan, financial_year).values_list(
        "income_line_id", "expenditure_line_id", "month", "amount"
    ):
        if income_id:
            by_income[income_id][when] = amount
        else:
            by_expenditure[expenditure_id][when] = amount
    income = [
        monitoring.MonitoredLine(
            kind=monitoring.Kind.INCOME,
            group=line.funder_label,
            label=line.service_line.name,
            annual_budget=line.amount,
            actuals=by_income.get(line.pk, {}),
            key=line.pk,
        )
        for line in income_lines(plan, financial_year)
    ]
    expenditure = [
        monitoring.MonitoredLine(
            kind=monitoring.Kind.EXPENDITURE,
            group=line.manager,
            label=line.description,
            annual_budget=line.amount,
            actuals=by_expenditure.get(line.pk, {}),
            key=line.pk,
        )
        for line in expenditure_lines(plan, financial_year)
    ]
    # Expenditure groups come in the order of each manager's first line, as in the summary.
    if month is None:
        recorded = [m for a in (*by_income.values(), *by_expenditure.values()) for m in a]
        month = default_month(financial_year, recorded, today)
    return monitoring.monitor(financial_year, month, income, expenditure, thresholds_for(settings))


# ---------------------------------------------------------------------------------------------
# Partner view
# ---------------------------------------------------------------------------------------------


def partner_contributions(provider: Organisation, funder: Organisation) -> Contributions:
    """What `funder` pays `provider`, by service line and year: its own lines and no others."""
    lines = (
        IncomeLine.objects.filter(plan__organisation=provider, funder=funder)
        .order_by("financial_year", "plan__title", "service_line__order")
        .values_list(
            "financial_year",
            "service_line__name",
            "amount",
            "service_line__order",
            "plan_id",
            "plan__title",
        )
    )
    return contributions(
        Contribution(
            financial_year=year,
            service_line=name,
            amount=amount,
            service_line_order=order,
            plan_id=plan_id,
            plan_title=title,
        )
        for year, name, amount, order, plan_id, title in lines
    )


def clients_of(provider: Organisation):
    return (
        ClientRelationship.objects.filter(provider=provider)
        .select_related("client")
        .order_by("kind", "order")
    )


# ---------------------------------------------------------------------------------------------
# Savings programme
# ---------------------------------------------------------------------------------------------


@dataclass
class SavingsProgramme:
    plan: Plan
    schemes: list[SavingsScheme]
    years: list[int]
    totals_by_year: list[savings.Total]
    total: savings.Total

    @property
    def fte_effect(self) -> Decimal:
        return sum((s.fte_effect for s in self.schemes), Decimal("0"))


def savings_programme(plan: Plan) -> SavingsProgramme:
    """The plan's schemes with their targets, objectives and owner role, and the totals."""
    schemes = list(
        SavingsScheme.objects.filter(plan=plan)
        .select_related("owner_role")
        .prefetch_related(
            Prefetch("targets", queryset=SavingsTarget.objects.order_by("financial_year")),
            Prefetch(
                "objectives",
                queryset=Objective.objects.only("pk", "reference", "text", "plan_id").order_by(
                    "order"
                ),
            ),
        )
        .order_by("order", "title")
    )
    items = []
    years = set(plan.financial_years)
    for scheme in schemes:
        targets = list(scheme.targets.all())
        scheme.target_by_year = {t.financial_year: t for t in targets}
        scheme.total = savings.overall(
            [savings.Total("", t.amount, t.delivered) for t in targets], label=scheme.title
        )
        items.extend(savings.TargetItem(t.financial_year, t.amount, t.delivered) for t in targets)
        years |= set(scheme.target_by_year)
    by_year = savings.by_year(items, years)
    for scheme in schemes:
        scheme.year_cells = [scheme.target_by_year.get(year) for year in sorted(years)]
    return SavingsProgramme(
        plan=plan,
        schemes=schemes,
        years=sorted(years),
        totals_by_year=by_year,
        total=savings.overall(by_year),
    )


# ---------------------------------------------------------------------------------------------
# The budgets home page
# ---------------------------------------------------------------------------------------------


@dataclass
class BudgetIndex:
    plans: list[Plan] = field(default_factory=list)
    # (provider, funder) pairs for which the user sees a partner view.
    partner_links: list[tuple[Organisation, Organisation]] = field(default_factory=list)


def budget_index(user) -> BudgetIndex:
    visible = permissions.organisations_where(user, Action.VIEW)
    plans = list(Plan.objects.in_organisations(visible).select_related("organisation"))
    for plan in plans:
        plan.year_labels = [(year, fy.fy_label(year)) for year in plan.financial_years]
    relationships = (
        permissions.funder_relationships(user)
        .select_related("provider", "client")
        .order_by("provider__name", "client__name")
    )
    return BudgetIndex(plans=plans, partner_links=[(r.provider, r.client) for r in relationships])


# ---------------------------------------------------------------------------------------------
# Finance on the quarterly scorecard
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScorecardFinance:
    """The budget year of a scorecard quarter: its summary and its monitoring at the quarter end.

    `monitoring` is None until any actual is recorded for the year, so the scorecard never
    presents a budget phasing as if it were spending.
    """

    financial_year: int
    month: dt.date
    summary: BudgetSummary
    monitoring: monitoring.Monitoring | None

    @property
    def year_label(self) -> str:
        return fy.fy_label(self.financial_year)


def scorecard_finance(plan: Plan, quarter) -> ScorecardFinance | None:
    """Finance for `plan` at the end of `quarter` (a planning.fy.Quarter), or None if the plan
    has no budget lines for that financial year. A fixed number of queries."""
    summary = budget_summary_for(plan, quarter.year)
    if summary.is_empty:
        return None
    month = monitoring.month_start(quarter.end)
    position = monitoring_for(plan, quarter.year, month)
    return ScorecardFinance(
        financial_year=quarter.year,
        month=month,
        summary=summary,
        monitoring=position if position.months_with_actuals else None,
    )

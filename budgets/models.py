"""Budgets per plan year: income by funder and service line, expenditure by manager.

Lines are stored as printed; totals are always computed from them, never typed.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from planning import fy
from planning.models import Organisation, Plan
from planning.rag import RAG

MONEY = {"max_digits": 14, "decimal_places": 2}


class ServiceLine(models.Model):
    """An income category, e.g. "Management Services"."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="service_lines")
    name = models.CharField(max_length=120)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="unique_service_line"),
        ]

    def __str__(self) -> str:
        return self.name


class IncomeLine(models.Model):
    """What one funder (a partner or other client) pays for one service line in one year."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="income_lines")
    financial_year = models.PositiveSmallIntegerField(help_text="Start year, e.g. 2006.")
    funder = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="income_lines",
        help_text="Blank for a catch-all such as 'Others'.",
    )
    funder_label = models.CharField(
        max_length=120, help_text="As printed, e.g. 'Richmond & Tw PCT'."
    )
    funder_order = models.PositiveIntegerField(default=0)
    service_line = models.ForeignKey(
        ServiceLine, on_delete=models.PROTECT, related_name="income_lines"
    )
    amount = models.DecimalField(**MONEY)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "financial_year", "funder_order", "service_line__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "financial_year", "funder_label", "service_line"],
                name="unique_income_line",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=Decimal("0")),
                name="income_amount_non_negative",
                violation_error_message="An income amount cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funder_label} — {self.service_line}: £{self.amount:,}"


class ExpenditureLine(models.Model):
    """A budget line under the manager responsible for it."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="expenditure_lines")
    financial_year = models.PositiveSmallIntegerField()
    manager = models.CharField(max_length=120, help_text="Responsible manager, as printed.")
    description = models.CharField(max_length=200)
    amount = models.DecimalField(**MONEY)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "financial_year", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "financial_year", "manager", "description"],
                name="unique_expenditure_line",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=Decimal("0")),
                name="expenditure_amount_non_negative",
                violation_error_message="An expenditure amount cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.manager} — {self.description}: £{self.amount:,}"


class TotalScope(models.TextChoices):
    INCOME_FUNDER = "income_funder", "Income row (funder)"
    INCOME_SERVICE_LINE = "income_service_line", "Income column (service line)"
    INCOME_GRAND = "income_grand", "Income grand total"
    EXPENDITURE_GRAND = "expenditure_grand", "Expenditure total"


class PrintedTotal(models.Model):
    """A total as the source document printed it, kept only to show where it differs."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="printed_totals")
    financial_year = models.PositiveSmallIntegerField()
    scope = models.CharField(max_length=30, choices=TotalScope.choices)
    label = models.CharField(max_length=120, blank=True)
    amount = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["plan", "financial_year", "scope", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "financial_year", "scope", "label"], name="unique_printed_total"
            ),
            models.CheckConstraint(
                condition=Q(scope__in=TotalScope.values), name="printed_total_scope_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Printed {self.get_scope_display().lower()} {self.label}: £{self.amount:,}"


# ---------------------------------------------------------------------------------------------
# Concurrency and settings
# ---------------------------------------------------------------------------------------------


class BudgetYear(models.Model):
    """Bookkeeping for one plan year's budget: the versions that detect concurrent edits.

    `version` goes up with every save of the year's income or expenditure lines (by the forms
    or an import), `actuals_version` with every save of its monthly actuals. A save made from an
    older version is refused, never silently applied. The row is created by the first save:
    readers treat a missing row as version 0.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="budget_years")
    financial_year = models.PositiveSmallIntegerField()
    version = models.PositiveIntegerField(default=0)
    actuals_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "financial_year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "financial_year"], name="unique_budget_year"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} budget {self.financial_year}"


PERCENT = {"max_digits": 5, "decimal_places": 2}


class BudgetSettings(models.Model):
    """A plan's monitoring thresholds, set by its planners, and the version of its service lines.

    A line's year-to-date variance is Amber when it is adverse by `amber_at_percent` of its
    budget to date or more, Red at `red_at_percent` or more; otherwise Green.
    """

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="budget_settings")
    amber_at_percent = models.DecimalField(
        "Amber at (% adverse)", default=Decimal("2.00"), **PERCENT
    )
    red_at_percent = models.DecimalField("Red at (% adverse)", default=Decimal("5.00"), **PERCENT)
    version = models.PositiveIntegerField(default=0)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = "budget settings"
        verbose_name_plural = "budget settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(amber_at_percent__gte=Decimal("0"))
                & Q(red_at_percent__gte=models.F("amber_at_percent")),
                name="budget_thresholds_ordered",
                violation_error_message=(
                    "The Red threshold must be larger than the Amber threshold."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Budget settings for {self.plan}"


# ---------------------------------------------------------------------------------------------
# In-year monitoring
# ---------------------------------------------------------------------------------------------


class MonthlyActual(models.Model):
    """What one income or expenditure line actually received or spent in one month.

    Exactly one of the two lines is set. `month` is the first day of the month;
    `financial_year` is copied from the line when saved so that the database itself refuses a
    month outside the line's financial year (April to March).
    """

    # PROTECT: a line with actuals recorded cannot be deleted and take its actuals with it.
    income_line = models.ForeignKey(
        IncomeLine, on_delete=models.PROTECT, null=True, blank=True, related_name="actuals"
    )
    expenditure_line = models.ForeignKey(
        ExpenditureLine, on_delete=models.PROTECT, null=True, blank=True, related_name="actuals"
    )
    financial_year = models.PositiveSmallIntegerField(editable=False)
    month = models.DateField(help_text="The first day of the month.")
    amount = models.DecimalField(**MONEY)

    history = HistoricalRecords()

    class Meta:
        ordering = ["month", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(income_line__isnull=False, expenditure_line__isnull=True)
                    | Q(income_line__isnull=True, expenditure_line__isnull=False)
                ),
                name="actual_has_exactly_one_line",
                violation_error_message=(
                    "An actual belongs to exactly one income or expenditure line."
                ),
            ),
            models.UniqueConstraint(
                fields=["income_line", "month"],
                condition=Q(income_line__isnull=False),
                name="unique_income_actual_month",
            ),
            models.UniqueConstraint(
                fields=["expenditure_line", "month"],
                condition=Q(expenditure_line__isnull=False),
                name="unique_expenditure_actual_month",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=Decimal("0")),
                name="actual_amount_non_negative",
                violation_error_message="An actual amount cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="actual_month_first_day",
                violation_error_message="Record actuals against the first day of the month.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(month__year=models.F("financial_year"), month__month__gte=4)
                    | Q(month__year=models.F("financial_year") + 1, month__month__lte=3)
                ),
                name="actual_month_in_financial_year",
                violation_error_message=(
                    "That month is outside the plan's financial year (April to March)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.month:%b %Y}: £{self.amount:,}"

    def save(self, *args, **kwargs):
        line = self.line
        if line is not None:
            self.financial_year = line.financial_year
        super().save(*args, **kwargs)

    def clean(self):
        """What the constraints refuse, as messages on the fields (the admin uses this)."""
        if bool(self.income_line_id) == bool(self.expenditure_line_id):
            raise ValidationError("Choose an income line or an expenditure line: one, not both.")
        line = self.line
        self.financial_year = line.financial_year
        if self.month is not None:
            if self.month.day != 1:
                raise ValidationError({"month": "Enter the first day of the month."})
            if not fy.fy_start(line.financial_year) <= self.month <= fy.fy_end(line.financial_year):
                raise ValidationError(
                    {
                        "month": f"{self.month:%B %Y} is outside the line's financial year, "
                        f"{fy.fy_label(line.financial_year)}."
                    }
                )

    @property
    def line(self):
        return self.income_line or self.expenditure_line


# ---------------------------------------------------------------------------------------------
# Savings programme
# ---------------------------------------------------------------------------------------------


class SavingsStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"
    IN_DELIVERY = "in_delivery", "In delivery"
    DELIVERED = "delivered", "Delivered"
    WITHDRAWN = "withdrawn", "Withdrawn"


class SavingsScheme(models.Model):
    """One scheme of a plan's savings programme (cost improvement, QIPP and the like)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="savings_schemes")
    title = models.CharField(max_length=200)
    owner_text = models.CharField("owner (as written)", max_length=150, blank=True)
    owner_role = models.ForeignKey(
        "planning.Role",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="savings_schemes",
        verbose_name="owner's role",
    )
    fte_effect = models.DecimalField(
        "effect on staff (FTE)",
        max_digits=7,
        decimal_places=2,
        default=Decimal("0"),
        help_text="Whole-time equivalents: negative for a reduction, positive for new posts.",
    )
    status = models.CharField(
        max_length=20, choices=SavingsStatus.choices, default=SavingsStatus.PROPOSED
    )
    rag = models.CharField("RAG", max_length=10, choices=RAG.choices, blank=True)
    objectives = models.ManyToManyField(
        "objectives.Objective", blank=True, related_name="savings_schemes"
    )
    order = models.PositiveIntegerField(default=0)
    # Optimistic concurrency: a save from a stale version is refused.
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["plan", "order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "title"], name="unique_savings_scheme"),
            models.CheckConstraint(
                condition=Q(status__in=SavingsStatus.values), name="savings_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(rag__in=[*RAG.values, ""]), name="savings_rag_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SavingsTarget(models.Model):
    """A scheme's target saving for one financial year, and what it has delivered of it."""

    scheme = models.ForeignKey(SavingsScheme, on_delete=models.CASCADE, related_name="targets")
    financial_year = models.PositiveSmallIntegerField()
    amount = models.DecimalField("target", **MONEY)
    delivered = models.DecimalField(
        "delivered to date", default=Decimal("0"), help_text="Recurrent saving achieved.", **MONEY
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "financial_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "financial_year"], name="unique_savings_target"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=Decimal("0")),
                name="savings_target_non_negative",
                violation_error_message="A savings target cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(delivered__gte=Decimal("0")),
                name="savings_delivered_non_negative",
                violation_error_message="Delivered savings cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.financial_year}: £{self.amount:,}"

"""Budgets per plan year: income by funder and service line, expenditure by manager.

Lines are stored as printed; totals are always computed from them, never typed.
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from planning.models import Organisation, Plan

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
                condition=Q(amount__gte=Decimal("0")), name="income_amount_non_negative"
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
                condition=Q(amount__gte=Decimal("0")), name="expenditure_amount_non_negative"
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

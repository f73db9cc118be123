from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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


@admin.register(ServiceLine)
class ServiceLineAdmin(SimpleHistoryAdmin):
    list_display = ["name", "plan", "order"]
    list_filter = ["plan"]
    search_fields = ["name"]


@admin.register(IncomeLine)
class IncomeLineAdmin(SimpleHistoryAdmin):
    list_display = ["funder_label", "service_line", "amount", "financial_year", "plan"]
    list_filter = ["plan", "financial_year", "service_line"]
    search_fields = ["funder_label", "funder__name", "service_line__name"]
    list_select_related = ["plan", "service_line", "funder"]


@admin.register(ExpenditureLine)
class ExpenditureLineAdmin(SimpleHistoryAdmin):
    list_display = ["manager", "description", "amount", "financial_year", "plan"]
    list_filter = ["plan", "financial_year", "manager"]
    search_fields = ["manager", "description"]
    list_select_related = ["plan"]


@admin.register(PrintedTotal)
class PrintedTotalAdmin(admin.ModelAdmin):
    list_display = ["scope", "label", "amount", "financial_year", "plan"]
    list_filter = ["plan", "scope"]


@admin.register(MonthlyActual)
class MonthlyActualAdmin(SimpleHistoryAdmin):
    list_display = ["month", "income_line", "expenditure_line", "amount", "financial_year"]
    list_filter = ["financial_year", "month"]
    search_fields = [
        "income_line__funder_label",
        "income_line__service_line__name",
        "expenditure_line__manager",
        "expenditure_line__description",
    ]
    list_select_related = ["income_line__service_line", "expenditure_line"]
    raw_id_fields = ["income_line", "expenditure_line"]


@admin.register(BudgetYear)
class BudgetYearAdmin(admin.ModelAdmin):
    """Bookkeeping only: the versions that detect concurrent edits. Read-only here."""

    list_display = ["plan", "financial_year", "version", "actuals_version"]
    list_select_related = ["plan"]
    readonly_fields = ["plan", "financial_year", "version", "actuals_version"]

    def has_add_permission(self, request):
        return False


@admin.register(BudgetSettings)
class BudgetSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "amber_at_percent", "red_at_percent"]
    list_select_related = ["plan"]
    readonly_fields = ["version"]


class SavingsTargetInline(admin.TabularInline):
    model = SavingsTarget
    extra = 0


@admin.register(SavingsTarget)
class SavingsTargetAdmin(SimpleHistoryAdmin):
    list_display = ["scheme", "financial_year", "amount", "delivered"]
    list_filter = ["financial_year"]
    list_select_related = ["scheme"]


@admin.register(SavingsScheme)
class SavingsSchemeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "plan", "status", "rag", "fte_effect"]
    list_filter = ["plan", "status", "rag"]
    search_fields = ["title", "owner_text"]
    list_select_related = ["plan"]
    raw_id_fields = ["objectives", "owner_role"]
    readonly_fields = ["version"]
    inlines = [SavingsTargetInline]

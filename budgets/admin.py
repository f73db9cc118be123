from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from budgets.models import ExpenditureLine, IncomeLine, PrintedTotal, ServiceLine


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

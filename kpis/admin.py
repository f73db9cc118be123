from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kpis.models import KPI, Measurement


class MeasurementInline(admin.TabularInline):
    model = Measurement
    extra = 0
    fields = ["period_start", "value", "commentary"]


@admin.register(KPI)
class KPIAdmin(SimpleHistoryAdmin):
    list_display = [
        "code",
        "name",
        "perspective",
        "unit",
        "polarity",
        "frequency",
        "target",
        "in_development",
        "plan",
    ]
    list_filter = ["plan", "perspective", "polarity", "frequency", "in_development"]
    search_fields = ["code", "name", "owner_text"]
    list_select_related = ["plan", "plan__organisation"]
    inlines = [MeasurementInline]


@admin.register(Measurement)
class MeasurementAdmin(SimpleHistoryAdmin):
    list_display = ["kpi", "period_start", "value"]
    list_filter = ["kpi__plan", "kpi__perspective"]
    search_fields = ["kpi__code", "kpi__name", "commentary"]
    list_select_related = ["kpi"]
    date_hierarchy = "period_start"

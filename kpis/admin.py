from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kpis.models import KPI, KPITarget, Measurement
from planning.admin import ReadOnlyAdmin


class VersionedAdminMixin:
    """A change saved here bumps the record's version, so a form opened before it (on the
    KPI pages) is refused as stale rather than silently overwriting the change."""

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


class MeasurementInline(admin.TabularInline):
    model = Measurement
    extra = 0
    fields = ["period_start", "value", "commentary", "starts_new_limits", "synthetic"]


@admin.register(KPI)
class KPIAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "code",
        "name",
        "perspective",
        "unit",
        "polarity",
        "frequency",
        "in_development",
        "plan",
    ]
    list_filter = ["plan", "perspective", "polarity", "frequency", "in_development"]
    search_fields = ["code", "name", "owner_text"]
    list_select_related = ["plan", "plan__organisation"]
    # The line a KPI continues is set by a roll forward (planning.rollforward), never by hand.
    readonly_fields = ["version", "carried_from", "lineage_root", "lineage_depth"]
    inlines = [MeasurementInline]

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            instance = inline_form.instance
            if instance.pk and inline_form.has_changed():
                instance.version += 1
        super().save_formset(request, form, formset, change)


@admin.register(Measurement)
class MeasurementAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["kpi", "period_start", "value", "synthetic"]
    list_filter = ["kpi__plan", "kpi__perspective", "synthetic"]
    search_fields = ["kpi__code", "kpi__name", "commentary"]
    list_select_related = ["kpi"]
    date_hierarchy = "period_start"
    readonly_fields = ["version"]


@admin.register(KPITarget)
class KPITargetAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """Read only: targets change through the KPI's "Change target" page
    (kpis.services.kpi_target_change), which keeps reported quarters' colours."""

    list_display = ["kpi", "effective_from", "target", "tolerance", "created_by"]
    list_filter = ["kpi__plan"]
    search_fields = ["kpi__code", "kpi__name", "reason"]
    list_select_related = ["kpi", "created_by"]

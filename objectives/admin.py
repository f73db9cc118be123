from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from objectives.models import Goal, Milestone, Objective, ProgressUpdate


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class ProgressUpdateInline(admin.TabularInline):
    """Updates are history: shown, never edited here."""

    model = ProgressUpdate
    extra = 0
    can_delete = False
    fields = [
        "created_at",
        "created_by",
        "financial_year",
        "quarter",
        "rag",
        "status",
        "percent_complete",
        "narrative",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Objective)
class ObjectiveAdmin(SimpleHistoryAdmin):
    list_display = [
        "reference",
        "text",
        "kind",
        "org_unit",
        "programme",
        "due_text",
        "due_date",
        "status",
        "rag",
        "is_new",
        "plan",
    ]
    list_filter = ["plan", "kind", "status", "rag", "is_new", "org_unit", "programme"]
    search_fields = ["reference", "text", "measure", "sro_text", "lead_text"]
    list_select_related = ["plan", "plan__organisation", "org_unit", "programme"]
    autocomplete_fields = ["kpis", "sro_roles", "lead_roles"]
    # carried_from: set by a roll forward (planning.rollforward), never by hand.
    readonly_fields = [
        "status",
        "rag",
        "percent_complete",
        "latest_update",
        "version",
        "carried_from",
    ]
    inlines = [MilestoneInline, ProgressUpdateInline]


@admin.register(Goal)
class GoalAdmin(SimpleHistoryAdmin):
    list_display = ["title", "section", "programme", "plan", "order"]
    list_filter = ["plan", "programme"]
    search_fields = ["title", "section"]
    list_select_related = ["plan", "plan__organisation", "programme"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    list_display = [
        "objective",
        "financial_year",
        "quarter",
        "rag",
        "status",
        "percent_complete",
        "created_by",
        "created_at",
        "state",
    ]
    list_filter = ["rag", "status", "financial_year", "quarter", "state"]
    search_fields = ["objective__reference", "objective__text", "narrative"]
    list_select_related = ["objective", "created_by"]

    def get_queryset(self, request):
        return ProgressUpdate.all_objects.all()  # corrected and withdrawn ones too

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["text", "objective", "lead_text", "due_date", "completed_on"]
    list_filter = ["objective__plan"]
    search_fields = ["text", "lead_text", "objective__reference"]
    list_select_related = ["objective"]

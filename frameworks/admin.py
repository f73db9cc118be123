from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from frameworks.models import (
    Assessment,
    Competency,
    CompetencyTarget,
    Framework,
    GapAnalysis,
    GapDimension,
)


@admin.register(Framework)
class FrameworkAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "synthetic"]
    list_filter = ["organisation"]


@admin.register(Competency)
class CompetencyAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name", "framework"]
    list_filter = ["framework"]


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["assessed_on", "kind", "framework"]
    list_filter = ["framework", "kind"]


@admin.register(CompetencyTarget)
class CompetencyTargetAdmin(SimpleHistoryAdmin):
    list_display = ["competency", "target_date", "level"]


@admin.register(GapAnalysis)
class GapAnalysisAdmin(SimpleHistoryAdmin):
    list_display = ["title", "plan"]


@admin.register(GapDimension)
class GapDimensionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "analysis", "order"]

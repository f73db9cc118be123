from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assurance.models import Control, Risk, RiskCategory, RiskReview, RiskSettings


@admin.register(Risk)
class RiskAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title", "organisation", "status", "review_date"]
    list_filter = ["organisation", "status", "is_principal"]
    search_fields = ["reference", "title"]


@admin.register(Control)
class ControlAdmin(SimpleHistoryAdmin):
    list_display = ["risk", "kind", "line_of_defence"]


@admin.register(RiskCategory)
class RiskCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "appetite"]


@admin.register(RiskSettings)
class RiskSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "low_max", "moderate_max", "high_max"]


@admin.register(RiskReview)
class RiskReviewAdmin(admin.ModelAdmin):
    list_display = ["risk", "reviewed_on", "reviewed_by", "likelihood", "consequence"]

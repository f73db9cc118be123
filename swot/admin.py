from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from swot.models import PestelDriver, SwotItem


@admin.register(SwotItem)
class SwotItemAdmin(SimpleHistoryAdmin):
    list_display = ["quadrant", "text", "order", "plan"]
    list_filter = ["plan", "quadrant"]
    search_fields = ["text"]


@admin.register(PestelDriver)
class PestelDriverAdmin(SimpleHistoryAdmin):
    list_display = ["category", "text", "order", "plan"]
    list_filter = ["plan", "category"]
    search_fields = ["text"]

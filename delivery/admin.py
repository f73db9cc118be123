from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from delivery import models


@admin.register(models.DeliveryItem)
class DeliveryItemAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title", "level", "plan", "status", "rag"]
    list_filter = ["level", "plan"]
    search_fields = ["reference", "title"]
    raw_id_fields = ["parent", "sro_person"]


admin.site.register(models.DeliveryUpdate, SimpleHistoryAdmin)
admin.site.register(models.YearFigure, SimpleHistoryAdmin)
admin.site.register(models.Dependency, SimpleHistoryAdmin)
admin.site.register(models.Lineage, SimpleHistoryAdmin)
admin.site.register(models.GovernanceBody, SimpleHistoryAdmin)
admin.site.register(models.Decision, SimpleHistoryAdmin)

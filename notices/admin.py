from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from notices.models import BoardPackPublication, NoticePreference, NoticeSettings, SentNotice


@admin.register(NoticeSettings)
class NoticeSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "reminder_days", "weekly_day", "enabled"]


@admin.register(NoticePreference)
class NoticePreferenceAdmin(SimpleHistoryAdmin):
    list_display = ["user", "reminders", "digests", "board_packs"]
    search_fields = ["user__username", "user__email"]


@admin.register(BoardPackPublication)
class BoardPackPublicationAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "financial_year", "quarter", "published_by", "published_at"]


@admin.register(SentNotice)
class SentNoticeAdmin(admin.ModelAdmin):
    list_display = ["kind", "period", "to_email", "state", "attempts", "created_at", "sent_at"]
    list_filter = ["kind", "state"]
    search_fields = ["to_email", "subject"]
    readonly_fields = [f.name for f in SentNotice._meta.fields]

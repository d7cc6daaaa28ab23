from django.contrib import admin

from soporte.escalation.models import Page, PageNotification


class NotificationInline(admin.TabularInline[PageNotification, Page]):
    model = PageNotification
    extra = 0
    can_delete = False
    readonly_fields = ("step", "target", "agent", "transport", "message", "created_at")


@admin.register(Page)
class PageAdmin(admin.ModelAdmin[Page]):
    list_display = ("id", "ticket", "severity", "reason", "opened_at", "acknowledged_at")
    list_filter = ("severity", "reason")
    readonly_fields = ("chain", "done_steps", "wake_at", "policy_version")
    inlines = [NotificationInline]

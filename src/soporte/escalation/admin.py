from django.contrib import admin

from soporte.admin import ViewOnly
from soporte.escalation.models import Page, PageNotification


class NotificationInline(ViewOnly, admin.TabularInline[PageNotification, Page]):
    model = PageNotification
    extra = 0
    can_delete = False
    readonly_fields = ("step", "target", "agent", "transport", "message", "created_at")


@admin.register(Page)
class PageAdmin(ViewOnly, admin.ModelAdmin[Page]):
    """Pages are opened, acknowledged and resolved by the services (console, API, PagerDuty)."""

    list_display = ("id", "ticket", "severity", "reason", "opened_at", "acknowledged_at")
    list_filter = ("severity", "reason")
    inlines = [NotificationInline]

from django.contrib import admin

from soporte.notify.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ["title", "agent", "event", "created_at", "read_at"]
    list_filter = ["event"]

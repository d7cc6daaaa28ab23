from django.contrib import admin

from soporte.sla.models import Clock


@admin.register(Clock)
class ClockAdmin(admin.ModelAdmin[Clock]):
    list_display = [
        "ticket",
        "kind",
        "target",
        "started_at",
        "due_at",
        "fulfilled_at",
        "warned_at",
        "breached_at",
    ]
    list_filter = ["kind", "basis"]
    readonly_fields = [f.name for f in Clock._meta.fields]

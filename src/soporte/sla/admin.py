from django.contrib import admin

from soporte.admin import ViewOnly
from soporte.sla.models import Clock


@admin.register(Clock)
class ClockAdmin(ViewOnly, admin.ModelAdmin[Clock]):
    """Clocks are started, recomputed and fulfilled by the services only."""

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

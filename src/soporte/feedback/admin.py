from django.contrib import admin

from soporte.admin import ViewOnly
from soporte.feedback.models import Recurrence, RecurrenceMember


class MemberInline(ViewOnly, admin.TabularInline[RecurrenceMember, Recurrence]):
    model = RecurrenceMember
    extra = 0
    can_delete = False
    readonly_fields = ["ticket", "linked_by", "linked_at"]


@admin.register(Recurrence)
class RecurrenceAdmin(ViewOnly, admin.ModelAdmin[Recurrence]):
    """Recurrences are linked and disposed of by the services only (console, API)."""

    list_display = ["id", "created_at", "created_by", "disposition", "disposed_by", "disposed_at"]
    list_filter = ["disposition"]
    inlines = [MemberInline]

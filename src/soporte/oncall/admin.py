from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from soporte.admin import ViewOnly
from soporte.oncall.models import CalendarFeed, Override, Rotation, RotationMember
from soporte.oncall.services import take_pages_if_first


class RotationMemberInline(admin.TabularInline[RotationMember, Rotation]):
    model = RotationMember
    extra = 1
    ordering = ["layer", "position"]


@admin.register(Rotation)
class RotationAdmin(admin.ModelAdmin[Rotation]):
    list_display = [
        "name",
        "takes_pages",
        "zone",
        "handoff_weekday",
        "handoff_time",
        "starts_at",
        "weeks",
    ]
    readonly_fields = ["takes_pages"]  # moved on the console's On call page: exactly one
    inlines = [RotationMemberInline]

    def save_model(self, request: HttpRequest, obj: Rotation, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        take_pages_if_first(obj)


@admin.register(Override)
class OverrideAdmin(ViewOnly, admin.ModelAdmin[Override]):
    """Overrides are added, swapped and withdrawn on the console's On call page, whose services
    check them (and keep a started override, which is part of who was on call)."""

    list_display = ["rotation", "role", "starts_at", "ends_at", "covering", "covered", "reason"]
    list_filter = ["rotation", "role"]
    raw_id_fields = ["covering", "covered", "created_by"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin[CalendarFeed]):
    """Feeds are created with their secret by ``regenerate_feed_secret``; here only listed."""

    list_display = ["__str__", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

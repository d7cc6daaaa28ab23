"""The admin page that links each shared Slack channel to its organisation. A channel the app
hears from is listed (unlinked) on its first message; an administrator may also add one ahead
(its workspace and channel ids are in Slack's channel details)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soporte.channels.slack.models import SlackChannel


class LinkedFilter(admin.SimpleListFilter):
    title = _("linked")
    parameter_name = "linked"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("Linked")), ("no", _("Waiting for a link"))]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() in ("yes", "no"):
            return queryset.filter(organisation__isnull=self.value() == "no")
        return queryset


@admin.register(SlackChannel)
class SlackChannelAdmin(admin.ModelAdmin[SlackChannel]):
    list_display = ["channel_id", "name", "organisation", "team_id", "created_at"]
    list_filter = [LinkedFilter]
    search_fields = ["channel_id", "name", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    fields = ["team_id", "channel_id", "name", "organisation", "created_at"]
    readonly_fields = ["created_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        """The ids say which channel the row is: fixed once it exists."""
        return ["team_id", "channel_id", "created_at"] if obj else ["created_at"]

    def save_model(self, request: HttpRequest, obj: SlackChannel, form: Any, change: bool) -> None:
        if obj.created_at is None:
            obj.created_at = timezone.now()
        super().save_model(request, obj, form, change)

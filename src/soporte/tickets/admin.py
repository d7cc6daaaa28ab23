"""Tickets in the admin: looked at only. Severity, plan, status, tier, clocks and the rest change
through the services (console, API), which recompute the clocks and record the timeline."""

from django.contrib import admin

from soporte.admin import ViewOnly
from soporte.tickets.models import Attachment, Message, Ticket, TimelineEvent


class MessageInline(ViewOnly, admin.TabularInline[Message, Ticket]):
    model = Message
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "created_at",
        "kind",
        "author_kind",
        "author_agent",
        "author_contact",
        "body",
    )


class TimelineInline(ViewOnly, admin.TabularInline[TimelineEvent, Ticket]):
    model = TimelineEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = ("at", "kind", "actor_agent", "actor_contact", "data")


@admin.register(Ticket)
class TicketAdmin(ViewOnly, admin.ModelAdmin[Ticket]):
    list_display = [
        "id",
        "subject",
        "organisation",
        "severity",
        "status",
        "tier",
        "channel",
        "next_due_at",
        "opened_at",
    ]
    list_filter = ["status", "tier", "severity", "channel", "plan"]
    search_fields = ["id", "subject", "organisation__name"]
    inlines = [MessageInline, TimelineInline]


@admin.register(Attachment)
class AttachmentAdmin(ViewOnly, admin.ModelAdmin[Attachment]):
    """Moving a file to another message could make an internal note's file public."""

    list_display = ["filename", "ticket", "content_type", "size", "created_at"]

from django.contrib import admin

from soporte.tickets.models import Attachment, Message, Ticket, TimelineEvent


class MessageInline(admin.TabularInline[Message, Ticket]):
    model = Message
    extra = 0
    fields = readonly_fields = (
        "created_at",
        "kind",
        "author_kind",
        "author_agent",
        "author_contact",
        "body",
    )


class TimelineInline(admin.TabularInline[TimelineEvent, Ticket]):
    model = TimelineEvent
    extra = 0
    fields = readonly_fields = ("at", "kind", "actor_agent", "actor_contact", "data")


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin[Ticket]):
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
    readonly_fields = [
        "policy_version",
        "opened_at",
        "next_due_at",
        "first_replied_at",
        "solved_at",
        "completeness",
    ]
    inlines = [MessageInline, TimelineInline]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin[Attachment]):
    list_display = ["filename", "ticket", "content_type", "size", "created_at"]

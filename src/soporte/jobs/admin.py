"""Read-mostly admin for jobs and outbox messages: look, filter, and requeue by hand."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from soporte.jobs.models import Job, OutboxMessage


@admin.register(Job)
class JobAdmin(admin.ModelAdmin[Job]):
    list_display = ("key", "kind", "status", "due_at", "attempts", "locked_by", "finished_at")
    list_filter = ("status", "kind")
    search_fields = ("key", "kind", "locked_by")
    date_hierarchy = "due_at"
    ordering = ("-due_at",)
    actions = ("requeue", "cancel")
    readonly_fields = tuple(f.name for f in Job._meta.fields)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # read-only: jobs change through services and the actions below

    def has_operate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("jobs.change_job")

    @admin.action(description=_("Run failed or cancelled jobs again now"), permissions=("operate",))
    def requeue(self, request: HttpRequest, queryset: QuerySet[Job]) -> None:
        count = queryset.filter(status__in=[Job.Status.FAILED, Job.Status.CANCELLED]).update(
            status=Job.Status.PENDING,
            due_at=timezone.now(),
            attempts=0,
            locked_by="",
            lease_until=None,
            finished_at=None,
        )
        self.message_user(
            request,
            ngettext("%(count)d job queued again.", "%(count)d jobs queued again.", count)
            % {"count": count},
        )

    @admin.action(description=_("Cancel pending jobs"), permissions=("operate",))
    def cancel(self, request: HttpRequest, queryset: QuerySet[Job]) -> None:
        count = queryset.filter(status=Job.Status.PENDING).update(
            status=Job.Status.CANCELLED, finished_at=timezone.now()
        )
        self.message_user(
            request,
            ngettext("%(count)d job cancelled.", "%(count)d jobs cancelled.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin[OutboxMessage]):
    list_display = (
        "idempotency_key",
        "transport",
        "summary",
        "status",
        "attempts",
        "created_at",
        "sent_at",
    )
    list_filter = ("status", "transport")
    search_fields = ("idempotency_key",)
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    readonly_fields = tuple(f.name for f in OutboxMessage._meta.fields)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

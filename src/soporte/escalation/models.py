"""A page: one ticket's call for the on-call engineer, its escalation chain and notifications."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from soporte.accounts.models import Agent
from soporte.jobs.models import OutboxMessage
from soporte.oncall.models import Rotation
from soporte.tickets.models import Ticket


class Page(models.Model):
    """At most one open (unresolved) page per ticket."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="pages")
    reason = models.CharField(_("reason"), max_length=30)
    severity = models.CharField(_("severity"), max_length=2)
    rotation = models.ForeignKey(Rotation, null=True, blank=True, on_delete=models.SET_NULL)
    chain = models.JSONField(_("escalation chain"))
    """The chain as it was when the page opened (``domain.Chain.as_json``)."""
    policy_version = models.CharField(max_length=64)
    opened_at = models.DateTimeField(_("opened"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_via = models.CharField(max_length=20, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    done_steps = models.JSONField(default=list)
    """Numbers of the chain's steps fired, skipped or stopped for good."""
    wake_at = models.DateTimeField(null=True, blank=True)
    """When the pending timer looks at the page again."""

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"], condition=Q(resolved_at__isnull=True), name="page_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"page {self.pk} (ticket #{self.ticket_id})"


class PageNotification(models.Model):
    """One step telling one person over one transport (or finding nobody on call)."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="notifications")
    step = models.PositiveSmallIntegerField()
    target = models.CharField(max_length=20)
    agent = models.ForeignKey(Agent, null=True, blank=True, on_delete=models.SET_NULL)
    transport = models.CharField(max_length=20, blank=True)
    """Empty when nobody held the role."""
    message = models.ForeignKey(OutboxMessage, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

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

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="pages", verbose_name=_("ticket")
    )
    reason = models.CharField(_("reason"), max_length=30)
    severity = models.CharField(_("severity"), max_length=2)
    rotation = models.ForeignKey(
        Rotation, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("rotation")
    )
    chain = models.JSONField(_("escalation chain"))
    """The chain as it was when the page opened (``domain.Chain.as_json``)."""
    policy_version = models.CharField(max_length=64, verbose_name=_("policy version"))
    opened_at = models.DateTimeField(_("opened"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        Agent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_via = models.CharField(
        max_length=20, blank=True, verbose_name=_("acknowledged via")
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    done_steps = models.JSONField(default=list, verbose_name=_("steps done"))
    """Numbers of the chain's steps fired, skipped or stopped for good."""
    wake_at = models.DateTimeField(null=True, blank=True, verbose_name=_("next step at"))
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

    page = models.ForeignKey(
        Page, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("page")
    )
    step = models.PositiveSmallIntegerField(verbose_name=_("step"))
    target = models.CharField(max_length=20, verbose_name=_("target"))
    agent = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("agent")
    )
    transport = models.CharField(max_length=20, blank=True, verbose_name=_("transport"))
    """Empty when nobody held the role."""
    message = models.ForeignKey(
        OutboxMessage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("email or page sent"),
    )
    created_at = models.DateTimeField(verbose_name=_("created"))

    class Meta:
        verbose_name = _("page notification")
        verbose_name_plural = _("page notifications")
        ordering = ["created_at", "id"]

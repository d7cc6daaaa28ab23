"""In-console notifications for agents (an email copy goes through the outbox)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from soporte.accounts.models import Agent
from soporte.tickets.models import Ticket


class Notification(models.Model):
    agent = models.ForeignKey(
        Agent, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("agent")
    )
    ticket = models.ForeignKey(
        Ticket,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("ticket"),
    )
    event = models.CharField(_("event"), max_length=40)
    key = models.CharField(max_length=200, unique=True, verbose_name=_("key"))
    """One notification per event, clock version and agent: a retried timer adds nothing."""
    title = models.CharField(_("title"), max_length=300)
    """In the agent's language when it was written (its email copy's subject)."""
    titles = models.JSONField(_("title in each language"), default=dict, blank=True)
    """``{language code: title}``, so that the console shows it in the reader's language."""
    created_at = models.DateTimeField(_("created"))
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["agent", "read_at", "-created_at"], name="notification_inbox")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def shown_title(self) -> str:
        """The title in the active language, else as written."""
        return str(self.titles.get(get_language() or "", self.title))

"""The WhatsApp channel's records: who writes from which WhatsApp id, which tickets are their
conversations, and what became of each message we sent."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from soporte.accounts.models import Contact
from soporte.tickets.models import Message, Ticket

__all__ = ["WhatsAppSender", "WhatsAppSent", "WhatsAppStatus", "WhatsAppTicket"]


class WhatsAppSender(models.Model):
    """A WhatsApp id that wrote to the desk. Its row is locked while one of its messages is
    filed, so two messages at once never open two tickets."""

    wa_id = models.CharField(_("WhatsApp id"), max_length=64, unique=True)
    """As WhatsApp sends it (``5218126982507``): replies go to it unchanged."""
    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="+"
    )
    last_inbound_at = models.DateTimeField(_("last message received"))
    """Opens the 24-hour customer-service window (``domain.window``)."""

    class Meta:
        app_label = "channels"
        verbose_name = _("WhatsApp sender")
        verbose_name_plural = _("WhatsApp senders")

    def __str__(self) -> str:
        return self.wa_id


class ReplyRoute(models.TextChoices):
    """How the agent's replies go when the 24-hour window is closed."""

    TEMPLATE = "template", _("Approved WhatsApp template")
    EMAIL = "email", _("Email")


class WhatsAppTicket(models.Model):
    """A ticket that is a WhatsApp conversation."""

    ticket = models.OneToOneField(
        Ticket,
        verbose_name=_("ticket"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="whatsapp",
    )
    sender = models.ForeignKey(
        WhatsAppSender, verbose_name=_("sender"), on_delete=models.CASCADE, related_name="tickets"
    )
    closed_window_route = models.CharField(
        _("when the window is closed, reply by"),
        max_length=10,
        choices=ReplyRoute.choices,
        blank=True,
    )
    """Blank: the default (a template when one is configured, else email)."""
    template = models.CharField(_("template"), max_length=100, blank=True)
    """The approved template chosen (blank: the first configured)."""

    class Meta:
        app_label = "channels"
        verbose_name = _("WhatsApp conversation")
        verbose_name_plural = _("WhatsApp conversations")

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.sender_id}"


class WhatsAppSent(models.Model):
    """A message the Cloud API accepted from us, keyed on the wamid it answered with."""

    wamid = models.CharField(_("WhatsApp message id"), max_length=255, unique=True)
    outbox_key = models.CharField(_("outbox key"), max_length=255)
    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), null=True, blank=True, on_delete=models.CASCADE
    )
    message = models.ForeignKey(
        Message, verbose_name=_("message"), null=True, blank=True, on_delete=models.CASCADE
    )
    """The ticket message it carried (none for a page)."""
    kind = models.CharField(_("type"), max_length=20)
    sent_at = models.DateTimeField(_("sent"))

    class Meta:
        app_label = "channels"
        verbose_name = _("WhatsApp message sent")
        verbose_name_plural = _("WhatsApp messages sent")
        indexes = [models.Index(fields=["outbox_key"], name="whatsapp_sent_outbox")]

    def __str__(self) -> str:
        return self.wamid


class WhatsAppStatus(models.Model):
    """A status callback (sent, delivered, read, failed…) for a message we sent: one row per
    wamid and status, whatever order they arrive in."""

    wamid = models.CharField(_("WhatsApp message id"), max_length=255)
    status = models.CharField(_("status"), max_length=20)
    at = models.DateTimeField(_("when"))
    errors = models.TextField(_("errors"), blank=True)

    class Meta:
        app_label = "channels"
        verbose_name = _("WhatsApp status")
        verbose_name_plural = _("WhatsApp statuses")
        constraints = [
            models.UniqueConstraint(fields=["wamid", "status"], name="whatsapp_status_once")
        ]

    def __str__(self) -> str:
        return f"{self.wamid} {self.status}"

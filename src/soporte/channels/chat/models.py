"""The live chat's records: one conversation per widget session, a ticket once the customer
writes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from soporte.accounts.models import Contact, Language
from soporte.tickets.models import Ticket

__all__ = ["Conversation"]


class Conversation(models.Model):
    """A widget's chat with the desk. The widget holds a random token (only its digest is
    kept) and sends it with every request: no cookie is needed across origins."""

    token_digest = models.CharField(_("token digest"), max_length=64, unique=True)
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        on_delete=models.CASCADE,
        related_name="chat_conversations",
    )
    identified = models.BooleanField(_("identity verified"), default=False)
    """The host page signed the user's email and organisation (``domain.identity``)."""
    ticket = models.OneToOneField(
        Ticket,
        verbose_name=_("ticket"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="chat",
    )
    """Opened by the customer's first message."""
    lang = models.CharField(_("language"), max_length=5, choices=Language.choices)
    time_zone = models.CharField(_("time zone"), max_length=64)
    page_url = models.CharField(_("page"), max_length=500, blank=True)
    """The host page the widget was on (the ticket's intake URL)."""
    browser = models.CharField(_("browser and OS"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("started"))
    last_seen_at = models.DateTimeField(_("customer last seen"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("chat conversation")
        verbose_name_plural = _("chat conversations")

    def __str__(self) -> str:
        return f"chat {self.pk} ({self.contact_id})"

    @property
    def scope(self) -> str:
        """The scope of the widget's client message ids (``tickets.selectors.MessageKey``)."""
        return f"chat:{self.pk}"

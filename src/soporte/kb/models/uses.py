"""What people did with articles: an agent answered a ticket with one (``ArticleUse``), a
customer read one instead of filing a ticket (``Deflection``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from soporte.accounts.models import Agent, Contact
from soporte.kb.models.articles import Article
from soporte.tickets.models import Ticket


class ArticleUse(models.Model):
    """A ticket answered with an article: the agent inserted its link into a reply."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="article_uses", verbose_name=_("ticket")
    )
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="uses", verbose_name=_("article")
    )
    agent = models.ForeignKey(
        Agent, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("agent")
    )
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("article used")
        verbose_name_plural = _("articles used")
        constraints = [
            models.UniqueConstraint(fields=["ticket", "article"], name="kb_use_once_per_ticket")
        ]


class Where(models.TextChoices):
    PORTAL = "portal", _("Portal")
    WIDGET = "widget", _("Chat widget")


class Deflection(models.Model):
    """Articles suggested to a customer while they wrote a new ticket's subject.

    ``opened`` is the article they opened from the suggestions; ``ticket`` the ticket they
    filed after all. An opened suggestion with no ticket filed counts as deflected."""

    where = models.CharField(_("where"), max_length=10, choices=Where.choices)
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("contact")
    )
    query = models.CharField(_("typed subject"), max_length=200)
    language = models.CharField(_("language"), max_length=2)
    suggested_at = models.DateTimeField(_("suggested"))
    opened = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deflections",
        verbose_name=_("article opened"),
    )
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    ticket = models.ForeignKey(
        Ticket, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("ticket filed")
    )

    class Meta:
        verbose_name = _("deflection")
        verbose_name_plural = _("deflections")

    @property
    def deflected(self) -> bool:
        return self.opened_id is not None and self.ticket_id is None

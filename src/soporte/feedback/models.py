"""The feedback loop's records."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from soporte.accounts.models import Agent
from soporte.feedback.domain.dispositions import DispositionKind
from soporte.tickets.models import Ticket


class DispositionChoice(models.TextChoices):
    KB_ARTICLE = DispositionKind.KB_ARTICLE.value, _("KB article")
    PRODUCT_FIX = DispositionKind.PRODUCT_FIX.value, _("Product fix")
    NO_ACTION = DispositionKind.NO_ACTION.value, _("No action")


class Recurrence(models.Model):
    """One problem that happened more than once: its tickets (``members``) and, once someone
    decides, its disposition (a KB article or a product fix with its link, or no action with
    the reason). Without a disposition it is open: it shows in the console's list and in the
    weekly review."""

    created_at = models.DateTimeField(_("linked"))
    created_by = models.ForeignKey(
        Agent,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("linked by"),
    )
    disposition = models.CharField(
        _("disposition"), max_length=20, choices=DispositionChoice.choices, blank=True
    )
    """Blank while open."""
    link = models.URLField(_("link"), max_length=500, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    disposed_by = models.ForeignKey(
        Agent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("disposed by"),
    )
    disposed_at = models.DateTimeField(_("disposed"), null=True, blank=True)

    class Meta:
        verbose_name = _("recurrence")
        verbose_name_plural = _("recurrences")
        indexes = [models.Index(fields=["disposition", "created_at"], name="recurrence_open")]

    def __str__(self) -> str:
        return f"recurrence {self.pk}"

    @property
    def is_open(self) -> bool:
        return not self.disposition


class RecurrenceMember(models.Model):
    """A ticket of a recurrence: a ticket is part of at most one."""

    recurrence = models.ForeignKey(
        Recurrence, on_delete=models.CASCADE, related_name="members", verbose_name=_("recurrence")
    )
    ticket = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, related_name="recurrence_member", verbose_name=_("ticket")
    )
    linked_by = models.ForeignKey(
        Agent,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("linked by"),
    )
    linked_at = models.DateTimeField(_("linked"))

    class Meta:
        verbose_name = _("recurrence ticket")
        verbose_name_plural = _("recurrence tickets")
        ordering = ["ticket__opened_at", "ticket_id"]

    def __str__(self) -> str:
        return f"recurrence {self.recurrence_id}: #{self.ticket_id}"


class TicketWording(models.Model):
    """A ticket's entry in the similar-ticket index: the stems of its subject and first
    message (``feedback.domain.wording.terms``) with its month token, and its folded words
    for the reranking. SQLite indexes ``terms`` in an FTS5 table kept in step by triggers,
    PostgreSQL in a GIN index over a generated ``tsvector`` (migration ``0002``)."""

    ticket = models.OneToOneField(
        Ticket,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="wording",
        verbose_name=_("ticket"),
    )
    opened_at = models.DateTimeField(_("received"))
    terms = models.TextField(_("terms"))
    words = models.TextField(_("words"))

    class Meta:
        verbose_name = _("ticket wording")
        verbose_name_plural = _("ticket wordings")

    def __str__(self) -> str:
        return f"#{self.ticket_id}: {self.terms[:60]}"

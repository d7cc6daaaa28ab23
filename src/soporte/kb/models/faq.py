"""The pinned FAQs (at most ``kb.pinned_faqs`` per locale, policy) and what the weekly rule
reads and writes: which question each T1 ticket asked (``AskedQuestion``), how many tickets
asked each question per week (``QuestionWeek``), the proposals leads decide on
(``PinProposal``) and the log of every change to the pins (``PinChange``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from soporte.accounts.models import Agent, Language
from soporte.kb.models.articles import Article
from soporte.tickets.models import Ticket

WEEK_LENGTH = 8
"""An ISO week label, ``2026-W49``."""
KEY_LENGTH = 40
"""A question key: ``article:<source article>`` or ``ticket:<earliest ticket of its cluster>``."""


class PinnedFaq(models.Model):
    """An article pinned at the head of ``/kb/``, the portal and the widget in its language."""

    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="pins", verbose_name=_("article")
    )
    question = models.CharField(_("question"), max_length=KEY_LENGTH, blank=True)
    """The question it was pinned for (blank: pinned by hand; its article's question counts)."""
    pinned_at = models.DateTimeField(_("pinned"))
    last_seen_week = models.CharField(_("last seen (ISO week)"), max_length=8, blank=True)
    """The latest ISO week (``2026-W49``) its question was seen: the least recent goes first."""
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["language", "position", "pk"]
        verbose_name = _("pinned FAQ")
        verbose_name_plural = _("pinned FAQs")
        constraints = [
            models.UniqueConstraint(fields=["language", "article"], name="kb_pin_once"),
        ]


class AskedQuestion(models.Model):
    """The question a ticket solved at T1 asked, counted in the ISO week it was solved in."""

    ticket = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, related_name="asked", verbose_name=_("ticket")
    )
    week = models.CharField(_("ISO week"), max_length=WEEK_LENGTH, db_index=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    question = models.CharField(_("question"), max_length=KEY_LENGTH, db_index=True)

    class Meta:
        verbose_name = _("question asked")
        verbose_name_plural = _("questions asked")


class QuestionWeek(models.Model):
    """How many tickets solved at T1 in one ISO week asked one question in one language."""

    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    question = models.CharField(_("question"), max_length=KEY_LENGTH)
    week = models.CharField(_("ISO week"), max_length=WEEK_LENGTH)
    tickets = models.PositiveIntegerField(_("tickets"))
    article = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("article"),
    )
    """The source article the tickets were answered with (none for a cluster of tickets)."""
    sample = models.ForeignKey(
        Ticket, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("sample")
    )

    class Meta:
        verbose_name = _("question of a week")
        verbose_name_plural = _("questions of a week")
        constraints = [
            models.UniqueConstraint(
                fields=["language", "question", "week"], name="kb_question_week_once"
            )
        ]
        indexes = [models.Index(fields=["language", "week"], name="kb_question_week")]


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class PinProposal(models.Model):
    """The rule's proposal to pin a question (a lead accepts or rejects it)."""

    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    question = models.CharField(_("question"), max_length=KEY_LENGTH)
    article = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("article"),
    )
    """The source article that answered it (none: the lead chooses one when accepting)."""
    week = models.CharField(_("ISO week"), max_length=WEEK_LENGTH)
    """The week just ended when the rule proposed it."""
    weeks = models.JSONField(_("weeks that triggered it"), default=list)
    tickets = models.PositiveIntegerField(_("tickets"))
    replaces = models.ForeignKey(
        PinnedFaq,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replaces"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    created_at = models.DateTimeField(_("proposed"))
    decided_by = models.ForeignKey(
        Agent, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("pin proposal")
        verbose_name_plural = _("pin proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["language", "question", "week"], name="kb_proposal_once_a_week"
            ),
            models.UniqueConstraint(
                fields=["language", "question"],
                condition=models.Q(status="pending"),
                name="kb_one_pending_proposal",
            ),
        ]


class ChangeKind(models.TextChoices):
    PINNED = "pinned", _("Pinned")
    UNPINNED = "unpinned", _("Unpinned")
    REPLACED = "replaced", _("Replaced")
    REORDERED = "reordered", _("Reordered")
    PROPOSED = "proposed", _("Proposed")
    REJECTED = "rejected", _("Proposal rejected")


class PinChange(models.Model):
    """One change to a locale's pinned FAQs, by a lead or by the rule (``by`` empty), with the
    weeks that triggered it."""

    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    kind = models.CharField(_("change"), max_length=10, choices=ChangeKind.choices)
    article = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("article"),
    )
    replaced = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("article replaced"),
    )
    question = models.CharField(_("question"), max_length=KEY_LENGTH, blank=True)
    weeks = models.JSONField(_("weeks that triggered it"), default=list)
    proposal = models.ForeignKey(
        PinProposal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("proposal"),
    )
    by = models.ForeignKey(
        Agent, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("by")
    )
    at = models.DateTimeField(_("when"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("pinned FAQ change")
        verbose_name_plural = _("pinned FAQ changes")

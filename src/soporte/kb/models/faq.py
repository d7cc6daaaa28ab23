"""The pinned FAQs: at most ``kb.pinned_faqs`` per locale (policy), each an article."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from soporte.accounts.models import Language
from soporte.kb.models.articles import Article


class PinnedFaq(models.Model):
    """An article pinned at the head of ``/kb/``, the portal and the widget in its language."""

    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="pins", verbose_name=_("article")
    )
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

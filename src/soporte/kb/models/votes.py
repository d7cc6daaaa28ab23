"""Readers' answers to "Was this helpful?": one per reader per article, changeable."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from soporte.kb.models.articles import Article

COMMENT_MAX = 2000


class Vote(models.Model):
    """One reader's answer about one article. The reader is anonymous: ``reader`` is the random
    key kept in their signed cookie, so the same browser changes its answer instead of adding
    one. ``Article.helpful_yes``/``helpful_no`` count the current answers."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="votes", verbose_name=_("article")
    )
    reader = models.CharField(_("reader"), max_length=64)
    helpful = models.BooleanField(_("helpful"))
    comment = models.TextField(_("comment"), blank=True, max_length=COMMENT_MAX)
    voted_at = models.DateTimeField(_("voted"))
    changed_at = models.DateTimeField(_("changed"))

    class Meta:
        verbose_name = _("helpfulness vote")
        verbose_name_plural = _("helpfulness votes")
        constraints = [
            models.UniqueConstraint(fields=["article", "reader"], name="kb_one_vote_per_reader")
        ]

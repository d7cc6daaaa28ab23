"""Recording "Was this helpful?": one answer per reader per article, changeable, counted on the
article (``helpful_yes``/``helpful_no``) in the same transaction as the vote."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F

from soporte.kb.models import Article, Vote


def vote(*, article: Article, reader: str, helpful: bool, now: datetime) -> Vote:
    """Record ``reader``'s answer about ``article`` at ``now``. A first answer adds one to its
    counter; a changed answer moves one from the other counter; the same answer again changes
    nothing (a double click, a resent form)."""
    with transaction.atomic():
        Article.objects.select_for_update().filter(pk=article.pk).first()  # serialise voters
        found = Vote.objects.filter(article=article, reader=reader).first()
        if found is not None and found.helpful == helpful:
            return found
        if found is None:
            found = Vote.objects.create(
                article=article, reader=reader, helpful=helpful, voted_at=now, changed_at=now
            )
            changes = {_counter(helpful): F(_counter(helpful)) + 1}
        else:
            found.helpful = helpful
            found.changed_at = now
            found.save(update_fields=["helpful", "changed_at"])
            changes = {
                _counter(helpful): F(_counter(helpful)) + 1,
                _counter(not helpful): F(_counter(not helpful)) - 1,
            }
        Article.objects.filter(pk=article.pk).update(**changes)
    article.refresh_from_db(fields=["helpful_yes", "helpful_no"])
    return found


def comment(*, article: Article, reader: str, text: str, now: datetime) -> Vote | None:
    """Keep ``reader``'s optional comment on their answer about ``article`` (an empty text
    removes it); ``None`` when they have not answered: a comment belongs to an answer."""
    with transaction.atomic():
        found = Vote.objects.select_for_update().filter(article=article, reader=reader).first()
        if found is None:
            return None
        found.comment = text
        found.changed_at = now
        found.save(update_fields=["comment", "changed_at"])
    return found


def _counter(helpful: bool) -> str:
    return "helpful_yes" if helpful else "helpful_no"

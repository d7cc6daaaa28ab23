"""The search index: one entry per article (its plain text and stems, which the engines index)
and the vocabulary that misspelt queries are corrected to. Written by ``kb.search.index`` only
(``kb.handlers`` keeps it in step with every save and delete of an article)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from soporte.accounts.models import Language
from soporte.kb.models.articles import Article


class SearchEntry(models.Model):
    """What the engines index of one article: its title and body as plain text (no Markdown)
    and, for SQLite, their Snowball stems. SQLite indexes it with FTS5 (``kb_search_fts``),
    PostgreSQL with a weighted ``tsvector`` column (``search``, title A, text B) and a GIN
    index: both made by migration ``kb/0004_search_index``, outside the ORM. Whether an
    article may be found (published, or a draft for the console) is read from the article."""

    article = models.OneToOneField(
        Article,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_entry",
        verbose_name=_("article"),
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    title_stems = models.TextField(_("title stems"))
    text_stems = models.TextField(_("text stems"))

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")


class SearchWord(models.Model):
    """A word of the indexed articles of one language (folded: "contrasena") with its spelling
    ("contraseña") and how many articles hold it: what a misspelt query word is corrected to."""

    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    word = models.CharField(_("word"), max_length=40)
    spelling = models.CharField(_("spelling"), max_length=40)
    articles = models.PositiveIntegerField(_("articles"), default=0)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")
        constraints = [
            models.UniqueConstraint(fields=["language", "word"], name="kb_search_word"),
        ]

"""Articles, their categories, translations, revisions, images and old slugs."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from soporte.accounts.models import Agent, Language
from soporte.kb.domain.translations import is_stale


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Category(models.Model):
    """A shelf of the knowledge base, named in both languages."""

    name_es = models.CharField(_("name (Spanish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    slug_es = models.SlugField(_("slug (Spanish)"), max_length=120, unique=True)
    slug_en = models.SlugField(_("slug (English)"), max_length=120, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name_es

    def name(self, language: str) -> str:
        return self.name_en if language == Language.ENGLISH else self.name_es

    def slug(self, language: str) -> str:
        return self.slug_en if language == Language.ENGLISH else self.slug_es


class Article(models.Model):
    """One article in one language. A translation names its ``source`` (an article in the
    other language, itself no translation) and the source's ``revision`` it last caught up with
    (``source_revision``); it is stale once the source has a later revision."""

    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="articles", verbose_name=_("category")
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200)
    body = models.TextField(_("body (Markdown)"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    source = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="translations",
        verbose_name=_("source article"),
    )
    source_revision = models.PositiveIntegerField(
        _("source revision translated"), null=True, blank=True
    )
    revision = models.PositiveIntegerField(_("revision"), default=1)
    """Counts the changes of title or body: 1 when written, +1 on each change."""
    author = models.ForeignKey(
        Agent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kb_articles",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    helpful_yes = models.PositiveIntegerField(_("helpful"), default=0)
    helpful_no = models.PositiveIntegerField(_("not helpful"), default=0)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.UniqueConstraint(fields=["language", "slug"], name="kb_article_slug"),
            models.UniqueConstraint(
                fields=["source", "language"],
                condition=models.Q(source__isnull=False),
                name="kb_one_translation_per_language",
            ),
        ]
        indexes = [models.Index(fields=["language", "status"], name="kb_article_published")]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"

    @property
    def stale(self) -> bool:
        """A translation whose source changed after it last caught up (never for a source)."""
        if self.source is None:
            return False
        return is_stale(source_revision=self.source.revision, translated_from=self.source_revision)


class ArticleRevision(models.Model):
    """The title and body an article had at one revision: what a translator diffs against."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("article")
    )
    number = models.PositiveIntegerField(_("revision"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body (Markdown)"))
    author = models.ForeignKey(
        Agent, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("author")
    )
    saved_at = models.DateTimeField(_("saved"))

    class Meta:
        ordering = ["article", "number"]
        verbose_name = _("article revision")
        verbose_name_plural = _("article revisions")
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="kb_revision_number")
        ]


class SlugRedirect(models.Model):
    """An article's earlier slug in its language: the old address redirects to the article."""

    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    slug = models.SlugField(_("slug"), max_length=200)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="old_slugs", verbose_name=_("article")
    )

    class Meta:
        verbose_name = _("old slug")
        verbose_name_plural = _("old slugs")
        constraints = [
            models.UniqueConstraint(fields=["language", "slug"], name="kb_old_slug"),
        ]


class ArticleImage(models.Model):
    """An image attached to an article, shown in its body by its address."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="images", verbose_name=_("article")
    )
    file = models.FileField(upload_to="kb/%Y/%m/", verbose_name=_("file"))
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded"))

    class Meta:
        verbose_name = _("article image")
        verbose_name_plural = _("article images")

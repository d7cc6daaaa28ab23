"""Writing the knowledge base: articles, their revisions, slugs, status, translations and
images. Every human agent writes and publishes (a small team); integration accounts do not.

A change of title or body is a new revision (kept whole in ``ArticleRevision``, what a
translator diffs against). A published article's old slug keeps working as a redirect."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext as _

from soporte.accounts.models import Agent, Language
from soporte.kb.models import Article, ArticleImage, ArticleRevision, Category, SlugRedirect, Status
from soporte.tickets.attachments import sniff

IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
"""What an article's image may be, sniffed from its bytes (never its name)."""

TITLE_MAX = Article._meta.get_field("title").max_length or 200
SLUG_MAX = Article._meta.get_field("slug").max_length or 200


class ArticleError(ValueError):
    """The knowledge base refuses the change; the message (in the caller's language) says why
    and ``field`` names the form field at fault, if any."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def may_write(agent: Agent) -> bool:
    """Human agents write, translate and publish articles; a bot's account never does."""
    return agent.is_human


def create_article(
    *,
    author: Agent,
    category: Category,
    language: str,
    title: str,
    slug: str | None = None,
    body: str,
    now: datetime,
) -> Article:
    """A draft at revision 1 (stored as the first ``ArticleRevision``); the slug defaults to
    the title's."""
    _require_writer(author)
    if language not in Language.values:
        raise ArticleError(_("Choose Spanish or English."), "language")
    return _create(
        author=author, category=category, language=language, title=title, slug=slug,
        body=body, now=now,
    )  # fmt: skip


def update_article(
    *,
    article: Article,
    editor: Agent,
    title: str,
    slug: str,
    body: str,
    category: Category,
    now: datetime,
    caught_up_with: int | None = None,
) -> Article:
    """Save the editor's form. A new title or body is a new revision; a new slug of an article
    that was ever published leaves the old one as a redirect. ``caught_up_with`` (a
    translation's "up to date with revision N" box) catches the translation up to that
    revision of its source."""
    _require_writer(editor)
    title, body = _title(title), _body(body)
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        new_slug = _free_slug(article.language, slug or slugify(title), article)
        if new_slug != article.slug:
            _move_slug(article, new_slug)
        if (title, body) != (article.title, article.body):
            article.title, article.body, article.revision = title, body, article.revision + 1
            _keep_revision(article, editor, now)
        if caught_up_with is not None:
            _catch_up(article, caught_up_with)
        article.category, article.updated_at = category, now
        article.save()
    return article


def publish(*, article: Article, now: datetime) -> Article:
    """Public at ``/kb/<language>/<slug>``; ``published_at`` is the latest publication."""
    return _set_status(article, Status.PUBLISHED, now)


def archive(*, article: Article, now: datetime) -> Article:
    """Off the public pages, kept; ``published_at`` stays (its old links were public)."""
    return _set_status(article, Status.ARCHIVED, now)


def return_to_draft(*, article: Article, now: datetime) -> Article:
    """Off the public pages, to be reworked; ``published_at`` stays, as for ``archive``."""
    return _set_status(article, Status.DRAFT, now)


def create_translation(
    *,
    source: Article,
    language: str,
    translator: Agent,
    title: str,
    body: str,
    now: datetime,
    slug: str | None = None,
) -> Article:
    """A draft translation of ``source`` into the other language, caught up with its current
    revision. One per language, and only from a source (a translation is never translated)."""
    _require_writer(translator)
    with transaction.atomic():
        source = Article.objects.select_for_update().get(pk=source.pk)
        if source.source_id is not None:
            raise ArticleError(
                _("This article is a translation: translate its source article instead."),
                "source",
            )
        if language == source.language or language not in Language.values:
            raise ArticleError(_("A translation goes into the other language."), "language")
        if source.translations.filter(language=language).exists():
            raise ArticleError(
                _("This article already has a translation into that language."), "language"
            )
        return _create(
            author=translator, category=source.category, language=language, title=title,
            slug=slug, body=body, now=now, source=source,
        )  # fmt: skip


def mark_translated(*, translation: Article, now: datetime) -> Article:
    """The translation is up to date with its source's current revision."""
    with transaction.atomic():
        translation = Article.objects.select_for_update().get(pk=translation.pk)
        if translation.source is None:
            raise ArticleError(_("This article is not a translation."), "source")
        _catch_up(translation, translation.source.revision)
        translation.updated_at = now
        translation.save(update_fields=["source_revision", "updated_at"])
    return translation


def attach_image(*, article: Article, upload: UploadedFile, now: datetime) -> ArticleImage:
    """Store ``upload`` as an image of ``article``: PNG, JPEG, GIF or WebP by its bytes, at
    most ``SOPORTE_KB_IMAGE_MAX_BYTES``."""
    limit: int = settings.SOPORTE_KB_IMAGE_MAX_BYTES
    size = upload.size or 0
    if size > limit:
        raise ArticleError(
            _("The image is %(size)s; an image may be at most %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            "image",
        )
    upload.seek(0)
    content_type = sniff(upload.read(32))
    upload.seek(0)
    if content_type not in IMAGE_TYPES:
        raise ArticleError(_("The image must be a PNG, JPEG, GIF or WebP file."), "image")
    return ArticleImage.objects.create(
        article=article,
        file=upload,
        filename=(upload.name or "image")[-255:],
        content_type=content_type,
        size=size,
        uploaded_at=now,
    )


def _require_writer(agent: Agent) -> None:
    if not may_write(agent):
        raise PermissionDenied


def _create(
    *,
    author: Agent,
    category: Category,
    language: str,
    title: str,
    slug: str | None,
    body: str,
    now: datetime,
    source: Article | None = None,
) -> Article:
    title, body = _title(title), _body(body)
    with transaction.atomic():
        article = Article.objects.create(
            category=category,
            language=language,
            title=title,
            slug=_free_slug(language, slug or slugify(title), None),
            body=body,
            source=source,
            source_revision=source.revision if source is not None else None,
            author=author,
            created_at=now,
            updated_at=now,
        )
        SlugRedirect.objects.filter(language=language, slug=article.slug).delete()
        _keep_revision(article, author, now)
    return article


def _title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise ArticleError(_("Give the article a title."), "title")
    if len(title) > TITLE_MAX:
        raise ArticleError(
            _("The title must be at most %(count)d characters.") % {"count": TITLE_MAX}, "title"
        )
    return title


def _body(body: str) -> str:
    body = body.replace("\r\n", "\n").strip()
    if not body:
        raise ArticleError(_("Write the article's text."), "body")
    return body


def _free_slug(language: str, slug: str, article: Article | None) -> str:
    """``slug`` if it is a valid slug no other article in ``language`` has."""
    if slug != slugify(slug) or not slug:
        raise ArticleError(
            _("The slug may hold only lowercase letters, digits and hyphens."), "slug"
        )
    if len(slug) > SLUG_MAX:
        raise ArticleError(
            _("The slug must be at most %(count)d characters.") % {"count": SLUG_MAX}, "slug"
        )
    taken = Article.objects.filter(language=language, slug=slug)
    if article is not None:
        taken = taken.exclude(pk=article.pk)
    if taken.exists():
        raise ArticleError(
            _("Another article in this language has the slug “%(slug)s”.") % {"slug": slug},
            "slug",
        )
    return slug


def _move_slug(article: Article, new_slug: str) -> None:
    """The new slug becomes current (no longer anyone's redirect); the old one redirects here
    if the article was ever public."""
    SlugRedirect.objects.filter(language=article.language, slug=new_slug).delete()
    if article.published_at is not None:
        SlugRedirect.objects.update_or_create(
            language=article.language, slug=article.slug, defaults={"article": article}
        )
    article.slug = new_slug


def _keep_revision(article: Article, author: Agent, now: datetime) -> None:
    ArticleRevision.objects.create(
        article=article,
        number=article.revision,
        title=article.title,
        body=article.body,
        author=author,
        saved_at=now,
    )


def _catch_up(translation: Article, revision: int) -> None:
    source = translation.source
    if source is None:
        raise ArticleError(_("This article is not a translation."), "source")
    if not 1 <= revision <= source.revision:
        raise ArticleError(
            _("The source article has no revision %(number)d.") % {"number": revision},
            "caught_up_with",
        )
    translation.source_revision = max(revision, translation.source_revision or 0)


def _set_status(article: Article, status: str, now: datetime) -> Article:
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        article.status, article.updated_at = status, now
        if status == Status.PUBLISHED:
            article.published_at = now
        article.save(update_fields=["status", "updated_at", "published_at"])
    return article

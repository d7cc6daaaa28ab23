"""Writing articles: revisions, slugs and their redirects, status changes and the errors that
name their field."""

from __future__ import annotations

from typing import Any

import pytest
from article_factory import AT, edit, later, shelf, write
from django.core.exceptions import PermissionDenied

from soporte.accounts.services import create_agent
from soporte.kb import services
from soporte.kb.models import Article, ArticleRevision, SlugRedirect, Status

pytestmark = pytest.mark.django_db


def revisions_of(article: Article) -> list[tuple[int, str]]:
    return list(ArticleRevision.objects.filter(article=article).values_list("number", "title"))


def test_a_new_article_is_a_draft_at_revision_one_with_a_slug_from_its_title(world: Any) -> None:
    article = write(world, title="¿Cómo doy de alta una máquina?")
    assert article.slug == "como-doy-de-alta-una-maquina"
    assert (article.status, article.revision, article.published_at) == (Status.DRAFT, 1, None)
    assert article.author == world.agents["t1"]
    assert revisions_of(article) == [(1, "¿Cómo doy de alta una máquina?")]


def test_a_change_of_title_or_body_is_a_new_revision_and_a_category_alone_is_not(
    world: Any,
) -> None:
    article = write(world)
    article = edit(world, article, now=later(1), body=article.body + "\n4. Guarda.")
    article = edit(world, article, now=later(2), title="Alta de máquinas")
    article = edit(world, article, now=later(3), category=shelf("cuenta"))
    assert article.revision == 3
    assert revisions_of(article) == [
        (1, "Dar de alta una máquina"),
        (2, "Dar de alta una máquina"),
        (3, "Alta de máquinas"),
    ]
    third = ArticleRevision.objects.get(article=article, number=3)
    assert third.body.endswith("4. Guarda.")
    assert (third.author, third.saved_at) == (world.agents["t2"], later(2))
    assert article.category.slug_es == "cuenta"
    assert article.updated_at == later(3)


def test_windows_line_ends_and_surrounding_blanks_are_no_change(world: Any) -> None:
    article = write(world, body="Línea uno\nLínea dos")
    article = edit(world, article, now=later(1), body="Línea uno\r\nLínea dos\n\n")
    assert article.revision == 1


def test_a_draft_renamed_leaves_no_redirect(world: Any) -> None:
    article = write(world)
    edit(world, article, now=later(1), slug="alta-de-maquina")
    assert not SlugRedirect.objects.exists()


def test_a_published_article_renamed_redirects_its_old_slug_and_may_take_it_back(
    world: Any,
) -> None:
    article = services.publish(article=write(world), now=later(1))
    first = article.slug
    article = edit(world, article, now=later(2), slug="alta-de-maquina")
    article = edit(world, article, now=later(3), slug="registrar-maquina")
    old = set(SlugRedirect.objects.values_list("slug", "article"))
    assert old == {(first, article.pk), ("alta-de-maquina", article.pk)}
    article = edit(world, article, now=later(4), slug=first)
    old = set(SlugRedirect.objects.values_list("slug", flat=True))
    assert old == {"alta-de-maquina", "registrar-maquina"}  # the current slug is no redirect


def test_a_new_article_may_take_an_old_slug_which_then_stops_redirecting(world: Any) -> None:
    article = services.publish(article=write(world), now=later(1))
    edit(world, article, now=later(2), slug="alta-de-maquina")
    write(world, title="Dar de alta una máquina", category=article.category, now=later(3))
    assert not SlugRedirect.objects.filter(slug="dar-de-alta-una-maquina").exists()


def test_a_slug_taken_in_the_language_is_refused_by_field_and_free_in_the_other(
    world: Any,
) -> None:
    article = write(world)
    with pytest.raises(services.ArticleError) as refused:
        write(world, category=article.category)
    assert refused.value.field == "slug"
    assert "dar-de-alta-una-maquina" in str(refused.value)
    english = write(world, category=article.category, language="en")
    assert english.slug == article.slug
    other = write(world, title="Otra", category=article.category)
    with pytest.raises(services.ArticleError) as clash:
        edit(world, other, now=later(1), slug=article.slug)
    assert clash.value.field == "slug"
    other.refresh_from_db()
    assert other.slug == "otra"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"body": " \n "}, "body"),
        ({"slug": "Con Espacios"}, "slug"),
        ({"slug": "ñandú"}, "slug"),
        ({"language": "fr"}, "language"),
        ({"title": "¿?", "slug": None}, "slug"),
    ],
)
def test_bad_input_names_its_field(world: Any, changes: dict[str, Any], field: str) -> None:
    with pytest.raises(services.ArticleError) as refused:
        write(world, **changes)
    assert refused.value.field == field
    assert str(refused.value)
    assert not Article.objects.exists()


def test_status_changes_keep_the_latest_publication(world: Any) -> None:
    article = services.publish(article=write(world), now=later(1))
    assert (article.status, article.published_at) == (Status.PUBLISHED, later(1))
    article = services.archive(article=article, now=later(2))
    assert (article.status, article.published_at) == (Status.ARCHIVED, later(1))
    article = services.return_to_draft(article=article, now=later(3))
    assert (article.status, article.updated_at) == (Status.DRAFT, later(3))
    article = services.publish(article=article, now=later(4))
    assert article.published_at == later(4)
    assert Article.objects.get().status == Status.PUBLISHED


def test_an_integrations_account_may_not_write(world: Any) -> None:
    bot = create_agent(email="zapier@bots.example", name="Zapier", kind="integration")
    assert not services.may_write(bot)
    with pytest.raises(PermissionDenied):
        services.create_article(
            author=bot, category=shelf(), language="es", title="Bot", body="x", now=AT
        )
    assert services.may_write(world.agents["t1"])

"""The knowledge base's editor in the console: the list and its filters, a new article, the
editor with its preview, status buttons, translating, the stale source's changes, images and
the revision history; contacts, strangers and integration accounts are turned away."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from console_helpers import client_for, htmx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kb.article_factory import edit, later, shelf, write
from soporte.accounts.services import create_agent
from soporte.kb import services
from soporte.kb.models import Article, ArticleImage, Status

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def english(world: Any, name: str = "t1") -> Client:
    client = client_for(world, name)
    client.cookies["soporte_language"] = "en"
    return client


def form_of(article: Article, **changes: Any) -> dict[str, Any]:
    return {
        "title": article.title,
        "slug": article.slug,
        "category": article.category.pk,
        "body": article.body,
        **changes,
    }


def test_the_list_shows_status_language_and_stale_translations_and_filters(world: Any) -> None:
    source = write(world)
    translation = services.create_translation(
        source=source, language="en", translator=world.agents["t1"], title="Add a machine",
        body="1. Open Machines.", now=later(1),
    )  # fmt: skip
    edit(world, source, now=later(2), body=source.body + "\n4. Guarda.")
    client = english(world)
    page = client.get("/console/kb/")
    assert page.status_code == 200
    row = page.text.split(f'data-article="{translation.pk}"')[1].split("</tr>")[0]
    assert "Stale translation" in row
    assert "English" in row
    assert "Draft" in row
    assert 'href="/console/kb/"' in page.text  # the nav's link
    only_english = client.get("/console/kb/", {"language": "en", "status": "draft"})
    assert f'data-article="{translation.pk}"' in only_english.text
    assert f'data-article="{source.pk}"' not in only_english.text
    other_shelf = client.get("/console/kb/", {"category": shelf("cuenta").pk})
    assert "data-article=" not in other_shelf.text
    assert client.get("/console/kb/", {"status": "nonsense"}).status_code == 200


def test_an_agent_writes_previews_publishes_and_the_public_reads_it(world: Any) -> None:
    category = shelf()
    client = english(world, "t2")
    form = client.get("/console/kb/new")
    assert form.status_code == 200
    assert "New article" in form.text
    created = client.post(
        "/console/kb/new",
        {"language": "es", "title": "Cambiar la contraseña", "slug": "", "category": category.pk,
         "body": "Abre **Cuenta** y elige *Contraseña*."},
    )  # fmt: skip
    article = Article.objects.get()
    assert created.status_code == 302
    assert created["Location"] == f"/console/kb/{article.pk}"
    assert (article.slug, article.author, article.status) == (
        "cambiar-la-contrasena",
        world.agents["t2"],
        Status.DRAFT,
    )
    preview = htmx(client, "/console/kb/preview")  # GET: refused, a preview is a POST
    assert preview.status_code == 405
    shown = client.post(
        "/console/kb/preview",
        {"body": "Hola **mundo**<script>x</script>"},
        headers={"HX-Request": "true"},
    )
    assert "<strong>mundo</strong>" in shown.text
    assert "<script>" not in shown.text
    assert Article.objects.get().body == "Abre **Cuenta** y elige *Contraseña*."  # no write

    assert Client().get("/kb/es/cambiar-la-contrasena").status_code == 404
    published = client.post(f"/console/kb/{article.pk}/status", {"status": "published"})
    assert published.status_code == 302
    public = Client().get("/kb/es/cambiar-la-contrasena")
    assert public.status_code == 200
    assert "<strong>Cuenta</strong>" in public.text
    editor = client.get(f"/console/kb/{article.pk}")
    assert "Published" in editor.text
    assert 'href="/kb/es/cambiar-la-contrasena"' in editor.text
    assert client.post(f"/console/kb/{article.pk}/status", {"status": "gone"}).status_code == 302
    assert Article.objects.get().status == Status.PUBLISHED


def test_the_editor_saves_and_shows_errors_on_their_field(world: Any) -> None:
    article = write(world)
    write(world, title="Otra", category=article.category)
    client = english(world)
    saved = client.post(f"/console/kb/{article.pk}", form_of(article, body="Nuevo texto."))
    assert saved.status_code == 302
    article.refresh_from_db()
    assert (article.revision, article.body) == (2, "Nuevo texto.")
    clash = client.post(f"/console/kb/{article.pk}", form_of(article, slug="otra", body="Otro"))
    assert clash.status_code == 400
    assert "Another article in this language has the slug" in clash.text
    article.refresh_from_db()
    assert (article.slug, article.revision) == ("dar-de-alta-una-maquina", 2)
    empty = client.post(f"/console/kb/{article.pk}", form_of(article, title=""))
    assert empty.status_code == 400
    assert "This field is required" in empty.text
    history = client.get(f"/console/kb/{article.pk}/revisions")
    assert 'data-revision="2"' in history.text
    assert 'data-revision="1"' in history.text
    assert "Nuevo texto." in history.text
    assert client.get("/console/kb/999999").status_code == 404


def test_translate_stale_diff_and_the_up_to_date_box(world: Any) -> None:
    source = write(world)
    client = english(world)
    editor = client.get(f"/console/kb/{source.pk}")
    assert f'href="/console/kb/{source.pk}/translate/en">Translate into English' in editor.text
    assert client.get(f"/console/kb/{source.pk}/translate/fr").status_code == 404
    form = client.get(f"/console/kb/{source.pk}/translate/en")
    assert form.status_code == 200
    assert "Escribe el número de serie." in form.text
    made = client.post(
        f"/console/kb/{source.pk}/translate/en",
        {"title": "Add a machine", "slug": "", "body": "1. Open Machines.\n2. Press Add."},
    )
    translation = Article.objects.get(source=source)
    assert made["Location"] == f"/console/kb/{translation.pk}"
    again = client.get(f"/console/kb/{source.pk}/translate/en")
    assert again.status_code == 302
    assert again["Location"] == f"/console/kb/{translation.pk}"
    assert client.get(f"/console/kb/{translation.pk}/translate/es").status_code == 404

    body = source.body.replace("2. Pulsa *Agregar*.", "2. Pulsa *Nueva*.")
    client.post(f"/console/kb/{source.pk}", form_of(source, body=body))
    stale = client.get(f"/console/kb/{translation.pk}")
    assert "Stale translation" in stale.text
    assert "<del>- 2. Pulsa *Agregar*.</del>" in stale.text
    assert "<ins>+ 2. Pulsa *Nueva*.</ins>" in stale.text
    assert "up to date with revision 2 of its source" in stale.text

    boxed = form_of(translation, body="1. Open Machines.\n2. Press New.", caught_up="on")
    saved = client.post(f"/console/kb/{translation.pk}", {**boxed, "source_revision": "2"})
    assert saved.status_code == 302
    translation.refresh_from_db()
    assert (translation.source_revision, translation.stale) == (2, False)
    assert "<del>" not in client.get(f"/console/kb/{translation.pk}").text

    edit(world, source, now=later(5), title="Registrar una máquina")
    client.post(f"/console/kb/{translation.pk}/caught-up")
    translation.refresh_from_db()
    assert translation.source_revision == 3


def test_image_upload_gives_its_markdown_and_refuses_html_named_png(
    world: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    article = write(world)
    client = english(world)
    url = f"/console/kb/{article.pk}/images"
    good = SimpleUploadedFile("pantalla.png", PNG, content_type="image/png")
    shown = client.post(url, {"image": good, "alt": "Pantalla"}, headers={"HX-Request": "true"})
    image = ArticleImage.objects.get()
    assert shown.status_code == 200
    assert f"![Pantalla](/kb/images/{image.pk})" in shown.text
    fake = SimpleUploadedFile("pantalla.png", b"<html>hola</html>", content_type="image/png")
    refused = client.post(url, {"image": fake}, headers={"HX-Request": "true"})
    assert refused.status_code == 400
    assert "PNG, JPEG, GIF or WebP" in refused.text
    assert ArticleImage.objects.count() == 1
    plain = client.post(url, {"image": SimpleUploadedFile("b.png", PNG)}, follow=True)
    assert "/kb/images/" in plain.text
    missing = client.post(url, {}, follow=True)
    assert "Choose an image file." in missing.text


def test_contacts_strangers_and_bots_are_turned_away(world: Any) -> None:
    article = write(world)
    bot = create_agent(email="zapier@bots.example", name="Zapier", kind="integration")
    contact = Client()
    contact.force_login(world.contacts["pro"].user)
    robot = Client()
    robot.force_login(bot.user)
    for url in ("/console/kb/", "/console/kb/new", f"/console/kb/{article.pk}"):
        assert contact.get(url).status_code == 403
        assert robot.get(url).status_code == 403
        assert Client().get(url).status_code == 302  # to the sign-in
    assert (
        robot.post(f"/console/kb/{article.pk}/status", {"status": "published"}).status_code == 403
    )
    assert Article.objects.get().status == Status.DRAFT
    mine = robot.get("/console/mine")
    assert mine.status_code == 200
    assert 'href="/console/kb/"' not in mine.text


@pytest.mark.parametrize(
    ("language", "words"), [("es", "Base de conocimiento"), ("en", "Knowledge base")]
)
def test_the_editor_renders_in_both_languages(world: Any, language: str, words: str) -> None:
    article = write(world)
    client = client_for(world, "t1")
    client.cookies["soporte_language"] = language
    for url in ("/console/kb/", "/console/kb/new", f"/console/kb/{article.pk}"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert f'<html lang="{language}' in page.text
    assert words in client.get("/console/kb/").text


def test_the_list_names_each_articles_category_in_the_ui_language(world: Any) -> None:
    article = write(world)
    name_es, name_en = article.category.name_es, article.category.name_en
    row = english(world).get("/console/kb/").text.split(f'data-article="{article.pk}"')[1]
    assert name_en in row.split("</tr>")[0]
    spanish = client_for(world, "t1").get("/console/kb/", {"lang": "es"}).text
    assert name_es in spanish.split(f'data-article="{article.pk}"')[1].split("</tr>")[0]

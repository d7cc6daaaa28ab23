"""Knowledge base search on the engine in use (SQLite FTS5, or PostgreSQL full-text with
``DATABASE_URL``): the same questions and answers on both."""

from __future__ import annotations

import pytest
from search_helpers import write

from soporte.kb.models import Article, Status
from soporte.kb.search import Hit, find, search

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf() -> dict[str, Article]:
    """A few articles in Spanish and English, written as agents write them."""
    return {
        "registro": write(
            "Registrar una máquina nueva",
            "Para dar de alta una máquina abre **Máquinas** y elige *Agregar*. "
            "Escribe el número de serie que viene en la etiqueta.",
        ),
        "contrasena": write(
            "Cómo cambiar tu contraseña",
            "Entra a tu perfil y elige *Seguridad*. Si ya registré mi correo, llega un enlace. "
            "La máquina no necesita reiniciarse.",
        ),
        "ventas": write(
            "Las ventas no aparecen en el reporte",
            "El reporte se actualiza cada hora. Revisa que la máquina tenga señal.",
        ),
        "machine": write(
            "Add a new machine",
            "Open **Machines**, choose *Add* and type the serial number from the label.",
            language="en",
        ),
        "password": write(
            "How to reset your password",
            "Open your profile and choose *Security*. Machines keep working meanwhile.",
            language="en",
        ),
    }


def titles(hits: list[Hit]) -> list[str]:
    return [hit.title for hit in hits]


def test_accents_are_ignored_both_ways_and_case_too(shelf: dict[str, Article]) -> None:
    for query in ("maquina", "máquína", "MÁQUINA", "Maquina"):
        found = titles(search(query, language="es"))
        assert set(found) == {
            a.title for k, a in shelf.items() if k in ("registro", "contrasena", "ventas")
        }, query
    unaccented = write("Configuracion de la terminal", "Sin acentos aqui.")
    assert titles(search("configuración términal", language="es")) == [unaccented.title]


def test_words_meet_their_other_forms(shelf: dict[str, Article]) -> None:
    assert shelf["registro"].title in titles(search("registrar", language="es"))
    # "registré" in the password article: Snowball stems both to "registr" on both engines
    assert shelf["contrasena"].title in titles(search("registrar", language="es"))
    assert titles(search("máquinas", language="es"))[0] == shelf["registro"].title
    assert set(titles(search("machines", language="en"))) == {
        shelf["machine"].title,
        shelf["password"].title,
    }
    assert titles(search("resetting passwords", language="en")) == [shelf["password"].title]


def test_a_title_match_ranks_above_a_body_match(shelf: dict[str, Article]) -> None:
    assert titles(search("máquina", language="es"))[0] == shelf["registro"].title
    assert titles(search("reporte", language="es")) == [shelf["ventas"].title]
    assert titles(search("machine", language="en"))[0] == shelf["machine"].title


def test_every_word_must_match_when_some_article_has_them_all(shelf: dict[str, Article]) -> None:
    assert titles(search("máquina contraseña", language="es")) == [shelf["contrasena"].title]


def test_the_last_word_is_also_a_prefix(shelf: dict[str, Article]) -> None:
    assert titles(search("cambiar contras", language="es")) == [shelf["contrasena"].title]


def test_snippets_mark_the_matched_words(shelf: dict[str, Article]) -> None:
    (hit,) = search("etiqueta", language="es")
    assert "<mark>etiqueta</mark>" in hit.snippet
    (hit,) = [h for h in search("Registré", language="es") if h.title == shelf["contrasena"].title]
    assert "Si ya <mark>registré</mark> mi correo" in hit.snippet
    assert "*" not in hit.snippet  # the Markdown is rendered, not shown
    (hit,) = search("agregar", language="es")
    assert "elige <mark>Agregar</mark>. Escribe" in hit.snippet


def test_a_snippet_never_carries_the_bodys_html(shelf: dict[str, Article]) -> None:
    write(
        "Alertas de inventario",
        "Las alertas <script>alert('robo')</script> llegan por correo <b>inventario</b> & SMS.",
    )
    (hit,) = search("alertas inventario", language="es")
    assert "<script" not in hit.snippet
    assert "<b>" not in hit.snippet
    assert "<mark>alertas</mark>" in hit.snippet.casefold()
    without_marks = hit.snippet.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in without_marks
    assert "&amp;" in without_marks


def test_only_published_articles_are_found_unless_the_console_asks_for_drafts() -> None:
    live = write("Impresora de tickets", "Configura la impresora.")
    draft = write("Impresora nueva", "Borrador sobre la impresora.", status=Status.DRAFT)
    write("Impresora vieja", "Archivado: la impresora.", status=Status.ARCHIVED)
    assert titles(search("impresora", language="es")) == [live.title]
    console = titles(search("impresora", language="es", include_drafts=True))
    assert sorted(console) == sorted([live.title, draft.title])


def test_each_language_finds_its_own_articles(shelf: dict[str, Article]) -> None:
    assert search("password", language="es") == []
    assert search("contraseña", language="en") == []
    assert all(hit.language == "en" for hit in search("machine", language="en"))


def test_a_hit_names_the_article_and_its_address(shelf: dict[str, Article]) -> None:
    (hit,) = search("serial", language="en")
    article = shelf["machine"]
    assert (hit.article_id, hit.language, hit.title, hit.slug) == (
        article.pk, "en", article.title, article.slug,
    )  # fmt: skip


@pytest.mark.parametrize(
    "query",
    ["", "   ", '"AND (', "NEAR( OR )", "*", "a:b", "{title}:x", "^máquina", "'; DROP TABLE x; --",
     "\x00\ufffd", "ñ" * 5000, "máquina " * 2000, "🙂 🛒"],
)  # fmt: skip
def test_any_query_text_is_answered_without_error(shelf: dict[str, Article], query: str) -> None:
    found = find(query, language="es")
    assert found.total == len(found.hits) or found.total > len(found.hits)
    assert all(isinstance(hit, Hit) for hit in found.hits)


def test_search_syntax_in_a_query_is_only_words(shelf: dict[str, Article]) -> None:
    assert titles(search('"máquina" AND (serie', language="es")) == [shelf["registro"].title]


def test_a_page_of_hits_and_the_total(shelf: dict[str, Article]) -> None:
    every = find("máquina", language="es")
    assert every.total == 3
    assert every.corrected is None
    second = find("máquina", language="es", limit=2, offset=2)
    assert (second.total, second.hits) == (3, every.hits[2:])
    assert find("máquina", language="es", limit=0).hits == []


def test_bad_arguments_are_refused_by_name() -> None:
    with pytest.raises(ValueError, match="language"):
        search("máquina", language="fr")
    with pytest.raises(ValueError, match="limit"):
        find("máquina", language="es", limit=-1)

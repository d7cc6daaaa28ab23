"""A query with a typo still finds the article: when every word together finds nothing, the
words the index never saw are corrected to its nearest words, and the answer says so."""

from __future__ import annotations

import pytest
from search_helpers import write

from soporte.kb.models import Article, Status
from soporte.kb.search import find

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf() -> dict[str, Article]:
    return {
        "contrasena": write(
            "Cómo cambiar tu contraseña", "Las contraseñas vencen cada año. Pide una nueva."
        ),
        "registro": write("Registrar una máquina", "Para registrar la máquina abre el menú."),
        "ventas": write("Ventas del día", "El reporte de ventas se actualiza cada hora."),
        "password": write(
            "Reset your password", "Passwords expire yearly; ask for a new one.", language="en"
        ),
    }


@pytest.mark.parametrize(
    ("query", "language", "article", "shown"),
    [
        ("contrasena", "es", "contrasena", None),  # no typo: the accent never matters
        ("contraseñs", "es", "contrasena", "contraseñas"),
        ("cambiar contraseñs", "es", "contrasena", "cambiar contraseñas"),
        ("pasword", "en", "password", "password"),
        ("maquina registar", "es", "registro", "maquina registrar"),
        ("Reprte ventas", "es", "ventas", "reporte ventas"),
    ],
)
def test_a_misspelt_query_finds_the_article_and_says_how_it_was_read(
    shelf: dict[str, Article], query: str, language: str, article: str, shown: str | None
) -> None:
    result = find(query, language=language)
    assert result.hits[0].article_id == shelf[article].pk
    if shown is None:
        assert result.corrected is None
    else:
        # PostgreSQL's prefix on the last stem may find the article before any correction
        assert result.corrected in (shown, None)


def test_a_correction_is_said_when_it_was_needed(shelf: dict[str, Article]) -> None:
    result = find("contraseñs nuevs ", language="es")
    assert result.corrected == "contraseñas nueva"
    assert [hit.article_id for hit in result.hits] == [shelf["contrasena"].pk]


def test_garbage_is_not_corrected_into_an_answer(shelf: dict[str, Article]) -> None:
    result = find("zxqwv jjkkpp", language="es")
    assert (result.hits, result.total, result.corrected) == ([], 0, None)


def test_words_that_are_all_known_but_never_together_find_any_of_them(
    shelf: dict[str, Article],
) -> None:
    result = find("contraseña ventas ", language="es")
    assert {hit.article_id for hit in result.hits} == {
        shelf["contrasena"].pk,
        shelf["ventas"].pk,
    }
    assert result.corrected is None


def test_a_draft_word_never_shows_as_a_correction_to_the_public(
    shelf: dict[str, Article],
) -> None:
    write("Lanzamiento secreto", "El modelo Quetzalcoatl llega en marzo.", status=Status.DRAFT)
    public = find("quetzalcotl ", language="es")
    assert (public.hits, public.corrected) == ([], None)
    console = find("quetzalcotl ", language="es", include_drafts=True)
    assert console.corrected == "quetzalcoatl"
    assert len(console.hits) == 1


def test_a_correction_follows_the_vocabulary_as_articles_change(
    shelf: dict[str, Article],
) -> None:
    assert find("dispensadr ", language="es").hits == []
    added = write("Dispensador vacío", "Rellena el dispensador.")
    assert find("dispensadr ", language="es").hits[0].article_id == added.pk
    added.delete()
    assert find("dispensadr ", language="es").corrected is None

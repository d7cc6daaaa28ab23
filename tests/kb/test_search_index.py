"""The search index follows every change of an article, whatever code path makes it, and can
be rebuilt whole."""

from __future__ import annotations

import pytest
from search_helpers import write

from soporte.kb.models import Article, SearchEntry, SearchWord, Status
from soporte.kb.search import index, search

pytestmark = pytest.mark.django_db


def found(query: str, language: str = "es") -> list[int]:
    return [hit.article_id for hit in search(query, language=language, include_drafts=True)]


def vocabulary(language: str = "es") -> dict[str, int]:
    rows = SearchWord.objects.filter(language=language).values_list("word", "articles")
    return dict(rows)


def test_a_new_article_is_found_and_its_words_join_the_vocabulary() -> None:
    article = write("Terminal sin señal", "Revisa la antena de la terminal.")
    assert found("antena") == [article.pk]
    assert vocabulary() == {"terminal": 1, "senal": 1, "revisa": 1, "antena": 1}
    assert SearchWord.objects.get(word="senal").spelling == "señal"


def test_an_edit_reindexes_the_title_and_the_body() -> None:
    article = write("Terminal sin señal", "Revisa la antena.")
    other = write("Cambiar la antena", "Pide una antena nueva.")
    article.title = "Lector de billetes atorado"
    article.body = "Abre la **compuerta** del lector."
    article.save()
    assert found("antena") == [other.pk]
    assert found("compuerta") == [article.pk]
    assert found("billetes") == [article.pk]
    words = vocabulary()
    assert words["antena"] == 1
    assert "terminal" not in words
    assert words["compuerta"] == 1


def test_a_delete_removes_the_article_and_the_words_only_it_held() -> None:
    article = write("Terminal sin señal", "Revisa la antena.")
    other = write("Cambiar la antena", "Pide una antena nueva.")
    Article.objects.filter(pk=article.pk).delete()
    assert found("antena") == [other.pk]
    assert found("terminal") == []
    assert "terminal" not in vocabulary()
    assert vocabulary()["antena"] == 1
    other.delete()
    assert SearchEntry.objects.count() == 0
    assert vocabulary() == {}


def test_publishing_and_archiving_are_read_from_the_article_whatever_saved_it() -> None:
    article = write("Monedero trabado", "Limpia el monedero.", status=Status.DRAFT)
    assert search("monedero", language="es") == []
    Article.objects.filter(pk=article.pk).update(status=Status.PUBLISHED)  # no signal
    assert [h.article_id for h in search("monedero", language="es")] == [article.pk]
    article.status = Status.ARCHIVED
    article.save(update_fields=["status"])
    assert search("monedero", language="es") == []
    assert found("monedero") == []


def test_a_vote_leaves_the_entry_alone_and_a_full_save_rewrites_a_stale_one() -> None:
    article = write("Monedero trabado", "Limpia el monedero.")
    SearchEntry.objects.filter(pk=article.pk).update(text="marcador")
    article.helpful_yes += 1
    article.save(update_fields=["helpful_yes"])
    assert SearchEntry.objects.get(pk=article.pk).text == "marcador"
    article.save()
    assert SearchEntry.objects.get(pk=article.pk).text == "Limpia el monedero."


def test_a_change_of_language_moves_the_words() -> None:
    article = write("Coin changer", "Clean the coin changer.")
    article.language = "en"
    article.save()
    assert found("coin", "en") == [article.pk]
    assert found("coin", "es") == []
    assert "coin" not in vocabulary("es")
    assert vocabulary("en")["coin"] == 1


def test_rebuild_catches_up_with_writes_that_sent_no_signal() -> None:
    first = write("Monedero trabado", "Limpia el monedero.")
    second = write("Lector de billetes", "Abre el lector.")
    Article.objects.filter(pk=first.pk).update(body="Cambia el fusible.")  # no signal
    assert found("fusible") == []
    assert index.rebuild() == 2
    assert found("fusible") == [first.pk]
    assert found("lector") == [second.pk]
    assert vocabulary()["fusible"] == 1
    assert "limpia" not in vocabulary()


def test_markup_and_addresses_are_not_indexed() -> None:
    article = write(
        "Enviar reportes",
        "Ve a [la guía](https://ejemplo.mx/guiaoculta) y ![captura](pantalla.png) `codigo`.",
    )
    assert found("guiaoculta") == []
    assert found("codigo") == [article.pk]
    assert SearchEntry.objects.get(pk=article.pk).text == "Ve a la guía y codigo."

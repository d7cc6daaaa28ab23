"""``soporte kb reindex`` from the command's own entry point (in process, on the test
database): it rebuilds the search index, so an article changed without signals is found by
its new words, and prints how many articles it indexed."""

from __future__ import annotations

import pytest

from kb_helpers import write
from soporte.config.cli import main
from soporte.kb.models import Article, SearchEntry, Status
from soporte.kb.search import search

pytestmark = pytest.mark.django_db


def test_reindex_rebuilds_the_index_and_says_how_many(capsys: pytest.CaptureFixture[str]) -> None:
    ventas = write("Ventas en cero en el tablero")
    write("Sales at zero on the dashboard", language="en", source=ventas)
    write("Borrador sin publicar", status=Status.DRAFT)
    Article.objects.filter(pk=ventas.pk).update(title="Impresora de tickets atorada")  # no signal
    SearchEntry.objects.filter(article__language="en").delete()
    assert search("impresora", language="es") == []

    assert main(["kb", "reindex"]) == 0
    assert capsys.readouterr().out == "indexed 3 articles\n"
    assert [hit.article_id for hit in search("impresora", language="es")] == [ventas.pk]
    assert SearchEntry.objects.count() == 3
    assert search("dashboard", language="en")


def test_kb_alone_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["kb"])
    assert exit_.value.code == 2
    assert "reindex" in capsys.readouterr().err

"""The pure rules of knowledge base search: the words a query asks, the engines' questions,
the corrections and the snippets."""

from __future__ import annotations

import pytest

from soporte.kb.domain import search as rules


def test_a_query_is_its_folded_meaningful_words_with_their_stems() -> None:
    found = rules.terms("¿Cómo REGISTRO mis Máquinas?", language="es")
    assert found.words == ("registro", "maquinas")
    assert found.stems == ("registr", "maquin")
    assert found.prefix  # the customer may still be typing "máquinas…"


def test_a_query_ending_in_a_space_or_a_short_word_has_no_prefix() -> None:
    assert not rules.terms("machines ", language="en").prefix
    assert not rules.terms("pos ab", language="es").prefix


@pytest.mark.parametrize("query", ["", "   ", '"AND (', "*:-^~", "( OR ) AND", "¿¡!?", "a e y"])
def test_punctuation_search_syntax_and_stop_words_ask_nothing(query: str) -> None:
    assert not rules.terms(query, language="es")


def test_a_very_long_query_asks_its_first_words_and_drops_long_tokens() -> None:
    found = rules.terms("x" * 500 + " " + " ".join(f"word{n}" for n in range(100)), language="en")
    assert found.words == tuple(f"word{n}" for n in range(rules.MAX_WORDS))


def test_an_unknown_language_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="language"):
        rules.snowball("fr")


def test_the_fts5_question_quotes_every_word_and_asks_stems_in_the_stem_columns() -> None:
    found = rules.terms("máquina registrar", language="es")
    assert rules.fts5_match(found) == (
        '({title text} : "maquina" OR {title_stems text_stems} : "maquin") AND '
        '({title text} : "registrar"* OR {title_stems text_stems} : "registr")'
    )
    assert " OR (" in rules.fts5_match(found, any_word=True)


def test_the_tsquery_joins_the_words_and_makes_the_last_a_prefix_too() -> None:
    found = rules.terms("ventas reporte", language="es")
    assert rules.tsquery(found) == "ventas & (reporte | reporte:*)"
    assert rules.tsquery(rules.terms("ventas reporte ", language="es"), any_word=True) == (
        "ventas | reporte"
    )


def test_a_misspelt_word_is_corrected_to_the_nearest_most_used_word() -> None:
    vocabulary = ["contrasenas", "contrasena", "password", "registrar", "maquina"]
    assert rules.nearest("contrasens", vocabulary) == "contrasenas"
    assert rules.nearest("pasword", vocabulary) == "password"
    assert rules.nearest("registar", vocabulary) == "registrar"
    assert rules.nearest("zzqqxx", vocabulary) is None


def test_the_corrected_query_keeps_the_customers_other_words() -> None:
    spellings = {"registar": "registrar", "contrasens": "contraseñas"}
    assert rules.corrected("Máquina  REGISTAR", spellings) == "Máquina registrar"
    assert rules.corrected("contraseñs?", spellings) == "contraseñas?"


def test_the_vocabulary_keeps_spellings_and_leaves_out_numbers_and_stop_words() -> None:
    words = rules.vocabulary_words("La Contraseña de la máquina 5031, para el Reporte.")
    assert words == {"contrasena": "contraseña", "maquina": "máquina", "reporte": "reporte"}


def test_a_snippet_escapes_everything_but_its_marks() -> None:
    text = "Antes <script>alert('x')</script> & después: registré la máquina & listo."
    found = rules.terms("script MAQUINAS registrar ", language="es")
    marked = rules.snippet(text, found, language="es")
    assert marked == (
        "Antes &lt;<mark>script</mark>&gt;alert(&#x27;x&#x27;)&lt;/<mark>script</mark>&gt; "
        "&amp; después: <mark>registré</mark> la <mark>máquina</mark> &amp; listo."
    )


def test_a_snippet_marks_the_prefix_and_words_whose_stem_is_no_prefix() -> None:
    found = rules.terms("happy contras", language="en")
    marked = rules.snippet("Happy users change their contraseña daily.", found, language="en")
    assert marked == "<mark>Happy</mark> users change their <mark>contraseña</mark> daily."


def test_a_snippet_shows_the_window_with_the_most_matches() -> None:
    words = [f"w{n}" for n in range(200)]
    words[150] = words[155] = "ventas"
    words[20] = "ventas"
    found = rules.terms("venta ", language="es")
    marked = rules.snippet(" ".join(words), found, language="es", width=20)
    assert marked.startswith("… w147 w148 w149 <mark>ventas</mark> ")
    assert marked.count("<mark>") == 2
    assert marked.endswith(" …")


def test_a_snippet_without_a_match_is_the_beginning() -> None:
    found = rules.terms("nada", language="es")
    assert rules.snippet("uno dos tres cuatro", found, language="es", width=2) == "uno dos …"
    assert rules.snippet("uno dos", found, language="es") == "uno dos"


def test_a_headline_is_escaped_and_only_the_engines_marks_become_tags() -> None:
    raw = f"a <b>{rules.MARK}venta{rules.UNMARK}</b>"
    assert rules.headline(raw) == "a &lt;b&gt;<mark>venta</mark>&lt;/b&gt;"
    assert rules.unmarkable(raw) == "a <b>venta</b>"

"""Translations: from a source only, into the other language, once per language; stale when
the source changes; the diff of the source since; caught up by "mark as translated" or by the
editor's box."""

from __future__ import annotations

from typing import Any

import pytest
from article_factory import AT, edit, later, write

from soporte.kb import services
from soporte.kb.diff import Change, Line, line_diff, source_changes
from soporte.kb.models import Article

pytestmark = pytest.mark.django_db

ENGLISH_BODY = "1. Open **Machines**.\n2. Press *Add*.\n3. Type the serial number."


def translate(world: Any, source: Article, **kw: Any) -> Article:
    return services.create_translation(
        source=source,
        language=kw.pop("language", "en"),
        translator=world.agents["t3"],
        title=kw.pop("title", "Add a machine"),
        body=kw.pop("body", ENGLISH_BODY),
        now=kw.pop("now", later(1)),
        **kw,
    )


def test_a_translation_links_its_source_and_starts_up_to_date(world: Any) -> None:
    source = write(world)
    source = edit(world, source, now=later(0), title="Alta de una máquina")
    english = translate(world, source)
    assert (english.source, english.source_revision, english.language) == (source, 2, "en")
    assert (english.category, english.slug, english.revision) == (
        source.category,
        "add-a-machine",
        1,
    )
    assert not english.stale
    assert source_changes(english) is None


@pytest.mark.parametrize("language", ["es", "fr"])
def test_a_translation_goes_into_the_other_language(world: Any, language: str) -> None:
    with pytest.raises(services.ArticleError) as refused:
        translate(world, write(world), language=language)
    assert refused.value.field == "language"


def test_one_translation_per_language_and_none_of_a_translation(world: Any) -> None:
    source = write(world)
    english = translate(world, source)
    with pytest.raises(services.ArticleError) as twice:
        translate(world, source, title="Add a machine again")
    assert twice.value.field == "language"
    with pytest.raises(services.ArticleError) as of_translation:
        translate(world, english, language="es", title="Otra vez")
    assert of_translation.value.field == "source"
    assert Article.objects.count() == 2


def test_source_changes_make_it_stale_the_diff_shows_them_and_marking_catches_up(
    world: Any,
) -> None:
    source = write(world)
    english = translate(world, source)
    body = source.body.replace("2. Pulsa *Agregar*.", "2. Pulsa *Nueva máquina*.")
    source = edit(world, source, now=later(2), title="Registrar una máquina", body=body)
    english.refresh_from_db()
    assert english.stale

    changes = source_changes(english)
    assert changes is not None
    assert (changes.since, changes.now) == (1, 2)
    assert changes.title_changed
    assert (changes.title_before, changes.title_after) == (
        "Dar de alta una máquina",
        "Registrar una máquina",
    )
    changed = [line for hunk in changes.hunks for line in hunk if line.change != Change.SAME]
    assert changed == [
        Line(Change.DELETED, "2. Pulsa *Agregar*."),
        Line(Change.INSERTED, "2. Pulsa *Nueva máquina*."),
    ]

    english = services.mark_translated(translation=english, now=later(3))
    assert (english.source_revision, english.updated_at) == (2, later(3))
    english.refresh_from_db()
    assert not english.stale
    assert source_changes(english) is None


def test_the_editors_box_catches_up_with_the_revision_it_showed_only(world: Any) -> None:
    source = write(world)
    english = translate(world, source)
    source = edit(world, source, now=later(2), body=source.body + "\n4. Guarda.")
    source = edit(world, source, now=later(3), body=source.body + "\n5. Listo.")
    english.refresh_from_db()
    body = english.body + "\n4. Save."
    english = edit(world, english, now=later(4), body=body, caught_up_with=2)
    assert (english.source_revision, english.revision) == (2, 2)
    assert english.stale  # revision 3 came in after the translator's page showed 2
    changes = source_changes(english)
    assert changes is not None
    assert [line.text for hunk in changes.hunks for line in hunk if line.change != "same"] == [
        "5. Listo."
    ]
    with pytest.raises(services.ArticleError) as refused:
        edit(world, english, now=later(5), caught_up_with=7)
    assert refused.value.field == "caught_up_with"


def test_a_source_is_never_stale_nor_marked_translated(world: Any) -> None:
    source = write(world)
    assert not source.stale
    with pytest.raises(services.ArticleError) as refused:
        services.mark_translated(translation=source, now=AT)
    assert refused.value.field == "source"


def test_line_diff_groups_changes_with_context() -> None:
    before = "\n".join(f"línea {n}" for n in range(1, 21))
    after = before.replace("línea 3", "línea tres").replace("línea 18\n", "")
    hunks = line_diff(before, after, context=1)
    assert hunks == [
        [
            Line(Change.SAME, "línea 2"),
            Line(Change.DELETED, "línea 3"),
            Line(Change.INSERTED, "línea tres"),
            Line(Change.SAME, "línea 4"),
        ],
        [
            Line(Change.SAME, "línea 17"),
            Line(Change.DELETED, "línea 18"),
            Line(Change.SAME, "línea 19"),
        ],
    ]
    assert line_diff(before, before) == []

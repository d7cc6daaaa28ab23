"""A translation is stale once its source has a revision it did not catch up with."""

from __future__ import annotations

import pytest

from soporte.kb.domain.translations import is_stale


@pytest.mark.parametrize(
    ("source_revision", "translated_from", "stale"),
    [
        (1, 1, False),
        (2, 1, True),
        (2, 2, False),
        (5, 3, True),
        (1, None, True),
        (3, 4, False),  # caught up beyond: never stale
    ],
)
def test_staleness(source_revision: int, translated_from: int | None, stale: bool) -> None:
    assert is_stale(source_revision=source_revision, translated_from=translated_from) is stale

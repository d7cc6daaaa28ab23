"""When a translation is stale: its source changed after the translation last caught up."""

from __future__ import annotations


def is_stale(*, source_revision: int, translated_from: int | None) -> bool:
    """A translation that caught up with revision ``translated_from`` of its source is stale once
    the source is at a later ``source_revision``; one that never caught up (``None``) is stale."""
    return translated_from is None or translated_from < source_revision

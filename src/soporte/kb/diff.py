"""What changed in a translation's source since the revision the translation caught up with:
the title before and after, and the body's changed lines in hunks with a little context, as
data the editor renders as inserted and deleted lines."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from enum import StrEnum

from soporte.kb.models import Article, ArticleRevision

CONTEXT_LINES = 2
"""Unchanged lines shown around each change: enough to find the spot in the translation."""


class Change(StrEnum):
    SAME = "same"
    INSERTED = "inserted"
    DELETED = "deleted"


@dataclass(frozen=True, slots=True)
class Line:
    change: Change
    text: str


@dataclass(frozen=True, slots=True)
class SourceChanges:
    since: int
    """The source's revision the translation caught up with (0: none)."""
    now: int
    title_before: str
    title_after: str
    hunks: list[list[Line]]

    @property
    def title_changed(self) -> bool:
        return self.title_before != self.title_after


def line_diff(before: str, after: str, *, context: int = CONTEXT_LINES) -> list[list[Line]]:
    """The changed lines of ``after`` against ``before``, grouped in hunks with ``context``
    unchanged lines around each change (none when the texts are equal)."""
    old, new = before.splitlines(), after.splitlines()
    hunks: list[list[Line]] = []
    for group in difflib.SequenceMatcher(None, old, new).get_grouped_opcodes(context):
        hunk: list[Line] = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                hunk.extend(Line(Change.SAME, text) for text in old[i1:i2])
                continue
            hunk.extend(Line(Change.DELETED, text) for text in old[i1:i2])
            hunk.extend(Line(Change.INSERTED, text) for text in new[j1:j2])
        hunks.append(hunk)
    return hunks


def source_changes(translation: Article) -> SourceChanges | None:
    """What the source of ``translation`` changed since the translation caught up, or ``None``
    when it is no translation or is up to date."""
    source = translation.source
    if source is None or not translation.stale:
        return None
    since = translation.source_revision or 0
    then = ArticleRevision.objects.filter(article=source, number=since).first()
    title_before, body_before = (then.title, then.body) if then is not None else ("", "")
    return SourceChanges(
        since=since,
        now=source.revision,
        title_before=title_before,
        title_after=source.title,
        hunks=line_diff(body_before, source.body),
    )

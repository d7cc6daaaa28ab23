"""What a recurrence's disposition must say (READING.md §7, "anything that happens twice"). Pure.

A recurrence is disposed of by a knowledge-base article or a product fix, each with a link to
it, or by "no action" with the reason. The disposition is a plain (kind, link, reason), so
whatever proves it later (a post-mortem's action item) can be one of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

LINK_LIMIT = 500


class DispositionKind(StrEnum):
    KB_ARTICLE = "kb_article"
    PRODUCT_FIX = "product_fix"
    NO_ACTION = "no_action"


NEEDS_LINK = frozenset({DispositionKind.KB_ARTICLE, DispositionKind.PRODUCT_FIX})


class DispositionError(ValueError):
    """A disposition that cannot stand: ``field`` names what to fix."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class Disposition:
    kind: DispositionKind
    link: str = ""
    reason: str = ""


def disposition(kind: str, *, link: str = "", reason: str = "") -> Disposition:
    """The disposition given, trimmed, or ``DispositionError`` naming the field at fault: an
    unknown kind; a missing or non-web link for an article or a fix; no reason for "no
    action"."""
    try:
        chosen = DispositionKind(kind.strip())
    except ValueError:
        known = ", ".join(k.value for k in DispositionKind)
        raise DispositionError("kind", f"must be one of {known}") from None
    link, reason = link.strip(), reason.strip()
    if chosen in NEEDS_LINK and not link:
        raise DispositionError("link", "a KB article or a product fix needs its link")
    if link and not _web_address(link):
        raise DispositionError("link", "must be an http(s) address")
    if len(link) > LINK_LIMIT:
        raise DispositionError("link", f"must be at most {LINK_LIMIT} characters")
    if chosen is DispositionKind.NO_ACTION and not reason:
        raise DispositionError("reason", "say why no action is needed")
    return Disposition(chosen, link, reason)


def _web_address(link: str) -> bool:
    parts = urlsplit(link)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in link

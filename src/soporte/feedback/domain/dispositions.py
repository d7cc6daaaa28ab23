"""What a recurrence's disposition must say (READING.md §7, "anything that happens twice"). Pure.

A recurrence is disposed of by a knowledge-base article or a product fix, each with a link to
it, or by "no action" with the reason. The disposition is a plain (kind, link, reason), so
whatever proves it later (a post-mortem's action item) can be one of them. The link rule
(:func:`link_problem`) is the weekly review's too.
"""

from __future__ import annotations

import enum
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
    problem = link_problem(link, needed=chosen in NEEDS_LINK)
    if problem is not None:
        raise DispositionError("link", _LINK_MESSAGES[problem])
    if chosen is DispositionKind.NO_ACTION and not reason:
        raise DispositionError("reason", "say why no action is needed")
    return Disposition(chosen, link, reason)


class LinkProblem(enum.Enum):
    MISSING = "missing"
    NOT_WEB = "not_web"
    TOO_LONG = "too_long"


_LINK_MESSAGES = {
    LinkProblem.MISSING: "a KB article or a product fix needs its link",
    LinkProblem.NOT_WEB: "must be an http(s) address",
    LinkProblem.TOO_LONG: f"must be at most {LINK_LIMIT} characters",
}


def link_problem(link: str, *, needed: bool) -> LinkProblem | None:
    """What is wrong with a disposition's (trimmed) ``link``, if anything: missing where the
    kind ``needed`` one, not an http(s) address, or over ``LINK_LIMIT`` characters."""
    if not link:
        return LinkProblem.MISSING if needed else None
    if not web_address(link):
        return LinkProblem.NOT_WEB
    if len(link) > LINK_LIMIT:
        return LinkProblem.TOO_LONG
    return None


def web_address(link: str) -> bool:
    parts = urlsplit(link)
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and not any(c.isspace() for c in link)
    )

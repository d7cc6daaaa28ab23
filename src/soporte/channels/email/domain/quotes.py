"""What the sender wrote now, apart from the history their mail client quoted and their
signature: the maintained multi-language reply parser ``mail-parser-reply`` (Spanish and
English quote headers of Gmail, Outlook, Apple Mail…). Pure.
"""

from __future__ import annotations

import re
from typing import Any

from mailparser_reply import EmailMessage

LANGUAGES = ("es", "en")

_ES_WROTE = r"^((?:> ?)*El\s(?:.+?\s?.+?)\s?escribió:)$"
"""mail-parser-reply 1.36's Spanish "El …, Ana <…> escribió:" pattern never matches an
unquoted line (its negative look-ahead repeats the pattern itself, and it wants two spaces
before "escribió"); this is its English twin's shape, which also reads Gmail's two-line wrap.
Upstream: alfonsrv/mail-parser-reply pull request 31."""

MAX_CHARS = 50_000
"""The parser reads this much of a body; what follows is quoted history when the parser found
some, else part of the reply (its patterns cost more than linear time)."""
MAX_LINE = 200
"""A longer line is no quote header: the parser sees a placeholder instead (its header
patterns take time quadratic in a line's length)."""
_PLACEHOLDER = re.compile("\x00([0-9]+)\x00")


class _Message(EmailMessage):  # type: ignore[misc]
    def _get_language_regex(self, language: str, regex_key: str) -> Any:
        if (language, regex_key) == ("es", "wrote_header"):
            return _ES_WROTE
        return super()._get_language_regex(language=language, regex_key=regex_key)


def split_reply(text: str) -> tuple[str, str]:
    """``(reply, quoted)``: the new text without its signature, and the quoted history."""
    if not text.strip():
        return "", ""
    head, tail = text[:MAX_CHARS], text[MAX_CHARS:]
    long_lines: list[str] = []

    def hide(line: str) -> str:
        if len(line) <= MAX_LINE:
            return line
        long_lines.append(line.strip())  # as the parser trims every line
        return f"\x00{len(long_lines) - 1}\x00"

    def shown(fragment: str) -> str:
        return _PLACEHOLDER.sub(lambda m: long_lines[int(m[1])], fragment)

    hidden = "\n".join(hide(line) for line in head.replace("\x00", "").split("\n"))
    message = _Message(text=hidden, languages=list(LANGUAGES), keep_hyphen_lists=True).read()
    replies = message.replies
    reply = shown(replies[0].body) if replies else head
    quoted = shown("\n\n".join(r.content for r in replies[1:]))
    if tail:
        quoted = quoted + tail if quoted else ""
        reply = reply if quoted else reply + tail
    return reply.strip(), quoted.strip()

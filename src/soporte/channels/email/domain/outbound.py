"""What a customer's mail client threads on in the emails we send (RFC 5322 §3.6.4, RFC 3834):
the subject of a reply, the ``In-Reply-To``/``References`` of a thread, and the marks of an
automatic email. Pure: text in, text out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

REFERENCES = 10
"""At most this many Message-IDs in ``References``: the thread's root and the latest ones."""

AUTO_REPLIED = {"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"}
"""The marks of an automatic answer to a customer's message (the acknowledgement): no mail
server answers it in turn (RFC 3834 §5; Exchange reads the second header)."""
AUTO_GENERATED = {"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"}
"""The marks of a notice the system sends on its own (e.g. "solved")."""

_PREFIX = re.compile(
    r"^\s*(?:(?:re|aw|sv|vs|ref|rif|antw|fw|fwd|rv|tr|wg|enc)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*)+",
    re.IGNORECASE,
)
_TAG = re.compile(r"\s*\[#\d+\]\s*")


def clean_subject(subject: str) -> str:
    """``subject`` without its reply and forward prefixes (``Re:``, ``RE[2]:``, ``AW:``,
    ``RV:``, ``Fwd:``…, repeated or not) and without any ``[#N]`` ticket tag, on one line."""
    previous = None
    text = " ".join(subject.split())
    while text != previous:
        previous = text
        text = _PREFIX.sub("", _TAG.sub(" ", text).strip())
    return text


def reply_subject(subject: str, number: int) -> str:
    """The subject of our reply in ticket ``number``'s thread: ``Re: [#N] <subject>``, with the
    tag once and one ``Re:`` however many the thread piled up (a mail client replying to it
    keeps it as it is)."""
    cleaned = clean_subject(subject)
    return f"Re: [#{number}] {cleaned}" if cleaned else f"Re: [#{number}]"


def thread_headers(thread: Sequence[str]) -> dict[str, str]:
    """``In-Reply-To`` and ``References`` of an email answering the thread whose Message-IDs
    (``<…>``) are ``thread``, oldest first: the reply is to the latest; the references keep
    the root and the latest ones. Nothing for an empty thread."""
    ids = [i for i in thread if i]
    if not ids:
        return {}
    kept = [ids[0], *ids[1:][-(REFERENCES - 1) :]]
    return {"In-Reply-To": ids[-1], "References": " ".join(kept)}

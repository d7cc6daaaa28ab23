"""Customer text and HTML made safe to display (nh3: an allow-list sanitiser)."""

from __future__ import annotations

import html
import re

import nh3

TAGS = {
    "p",
    "br",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ul",
    "ol",
    "li",
    "a",
    "code",
    "pre",
    "blockquote",
}
ATTRIBUTES = {"a": {"href", "title"}}


def from_text(text: str) -> str:
    """Plain text as HTML paragraphs, every character escaped."""
    paragraphs = [p for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)


def from_html(markup: str) -> str:
    """Untrusted HTML reduced to simple formatting and links; scripts, styles and handlers go."""
    return nh3.clean(
        markup,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


_BREAKS = re.compile(r"<br\s*/?>|<li[^>]*>|</(?:p|li|pre|blockquote|ul|ol)>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def to_text(markup: str) -> str:
    """Sanitised HTML (what a message stores) as plain text for an email: paragraphs apart,
    line breaks kept, list items as ``- `` lines, tags dropped, entities decoded."""
    text = html.unescape(_TAG.sub("", _BREAKS.sub(_break, markup)))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _break(match: re.Match[str]) -> str:
    tag = match.group(0).lower()
    if tag.startswith("<li"):
        return "- "
    return "\n" if tag.startswith("<br") or tag == "</li>" else "\n\n"

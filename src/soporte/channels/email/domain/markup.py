"""An HTML body read as text (what a person sees), and made safe to show. Pure.

:func:`html_text` keeps paragraphs and line breaks, writes list items as ``- `` lines and links
as ``text (url)``, drops what a browser does not show (scripts, styles, the title, comments)
and decodes entities. It reads tags with one regular expression whose every part stops at the
next angle bracket, so any markup, however malformed or deep, is read in linear time (the
standard library's ``HTMLParser`` is quadratic on unclosed tags, html5ever on deep nesting).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

import nh3

from soporte.tickets.sanitize import ATTRIBUTES, TAGS

_HIDDEN = frozenset({"script", "style", "title", "template", "noscript", "xml", "textarea"})
"""Elements whose content no one sees: skipped up to their end tag (or the end)."""
_BLOCKS = frozenset(
    {"p", "div", "table", "blockquote", "ul", "ol", "pre", "section", "article", "header"}
    | {"footer", "form", "hr", "dl", "h1", "h2", "h3", "h4", "h5", "h6", "address", "center"}
)
_LINES = frozenset({"br", "tr", "li", "dt", "dd"})
_CELLS = frozenset({"td", "th"})
_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)"  # a comment (an unclosed one runs to the end, as in a browser)
    r"|<(?P<end>/?)(?P<tag>[a-zA-Z][^\s/<>]*)(?P<attributes>[^<>]*)>"
    r"|<[!?/][^<>]*>",  # a doctype, a processing instruction, a malformed end tag
    re.DOTALL,
)
_ATTRIBUTE = re.compile(
    r"""(?:^|\s)(?P<name>href|alt)\s*=\s*(?:"(?P<q>[^"]*)"|'(?P<s>[^']*)'|(?P<u>[^\s"'`=]+))""",
    re.IGNORECASE,
)
_SPACE = re.compile(r"[ \t\r\n\f\u00a0]+")
_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")
_LINK_TEXT = 64
"""Chunks of a link's text compared with its address (a longer text is never the address)."""


class _Reader:
    def __init__(self) -> None:
        self.chunks: list[str] = []
        self.pre = 0
        self.links: list[tuple[str, int]] = []

    def text(self, data: str) -> None:
        data = html.unescape(data)
        # spaces inside <pre> are no-break spaces until the lines are trimmed
        self.chunks.append(data.replace(" ", "\u00a0") if self.pre else _SPACE.sub(" ", data))

    def start(self, tag: str, attributes: str) -> None:
        if tag in _BLOCKS:
            self.chunks.append("\n\n")
            self.pre += tag == "pre"
        elif tag in _LINES:
            self.chunks.append("\n- " if tag == "li" else "\n")
        elif tag in _CELLS:
            self.chunks.append(" ")
        elif tag == "a":
            self.links.append((_attribute(attributes, "href"), len(self.chunks)))
        elif tag == "img":
            self.chunks.append(_attribute(attributes, "alt"))

    def end(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.chunks.append("\n\n")
            self.pre -= tag == "pre" and self.pre > 0
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            shown = (
                "".join(self.chunks[start:]).strip()
                if len(self.chunks) - start < _LINK_TEXT
                else "…"
            )
            address = href[7:] if href.lower().startswith("mailto:") else href
            if href.lower().startswith(("http:", "https:", "mailto:")) and address != shown:
                self.chunks.append(f" ({address})" if shown else address)


def _attribute(attributes: str, name: str) -> str:
    for match in _ATTRIBUTE.finditer(attributes):
        if match["name"].lower() == name:
            return html.unescape(match["q"] or match["s"] or match["u"] or "").strip()
    return ""


def html_text(markup: str) -> str:
    """``markup`` as the text a person reads in it."""
    reader = _Reader()
    position = 0
    while (match := _TOKEN.search(markup, position)) is not None:
        reader.text(markup[position : match.start()])
        position = match.end()
        tag = (match["tag"] or "").lower()
        if not tag:
            continue
        if match["end"]:
            reader.end(tag)
        elif tag in _HIDDEN:
            close = re.compile(rf"</{tag}\s*>", re.IGNORECASE).search(markup, position)
            position = close.end() if close else len(markup)
        else:
            reader.start(tag, match["attributes"])
            if match["attributes"].endswith("/"):
                reader.end(tag)
    reader.text(markup[position:])
    lines = "".join(reader.chunks).split("\n")
    text = "\n".join(line.strip(" ").replace("\u00a0", " ") for line in lines)
    return _BLANK_LINES.sub("\n\n", text).strip()


_IMAGE_ATTRIBUTES = frozenset({"src", "alt", "width", "height"})
_IMAGE_WITHOUT_SOURCE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def safe_html(markup: str, inline: Mapping[str, str]) -> str:
    """``markup`` sanitised with the desk's allow-list (``soporte.tickets.sanitize``), plus the
    images whose ``cid:`` source is one of ``inline`` (content id → URL), shown from that URL.
    Every other image (remote, ``data:``, an unknown ``cid:``) is dropped."""

    def image_source(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            return inline.get(value[4:].strip("<>")) if value.lower().startswith("cid:") else None
        return value

    cleaned = nh3.clean(
        markup,
        tags=TAGS | {"img"},
        attributes={**ATTRIBUTES, "img": _IMAGE_ATTRIBUTES},
        url_schemes={"http", "https", "mailto", "cid"},
        link_rel="noopener noreferrer nofollow",
        attribute_filter=image_source,
    )
    return _IMAGE_WITHOUT_SOURCE.sub("", cleaned)

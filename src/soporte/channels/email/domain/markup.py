"""An HTML body read as text (what a person sees), and made safe to show. Pure.

:func:`html_text` keeps paragraphs and line breaks, writes list items as ``- `` lines and links
as ``text (url)``, drops what a browser does not show (scripts, styles, the head) and decodes
entities, in one linear pass of the standard library's tolerant HTML parser.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html.parser import HTMLParser

import nh3

from soporte.tickets.sanitize import ATTRIBUTES, TAGS

_HIDDEN = frozenset({"script", "style", "head", "title", "template", "noscript", "xml"})
_BLOCKS = frozenset(
    {"p", "div", "table", "blockquote", "ul", "ol", "pre", "section", "article", "header"}
    | {"footer", "form", "hr", "dl", "h1", "h2", "h3", "h4", "h5", "h6", "address", "center"}
)
_LINES = frozenset({"br", "tr", "li", "dt", "dd"})
_SPACE = re.compile(r"[ \t\r\n\f\u00a0]+")
_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.hidden = 0
        self.pre = 0
        self.links: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BLOCKS:
            self.chunks.append("\n\n")
            self.pre += tag == "pre"
        elif tag in _LINES:
            self.chunks.append("\n- " if tag == "li" else "\n")
        elif tag in {"td", "th"}:
            self.chunks.append(" ")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self.links.append((href.strip(), len(self.chunks)))
        elif tag == "img":
            alt = (dict(attrs).get("alt") or "").strip()
            if alt:
                self.chunks.append(alt)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HIDDEN:
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.chunks.append("\n\n")
            self.pre -= tag == "pre" and self.pre > 0
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            shown = "".join(self.chunks[start:]).strip()
            if href.lower().startswith(("http:", "https:")) and href not in {shown, ""}:
                self.chunks.append(f" ({href})" if shown else href)
            elif href.lower().startswith("mailto:") and href[7:] != shown:
                self.chunks.append(f" ({href[7:]})" if shown else href[7:])

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            # spaces inside <pre> are no-break spaces until the lines are trimmed
            self.chunks.append(data.replace(" ", "\u00a0") if self.pre else _SPACE.sub(" ", data))


def html_text(markup: str) -> str:
    """``markup`` as the text a person reads in it."""
    reader = _Text()
    reader.feed(markup)
    reader.close()
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

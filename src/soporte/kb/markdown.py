"""An article's Markdown body as safe HTML: markdown-it (CommonMark, tables, no raw HTML),
then nh3 keeps only the tags and attributes an article needs."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

TAGS = {
    "a", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "img", "li", "ol", "p",
    "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}


def render(body: str) -> str:
    """The HTML of ``body`` (Markdown), sanitised: no script, no style, no event handler, links
    only to http(s), mailto and the desk's own paths."""
    html = _MARKDOWN.render(body)
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )

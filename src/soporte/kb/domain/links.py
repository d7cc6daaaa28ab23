"""Which knowledge base articles a reply links to: the ``<base>/kb/<language>/<slug>`` addresses
in its text, read without Django so the rule is one small pure function."""

from __future__ import annotations

import re

LANGUAGES = ("es", "en")
_SLUG = r"[A-Za-z0-9_-]+"


def article_links(body: str, *, base: str) -> list[tuple[str, str]]:
    """The ``(language, slug)`` of every article address on the desk at ``base`` (its public
    address, e.g. ``https://soporte.example.com``) in ``body``, once each, in order of first
    appearance. An address on another host, or in another language, is not an article's."""
    pattern = re.compile(
        rf"{re.escape(base.rstrip('/'))}/kb/({'|'.join(LANGUAGES)})/({_SLUG})(?![A-Za-z0-9_/-])"
    )
    seen: dict[tuple[str, str], None] = {}
    for match in pattern.finditer(body):
        seen.setdefault((match[1], match[2]), None)
    return list(seen)

"""The demo knowledge base's content, read from ``kb_content/``: the categories and each
article as a Spanish source with its English translation (``kb_content/README.md``)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

CONTENT = Path(__file__).with_name("kb_content")


@dataclass(frozen=True, slots=True)
class Text:
    slug: str
    title: str
    category: str
    body: str


@dataclass(frozen=True, slots=True)
class Pair:
    number: int
    es: Text
    en: Text


def categories() -> dict[str, dict[str, str | int]]:
    """Each category by its key: ``name_es``, ``name_en``, ``slug_es``, ``slug_en``,
    ``position``."""
    with CONTENT.joinpath("categories.toml").open("rb") as file:
        return tomllib.load(file)


def pairs() -> list[Pair]:
    """Every article pair, in its number's order."""
    texts: dict[tuple[int, str], Text] = {}
    for path in sorted(CONTENT.glob("[0-9][0-9]-*.md")):
        number, language, slug = path.stem.split("-", 2)
        texts[int(number), language] = _read(path, slug)
    numbers = sorted({number for number, _ in texts})
    return [Pair(n, texts[n, "es"], texts[n, "en"]) for n in numbers]


def _read(path: Path, slug: str) -> Text:
    _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
    fields = dict(line.split(": ", 1) for line in head.strip().splitlines())
    return Text(slug=slug, title=fields["title"], category=fields["category"], body=body.strip())

"""The labelled set of similar-ticket suggestions (``data/``): earlier tickets, each with a
paraphrase of the same problem written later (other words, typos, no accents, odd case), in
Spanish and English, and distractors. ``load`` opens them all with the bulk loader;
``measure`` asks for each paraphrase's suggestions and scores them. Used by the tests (a floor)
and by ``bench/similar.py`` (the figures)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("data")


@dataclass(frozen=True, slots=True)
class Pair:
    language: str
    earlier: str
    """``subject | body``."""
    paraphrase: str


def pairs() -> list[Pair]:
    found = []
    for language in ("es", "en"):
        for line in (DATA / f"pairs_{language}.tsv").read_text(encoding="utf-8").splitlines():
            if line.strip():
                earlier, paraphrase = line.split("\t")
                found.append(Pair(language, earlier.strip(), paraphrase.strip()))
    return found


def distractors() -> list[str]:
    text = (DATA / "distractors.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


@dataclass(frozen=True, slots=True)
class Loaded:
    earlier: list[int]
    """The earlier ticket of each pair, in ``pairs()`` order."""
    paraphrases: list[int]


def load(contacts: list[Any], *, start: datetime) -> Loaded:
    """Open the distractors and earlier tickets over the days after ``start``, then every
    paraphrase as a ticket a week later, all with ``tickets.bulk.load``."""
    from soporte.tickets import bulk

    every = pairs()
    texts = distractors() + [p.earlier for p in every]
    specs = [
        _spec(contacts, i, text, start + timedelta(minutes=7 * i)) for i, text in enumerate(texts)
    ]
    later = start + timedelta(days=7)
    specs += [
        _spec(contacts, i, p.paraphrase, later + timedelta(minutes=i), subject_only=True)
        for i, p in enumerate(every)
    ]
    numbers = bulk.load(specs, now=later + timedelta(days=1))
    skip = len(distractors())
    return Loaded(numbers[skip : skip + len(every)], numbers[skip + len(every) :])


def _spec(
    contacts: list[Any], i: int, text: str, at: datetime, *, subject_only: bool = False
) -> Any:
    from soporte.tickets.bulk import TicketSpec

    subject, _, body = text.partition(" | ")
    return TicketSpec(
        requester=contacts[i % len(contacts)],
        channel="portal",
        severity="P3",
        subject=subject,
        body="" if subject_only else body,
        received_at=at,
    )


@dataclass(frozen=True, slots=True)
class Figures:
    pairs: int
    hit_at_5: float
    """Share of paraphrases whose earlier ticket is among the first five suggestions."""
    precision_at_5: float
    """Relevant suggestions among the first five, over five (one ticket is relevant per
    paraphrase, so at most 0.2)."""
    mrr: float
    """Mean reciprocal rank of the earlier ticket (0 when it is not suggested)."""


Suggest = Callable[[int], list[int]]


def measure(loaded: Loaded, suggest: Suggest) -> Figures:
    """Score ``suggest`` (a paraphrase's ticket number → suggested numbers, best first)."""
    hits, relevant, reciprocal = 0, 0, 0.0
    for earlier, paraphrase in zip(loaded.earlier, loaded.paraphrases, strict=True):
        found = suggest(paraphrase)
        top = found[:5]
        if earlier in top:
            hits += 1
            relevant += 1
        if earlier in found:
            reciprocal += 1 / (found.index(earlier) + 1)
    n = len(loaded.earlier)
    return Figures(n, hits / n, relevant / (5 * n), reciprocal / n)

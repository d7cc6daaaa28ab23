"""The pinned-FAQ rule of one locale (READING.md §7, docs/readings.md 62-67). Pure: no Django, no
clock; the week just ended is a parameter.

A T1 question seen in each of the last ``streak`` consecutive ISO weeks (the week just ended
and those before it) is a candidate; each candidate is proposed (or pinned, when the policy says
so) in a free place or in place of the pin seen least recently. The edges, settled:

- A question already pinned is never a candidate: its pin's last-seen week moves to the latest
  week it was seen in (never backwards).
- A question with a pending proposal is not proposed again, and the pin that proposal would
  replace (or the free place it would fill) is taken: two candidates never aim at one pin.
- Several candidates in one week go in order: most tickets over the streak, then the earliest
  week first seen, then the question's key.
- "Seen least recently": the pin with the earliest last-seen week (never seen goes first), then
  the earliest pinned, then the lowest position.
- Free places (fewer pins than ``capacity``) fill before any pin is replaced.
- A week without the question breaks its streak: it needs ``streak`` new consecutive weeks.
- Weeks are ISO weeks (``feedback.domain.weeks``): 2026-W53 exists, so a streak ending in
  2027-W01 is 2026-W52, 2026-W53, 2027-W01.
- A rejected question may be proposed again only after a whole new streak that starts after the
  week of its rejection.
- A candidate nothing can make room for (every place taken by a pending proposal) waits: it is a
  candidate again next week while its streak holds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from soporte.feedback.domain.weeks import Week

NEVER = Week(1, 1)
"""Sorts before every real week: a pin whose question was never seen gives way first."""


@dataclass(frozen=True, slots=True)
class Pin:
    """A pinned FAQ: the question keys it answers (the question it was pinned for and its
    article's), when it was pinned, its position and the last week its question was seen."""

    key: str
    """What identifies the pin (the service's pin id, as text)."""
    questions: frozenset[str]
    pinned_at: datetime
    position: int
    last_seen: Week | None


@dataclass(frozen=True, slots=True)
class Pending:
    """A proposal waiting for a lead: its question and the pin it would replace (``None``: a
    free place)."""

    question: str
    replaces: str | None


@dataclass(frozen=True, slots=True)
class Decision:
    """Propose (or pin) ``question`` in place of pin ``replaces`` (``None``: in a free place),
    because of ``weeks``, in which ``tickets`` tickets asked it."""

    question: str
    weeks: tuple[Week, ...]
    tickets: int
    replaces: str | None


@dataclass(frozen=True, slots=True)
class Outcome:
    decisions: tuple[Decision, ...]
    last_seen: Mapping[str, Week | None]
    """Every pin's last-seen week after ``week`` (by pin key)."""


def streak_weeks(week: Week, streak: int) -> tuple[Week, ...]:
    """The ``streak`` weeks ending with ``week``, oldest first."""
    return tuple(week.shifted(-back) for back in range(streak - 1, -1, -1))


def seen_least_recently(pins: Sequence[Pin]) -> list[Pin]:
    """``pins`` in the order they give way: earliest last seen (never seen first), then the
    earliest pinned, then the lowest position."""
    return sorted(pins, key=lambda p: (p.last_seen or NEVER, p.pinned_at, p.position))


def decide(
    *,
    week: Week,
    seen: Mapping[str, Mapping[Week, int]],
    pins: Sequence[Pin],
    pending: Sequence[Pending],
    rejected: Mapping[str, Week],
    streak: int,
    capacity: int,
) -> Outcome:
    """What the week just ended (``week``) decides. ``seen``: per question, the tickets that
    asked it per week (weeks after ``week`` are ignored); ``rejected``: per question, the week
    its latest proposal was rejected in."""
    if streak < 1 or capacity < 0:
        raise ValueError("streak must be at least 1 and capacity at least 0")
    last_seen = {pin.key: _last_seen(pin, seen, week) for pin in pins}
    pinned = {q for pin in pins for q in pin.questions}
    waiting = {p.question for p in pending}
    weeks = streak_weeks(week, streak)
    candidates = [
        q
        for q, counts in seen.items()
        if q not in pinned
        and q not in waiting
        and all(counts.get(w, 0) > 0 for w in weeks)
        and (q not in rejected or rejected[q] < weeks[0])
    ]
    candidates.sort(key=lambda q: (-sum(seen[q][w] for w in weeks), _first_seen(seen[q], week), q))
    free = capacity - len(pins) - sum(p.replaces is None for p in pending)
    reserved = {p.replaces for p in pending}
    updated = [
        Pin(p.key, p.questions, p.pinned_at, p.position, last_seen[p.key])
        for p in pins
        if p.key not in reserved
    ]
    replaceable = [p.key for p in seen_least_recently(updated)]
    decisions = []
    for question in candidates:
        if free > 0:
            free -= 1
            target = None
        elif replaceable:
            target = replaceable.pop(0)
        else:
            break
        tickets = sum(seen[question][w] for w in weeks)
        decisions.append(Decision(question, weeks, tickets, target))
    return Outcome(tuple(decisions), last_seen)


def _last_seen(pin: Pin, seen: Mapping[str, Mapping[Week, int]], week: Week) -> Week | None:
    weeks = [w for q in pin.questions for w, n in seen.get(q, {}).items() if n > 0 and w <= week]
    if pin.last_seen is not None:
        weeks.append(pin.last_seen)
    return max(weeks, default=None)


def _first_seen(counts: Mapping[Week, int], week: Week) -> Week:
    return min(w for w, n in counts.items() if n > 0 and w <= week)

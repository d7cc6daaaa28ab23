"""Post-mortems (SUPPORT.md "T3 … Writes post-mortems"; issue 12 §4): pure rules.

- **Which tickets need one**: every P0, and every ticket whose page reached the founder and
  the CTO (:func:`reason_for`).
- **When it is due**: ``days`` business days after the ticket's resolution, a business day
  being the policy's length of business time (``n bd`` = n × 9 bh, READING §1), counted on the
  policy's business calendar (:func:`due_at`). A reopened and re-resolved ticket moves it.
- **Its timeline**, built from the ticket's own events (:func:`timeline`): opened, severity
  changes, pages (opened, sent, skipped), acknowledgements, escalations, the first response,
  both clocks' outcomes, resolutions and reopenings, in the order they happened.
- **Its life**: requested → draft (saved once) → written (published, which needs an impact and
  a cause); :func:`standing` says where it stands at ``now`` for the lists.

No Django and no clock: ``now`` is a parameter.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol


class Reason(enum.StrEnum):
    P0 = "p0"
    FOUNDER_PAGE = "founder_page"


class Status(enum.StrEnum):
    REQUESTED = "requested"
    DRAFT = "draft"
    WRITTEN = "written"


class Standing(enum.StrEnum):
    """Where a post-mortem stands at an instant, for the lists and the weekly review."""

    AWAITING_RESOLUTION = "awaiting_resolution"
    """Not written, its ticket not resolved yet: no due date."""
    DUE = "due"
    OVERDUE = "overdue"
    WRITTEN = "written"


def reason_for(*, severity: str, founder_paged: bool) -> Reason | None:
    """Why a ticket needs a post-mortem (a P0 first), or ``None``."""
    if severity == "P0":
        return Reason.P0
    if founder_paged:
        return Reason.FOUNDER_PAGE
    return None


class BusinessTime(Protocol):
    def add(self, start: datetime, duration: timedelta) -> datetime: ...


def due_at(
    resolved_at: datetime, *, days: int, business_day: timedelta, calendar: BusinessTime
) -> datetime:
    """``days`` business days of business time after ``resolved_at`` on ``calendar``."""
    if resolved_at.utcoffset() is None:
        raise ValueError("due_at: resolved_at must be an aware datetime")
    if days < 1:
        raise ValueError(f"due_at: days: expected at least 1, got {days}")
    return calendar.add(resolved_at, business_day * days)


def standing(*, status: str, due: datetime | None, now: datetime) -> Standing:
    """Written, overdue (``now`` past the due time), due, or awaiting the resolution."""
    if status == Status.WRITTEN:
        return Standing.WRITTEN
    if due is None:
        return Standing.AWAITING_RESOLUTION
    return Standing.OVERDUE if now > due else Standing.DUE


REQUIRED_TO_PUBLISH = ("impact", "cause")


def missing_to_publish(*, impact: str, cause: str) -> tuple[str, ...]:
    """The fields a post-mortem lacks to be published (written), by name."""
    given = {"impact": impact, "cause": cause}
    return tuple(name for name in REQUIRED_TO_PUBLISH if not given[name].strip())


def after_save(status: str) -> Status:
    """Saving a requested post-mortem makes it a draft; a written one stays written."""
    return Status.WRITTEN if status == Status.WRITTEN else Status.DRAFT


# ----------------------------------------------------------------------------- timeline


@dataclass(frozen=True, slots=True)
class Event:
    """One of the ticket's timeline events, as recorded (``tickets.models.EventKind`` values)."""

    kind: str
    at: datetime
    data: Mapping[str, Any] = field(default_factory=dict)
    actor: str = ""
    """Who did it, by name (empty: the system or nobody known)."""
    id: int = 0
    """The event's key where it is stored (the line made of it carries it)."""


class Entry(enum.StrEnum):
    """A line of a post-mortem's timeline."""

    OPENED = "opened"
    SEVERITY_CHANGED = "severity_changed"
    PAGE_OPENED = "page_opened"
    PAGED = "paged"
    PAGE_SKIPPED = "page_skipped"
    ACKNOWLEDGED = "acknowledged"
    ESCALATED = "escalated"
    FIRST_RESPONSE = "first_response"
    CHANNEL_RESPONSE = "channel_response"
    CLOCK_BREACHED = "clock_breached"
    RESOLVED = "resolved"
    REOPENED = "reopened"


@dataclass(frozen=True, slots=True)
class Line:
    entry: Entry
    at: datetime
    actor: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)
    event: int = 0
    """The ``id`` of the event it was made of."""


_RESOLVED = frozenset({"solved", "closed"})
_COPIED = {
    "created": Entry.OPENED,
    "severity_changed": Entry.SEVERITY_CHANGED,
    "page_opened": Entry.PAGE_OPENED,
    "page_sent": Entry.PAGED,
    "page_skipped": Entry.PAGE_SKIPPED,
    "page_acknowledged": Entry.ACKNOWLEDGED,
    "escalated": Entry.ESCALATED,
    "clock_breached": Entry.CLOCK_BREACHED,
}
_CLOCKS = {"first_response": Entry.FIRST_RESPONSE, "channel_response": Entry.CHANNEL_RESPONSE}
_KEPT = {
    Entry.OPENED: (),
    Entry.SEVERITY_CHANGED: ("old", "new"),
    Entry.PAGE_OPENED: ("reason",),
    Entry.PAGED: ("target", "agent", "transport"),
    Entry.PAGE_SKIPPED: ("target",),
    Entry.ACKNOWLEDGED: ("via",),
    Entry.ESCALATED: ("old", "new", "reason"),
    Entry.FIRST_RESPONSE: ("met",),
    Entry.CHANNEL_RESPONSE: ("met",),
    Entry.CLOCK_BREACHED: ("clock",),
    Entry.RESOLVED: ("new",),
    Entry.REOPENED: ("new",),
}


def entry_of(event: Event) -> Entry | None:
    """The post-mortem line an event makes, or ``None`` for events it leaves out (notes,
    replies, assignments, CCs…)."""
    if event.kind in _COPIED:
        return _COPIED[event.kind]
    if event.kind == "clock_fulfilled":
        return _CLOCKS.get(str(event.data.get("clock", "")))
    if event.kind == "status_changed":
        old, new = event.data.get("old"), event.data.get("new")
        if new in _RESOLVED and old not in _RESOLVED:
            return Entry.RESOLVED
        if old in _RESOLVED and new not in _RESOLVED:
            return Entry.REOPENED
    return None


def timeline(events: Iterable[Event]) -> list[Line]:
    """The post-mortem's timeline: one line per event that tells the incident's story, in
    the events' order (by time; events at the same instant keep the order given)."""
    lines = []
    for event in sorted(events, key=lambda e: e.at):
        entry = entry_of(event)
        if entry is not None:
            kept = {k: event.data[k] for k in _KEPT[entry] if k in event.data}
            lines.append(Line(entry, event.at, event.actor, kept, event.id))
    return lines

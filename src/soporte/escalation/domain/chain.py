"""A page's escalation chain and what is due next (SUPPORT.md "On-call rotation", READING.md §4-5).

The chain is snapshotted onto the page when it opens: notify the primary at once; if the page
is not acknowledged ``ack_timeout`` after it opened, notify the secondary; for a P0 still
unresolved ``founder_cto_after`` after it opened, notify the founder and the CTO. The last step
fires on *unresolved*, not on *unacknowledged*: an acknowledgement does not stop it.

``next_steps(chain, state, now)`` says which steps fire now, which will never fire (the event
that stops them happened), and when to look again. Steps fire at most once: ``state.done``
holds the numbers of those already fired (or skipped because nobody held the role). A step due
while the page is resolved never fires, and a step whose stopping event happened at or before
its due time never fires. A check that runs late (the worker was down) fires the steps that
are due and not stopped by now, and never those stopped meanwhile: nobody is paged for a page
already acknowledged or resolved.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any


class Target(enum.StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"
    FOUNDER_CTO = "founder_cto"


class Unless(enum.StrEnum):
    """What, having happened by the step's due time, stops the step."""

    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


@dataclass(frozen=True, slots=True)
class Step:
    number: int
    target: Target
    after: timedelta
    """From the page's opening."""
    unless: Unless
    """Resolving stops every step; acknowledging also stops the ``ACKNOWLEDGED`` ones."""


@dataclass(frozen=True, slots=True)
class Chain:
    steps: tuple[Step, ...]

    def as_json(self) -> list[dict[str, Any]]:
        return [
            {
                "number": s.number,
                "target": s.target.value,
                "after_s": s.after.total_seconds(),
                "unless": s.unless.value,
            }
            for s in self.steps
        ]

    @classmethod
    def from_json(cls, data: list[Mapping[str, Any]]) -> Chain:
        return cls(
            tuple(
                Step(
                    number=int(d["number"]),
                    target=Target(d["target"]),
                    after=timedelta(seconds=float(d["after_s"])),
                    unless=Unless(d["unless"]),
                )
                for d in data
            )
        )


def chain_for(*, severity: str, ack_timeout: timedelta, founder_cto_after: timedelta) -> Chain:
    """The chain of a page on a ticket of ``severity`` (the founder/CTO step only for a P0)."""
    if ack_timeout < timedelta(0) or founder_cto_after < timedelta(0):
        raise ValueError("chain_for: the delays must not be negative")
    steps = [
        Step(0, Target.PRIMARY, timedelta(0), Unless.RESOLVED),
        Step(1, Target.SECONDARY, ack_timeout, Unless.ACKNOWLEDGED),
    ]
    if severity == "P0":
        steps.append(Step(2, Target.FOUNDER_CTO, founder_cto_after, Unless.RESOLVED))
    return Chain(tuple(steps))


@dataclass(frozen=True, slots=True)
class PageState:
    opened_at: datetime
    acknowledged_at: datetime | None = None
    resolved_at: datetime | None = None
    done: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Plan:
    fire: tuple[Step, ...]
    """Due now and not stopped: fire them (in order)."""
    never: tuple[Step, ...]
    """Not done and stopped for good: cancel their timers."""
    wake_at: datetime | None
    """The due time of the next step still pending, if any."""


def next_steps(chain: Chain, state: PageState, now: datetime) -> Plan:
    """What to do about ``chain`` at ``now``; see the module docstring."""
    for name, moment in (
        ("opened_at", state.opened_at),
        ("acknowledged_at", state.acknowledged_at),
        ("resolved_at", state.resolved_at),
        ("now", now),
    ):
        if moment is not None and moment.utcoffset() is None:
            raise ValueError(f"next_steps: {name} must be an aware datetime")
    fire: list[Step] = []
    never: list[Step] = []
    pending: list[datetime] = []
    for step in chain.steps:
        if step.number in state.done:
            continue
        due = state.opened_at + step.after
        stopped_at = _stopped_at(step, state)
        if stopped_at is not None and (stopped_at <= due or stopped_at <= now):
            never.append(step)  # stopped in time, or stopped by now: a late check pages no one
        elif due <= now:
            fire.append(step)
        else:
            pending.append(due)
    return Plan(tuple(fire), tuple(never), min(pending) if pending else None)


def _stopped_at(step: Step, state: PageState) -> datetime | None:
    moments = [state.resolved_at]
    if step.unless is Unless.ACKNOWLEDGED:
        moments.append(state.acknowledged_at)
    known = [m for m in moments if m is not None]
    return min(known) if known else None

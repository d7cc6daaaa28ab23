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

A step whose target nobody holds (``vacant``, as the caller finds the rotation at ``now``) is
skipped at once, never waiting out its delay, and the caller reports the gap (READING §5, §9). A
step that waits for an acknowledgement (the secondary's) comes due at once when the step before
it was skipped: there was nobody to acknowledge. The founder/CTO step keeps its time: it fires
on *unresolved*, whoever was on call.

``replan(chain, severity=...)`` follows a severity change while the page is open (READING §9):
raised to P0, the chain gains the founder/CTO step at ``founder_cto_after`` from the *ticket's*
opening (at once, if that is past); lowered from P0 before that step fired, it loses it.
Everything else stays as snapshotted.
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


def replan(
    chain: Chain,
    *,
    severity: str,
    page_opened_at: datetime,
    ticket_opened_at: datetime,
    founder_cto_after: timedelta,
    done: frozenset[int],
) -> Chain:
    """``chain`` after the ticket's severity became ``severity``; see the module docstring."""
    founder = [s for s in chain.steps if s.target is Target.FOUNDER_CTO]
    if severity == "P0" and not founder:
        after = max(ticket_opened_at + founder_cto_after - page_opened_at, timedelta(0))
        number = max((s.number for s in chain.steps), default=-1) + 1
        return Chain((*chain.steps, Step(number, Target.FOUNDER_CTO, after, Unless.RESOLVED)))
    if severity != "P0" and founder and not {s.number for s in founder} & done:
        return Chain(tuple(s for s in chain.steps if s.target is not Target.FOUNDER_CTO))
    return chain


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
    skip: tuple[Step, ...]
    """Not done, not stopped, and nobody holds their target: skipped now, the gap reported."""
    wake_at: datetime | None
    """The due time of the next step still pending, if any."""


def next_steps(
    chain: Chain, state: PageState, now: datetime, vacant: frozenset[Target] = frozenset()
) -> Plan:
    """What to do about ``chain`` at ``now`` when nobody holds the ``vacant`` targets; see the
    module docstring."""
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
    skip: list[Step] = []
    pending: list[datetime] = []
    after_gap = False
    for step in chain.steps:
        follows_gap, after_gap = after_gap, False
        if step.number in state.done:
            continue
        due = state.opened_at + step.after
        if follows_gap and step.unless is Unless.ACKNOWLEDGED:
            due = min(due, now)  # nobody was there to acknowledge the step before
        stopped_at = _stopped_at(step, state)
        if stopped_at is not None and (stopped_at <= due or stopped_at <= now):
            never.append(step)  # stopped in time, or stopped by now: a late check pages no one
        elif step.target in vacant:
            skip.append(step)
            after_gap = True
        elif due <= now:
            fire.append(step)
        else:
            pending.append(due)
    return Plan(tuple(fire), tuple(never), tuple(skip), min(pending) if pending else None)


def _stopped_at(step: Step, state: PageState) -> datetime | None:
    moments = [state.resolved_at]
    if step.unless is Unless.ACKNOWLEDGED:
        moments.append(state.acknowledged_at)
    known = [m for m in moments if m is not None]
    return min(known) if known else None

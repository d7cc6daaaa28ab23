"""Reading rotations: who is on call at an instant, and the shifts over a range.

The rows are loaded here and the answer comes from the pure rotation math in
:mod:`soporte.oncall.domain`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from soporte.accounts.models import Agent
from soporte.accounts.services import secret_digest
from soporte.oncall import domain
from soporte.oncall.models import CalendarFeed, Layer, Override, Rotation


@dataclass(frozen=True, slots=True)
class OnCallAgents:
    """``who`` with agents: ``None`` where nobody holds the role."""

    rotation: Rotation
    primary: Agent | None
    secondary: Agent | None
    shift_start: datetime
    shift_end: datetime


@dataclass(frozen=True, slots=True)
class AgentAssignment:
    rotation: Rotation
    agent: Agent
    assignment: domain.Assignment


def as_domain(rotation: Rotation) -> domain.Rotation:
    """The rotation's rows as the pure value the rotation math takes."""
    places = list(rotation.members.order_by("layer", "position").values_list("layer", "agent_id"))
    return domain.Rotation(
        members=tuple(agent for layer, agent in places if layer == Layer.PRIMARY),
        zone=rotation.zone,
        handoff_weekday=rotation.handoff_weekday,
        handoff_time=rotation.handoff_time,
        start=rotation.starts_at,
        second_layer=tuple(agent for layer, agent in places if layer == Layer.SECOND),
        weeks=rotation.weeks,
    )


def domain_overrides(rotation: Rotation, start: datetime, end: datetime) -> list[domain.Override]:
    """The rotation's overrides that overlap ``[start, end)``."""
    rows = Override.objects.filter(rotation=rotation, starts_at__lt=end, ends_at__gt=start)
    return [
        domain.Override(
            role=domain.Role(row.role),
            start=row.starts_at,
            end=row.ends_at,
            covering=row.covering_id,
            created_at=row.created_at,
            covered=row.covered_id,
            id=row.pk,
        )
        for row in rows
    ]


def who_is_on_call(*, rotation: Rotation, at: datetime) -> OnCallAgents:
    """The primary and secondary of ``rotation`` at ``at``, overrides applied."""
    math = as_domain(rotation)
    # the stretch containing `at` lies within the rotation shift containing it
    margin = timedelta(days=7 * math.weeks + 1)
    now = domain.who(math, domain_overrides(rotation, at - margin, at + margin), at)
    agents = agents_by_id([now.primary, now.secondary])
    return OnCallAgents(
        rotation,
        agents.get(now.primary) if now.primary is not None else None,
        agents.get(now.secondary) if now.secondary is not None else None,
        now.shift_start,
        now.shift_end,
    )


def rotation_shifts(*, rotation: Rotation, start: datetime, end: datetime) -> list[domain.Shift]:
    """The stretches of ``rotation`` covering ``[start, end)``, overrides applied."""
    overrides = domain_overrides(rotation, start, end)
    return domain.shifts(as_domain(rotation), overrides, start, end)


def agent_assignments(*, agent: Agent, start: datetime, end: datetime) -> list[AgentAssignment]:
    """Every role ``agent`` holds in any rotation during ``[start, end)``, earliest first."""
    out = []
    for rotation in Rotation.objects.all():
        stretches = rotation_shifts(rotation=rotation, start=start, end=end)
        for role in domain.Role:
            out += [
                AgentAssignment(rotation, agent, held)
                for held in domain.assignments(stretches, role)
                if held.person == agent.pk
            ]
    out.sort(key=lambda a: (a.assignment.start, a.rotation.name, a.assignment.role.value))
    return out


def agents_by_id(ids: Iterable[int | None]) -> dict[int, Agent]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {a.pk: a for a in Agent.objects.select_related("user").filter(pk__in=wanted)}


def upcoming_overrides(*, now: datetime, limit: int = 100) -> list[Override]:
    """Overrides not over at ``now`` in every rotation, earliest first, with their rotation and
    agents selected."""
    rows = Override.objects.filter(ends_at__gt=now).select_related(
        "rotation", "covering", "covered", "created_by"
    )
    return list(rows.order_by("starts_at", "pk")[:limit])


def has_agent_feed(*, agent: Agent) -> bool:
    """Whether ``agent`` has a personal calendar address (its secret is never readable)."""
    return CalendarFeed.objects.filter(agent=agent).exists()


def feed_for_secret(secret: str) -> CalendarFeed | None:
    """The feed a secret opens, looked up by its hash (no timing oracle on the secret)."""
    return (
        CalendarFeed.objects.select_related("rotation", "agent")
        .filter(digest=secret_digest(secret))
        .first()
    )

"""Reading rotations: who is on call at an instant, and the shifts over a range.

The rows are loaded here and the answer comes from the pure rotation math in
:mod:`soporte.oncall.domain`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from soporte.accounts.models import Agent
from soporte.accounts.services import secret_digest
from soporte.oncall import domain
from soporte.oncall.models import CalendarFeed, Layer, Override, Rotation, RotationMember


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


@dataclass(frozen=True, slots=True)
class Schedule:
    """A rotation's row, the pure value the rotation math takes, and its overrides that bear
    on the range it was read for (:func:`schedules`)."""

    rotation: Rotation
    math: domain.Rotation
    overrides: list[domain.Override]

    @property
    def people(self) -> set[domain.Person]:
        """Everyone who may hold a role here: members, second layer, covering agents."""
        covering = (o.covering for o in self.overrides)
        return {*self.math.members, *self.math.second_layer, *covering}

    def who(self, at: datetime) -> domain.OnCallNow:
        return domain.who(self.math, self.overrides, at)

    def shifts(self, start: datetime, end: datetime) -> list[domain.Shift]:
        return domain.shifts(self.math, self.overrides, start, end)


def schedules(
    *, start: datetime, end: datetime, rotations: Sequence[Rotation] | None = None
) -> list[Schedule]:
    """``rotations`` (default: every one, by name) with their members and the overrides that
    bear on ``[start, end]``: those overlapping the rotation shifts containing it. One query a
    table, however many rotations."""
    rows = list(Rotation.objects.order_by("name") if rotations is None else rotations)
    places: dict[int, list[tuple[int, int]]] = defaultdict(list)
    members = RotationMember.objects.filter(rotation__in=rows).order_by("layer", "position")
    for rotation_id, layer, agent_id in members.values_list("rotation_id", "layer", "agent_id"):
        places[rotation_id].append((layer, agent_id))
    maths = [_as_domain(row, places[row.pk]) for row in rows]
    # the rotation shift containing an instant lies within a shift's length (and a day) of it
    margin = timedelta(days=7 * max((math.weeks for math in maths), default=1) + 1)
    overrides: dict[int, list[domain.Override]] = defaultdict(list)
    bearing = Override.objects.filter(
        rotation__in=rows, starts_at__lt=end + margin, ends_at__gt=start - margin
    )
    for row in bearing:
        overrides[row.rotation_id].append(_as_domain_override(row))
    return [Schedule(row, math, overrides[row.pk]) for row, math in zip(rows, maths, strict=True)]


def paging_rotation() -> Rotation | None:
    """The rotation that takes pages (the one marked ``takes_pages``), or None."""
    return Rotation.objects.filter(takes_pages=True).first()


def who_is_on_call(*, rotation: Rotation, at: datetime) -> OnCallAgents:
    """The primary and secondary of ``rotation`` at ``at``, overrides applied."""
    [schedule] = schedules(start=at, end=at, rotations=[rotation])
    now = schedule.who(at)
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
    [schedule] = schedules(start=start, end=end, rotations=[rotation])
    return schedule.shifts(start, end)


def without_secondary(*, rotation: Rotation, start: datetime, end: datetime) -> list[domain.Shift]:
    """The stretches of ``[start, end)`` with a primary and nobody else to be secondary."""
    stretches = rotation_shifts(rotation=rotation, start=start, end=end)
    return [s for s in stretches if s.primary is not None and s.secondary is None]


def agent_assignments(*, agent: Agent, start: datetime, end: datetime) -> list[AgentAssignment]:
    """Every role ``agent`` holds in any rotation during ``[start, end)``, earliest first."""
    out = []
    for schedule in schedules(start=start, end=end):
        stretches = schedule.shifts(start, end)
        for role in domain.Role:
            out += [
                AgentAssignment(schedule.rotation, agent, held)
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


def _as_domain(rotation: Rotation, places: Sequence[tuple[int, int]]) -> domain.Rotation:
    """The rotation's row and its ``(layer, agent)`` places, in order, as the pure value."""
    return domain.Rotation(
        members=tuple(agent for layer, agent in places if layer == Layer.PRIMARY),
        zone=rotation.zone,
        handoff_weekday=rotation.handoff_weekday,
        handoff_time=rotation.handoff_time,
        start=rotation.starts_at,
        second_layer=tuple(agent for layer, agent in places if layer == Layer.SECOND),
        weeks=rotation.weeks,
    )


def _as_domain_override(row: Override) -> domain.Override:
    return domain.Override(
        role=domain.Role(row.role),
        start=row.starts_at,
        end=row.ends_at,
        covering=row.covering_id,
        created_at=row.created_at,
        covered=row.covered_id,
        id=row.pk,
    )


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

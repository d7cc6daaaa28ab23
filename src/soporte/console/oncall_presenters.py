"""What the on-call page shows: per rotation, who is on call now and the stretches of this week
and the next (from the pure ``shifts`` over the rows the oncall selectors load), and the
upcoming overrides. Times are words in the viewer's zone."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from soporte.accounts.models import Agent
from soporte.dates import short_when
from soporte.oncall import domain, selectors
from soporte.oncall.models import OnCallRole, Override, Rotation

WEEK = timedelta(days=7)


def moment(value: datetime, zone: tzinfo) -> str:
    """How a moment reads on the page, in the viewer's zone (``soporte.dates``)."""
    return short_when(value.astimezone(zone))


@dataclass(frozen=True, slots=True)
class StretchRow:
    """One stretch with constant holders; ``*_override``: an override puts that holder there."""

    start: str
    end: str
    primary: str
    secondary: str
    primary_override: bool
    secondary_override: bool
    current: bool


@dataclass(frozen=True, slots=True)
class WeekView:
    title: str
    rows: list[StretchRow]


@dataclass(frozen=True, slots=True)
class RotationView:
    rotation: Rotation
    primary: str
    secondary: str
    until: str
    weeks: list[WeekView]


@dataclass(frozen=True, slots=True)
class OverrideRow:
    override: Override
    rotation: str
    role: str
    covering: str
    covered: str
    start: str
    end: str
    reason: str
    created_by: str
    in_force: bool

    @property
    def deletable(self) -> bool:
        return not self.in_force


def rotation_views(now: datetime, zone: tzinfo) -> list[RotationView]:
    """Every rotation, read at once: who is on call at ``now``, and its weeks from the last
    weekly handoff (within a week before ``now``) to two after it."""
    loaded = selectors.schedules(start=now - WEEK, end=now + 2 * WEEK)
    agents = selectors.agents_by_id(person for schedule in loaded for person in schedule.people)
    names = {pk: agent.name for pk, agent in agents.items()}
    return [rotation_view(schedule, names, now, zone) for schedule in loaded]


def rotation_view(
    schedule: selectors.Schedule, names: dict[int, str], now: datetime, zone: tzinfo
) -> RotationView:
    """Who is on call at ``now``, and the weeks from the last weekly handoff to two after it."""
    math = schedule.math
    # weeks, whatever the shift length: from the last weekly handoff at or before now
    this_week = domain.last_handoff(math, now)
    local = this_week.astimezone(ZoneInfo(math.zone)).date()
    bounds = [this_week] + [
        domain.handoff_instant(math, local + timedelta(days=7 * n)) for n in (1, 2)
    ]
    # each week on its own: a shift longer than a week is cut at the week's end
    by_week = [schedule.shifts(lo, hi) for lo, hi in itertools.pairwise(bounds)]
    on_call = schedule.who(now)
    nobody = _("nobody")

    def name(person: domain.Person | None) -> str:
        return nobody if person is None else names.get(person, "?")

    weeks = []
    titles = (_("This week"), _("Next week"))
    for title, (lo, hi), stretches in zip(titles, itertools.pairwise(bounds), by_week, strict=True):
        rows = [
            StretchRow(
                start=moment(s.start, zone),
                end=moment(s.end, zone),
                primary=name(s.primary),
                secondary=name(s.secondary),
                primary_override=_overridden(schedule.overrides, domain.Role.PRIMARY, s),
                secondary_override=_overridden(schedule.overrides, domain.Role.SECONDARY, s),
                current=s.start <= now < s.end,
            )
            for s in stretches
        ]
        weeks.append(WeekView(f"{title} · {moment(lo, zone)} – {moment(hi, zone)}", rows))
    return RotationView(
        rotation=schedule.rotation,
        primary=name(on_call.primary),
        secondary=name(on_call.secondary),
        until=moment(on_call.shift_end, zone),
        weeks=weeks,
    )


def override_rows(overrides: list[Override], now: datetime, zone: tzinfo) -> list[OverrideRow]:
    """``overrides`` with rotation and agents selected (``selectors.upcoming_overrides``)."""
    roles = {value: str(label) for value, label in OnCallRole.choices}
    return [
        OverrideRow(
            override=o,
            rotation=o.rotation.name,
            role=roles.get(o.role, o.role),
            covering=o.covering.name,
            covered=o.covered.name if o.covered else "",
            start=moment(o.starts_at, zone),
            end=moment(o.ends_at, zone),
            reason=o.reason,
            created_by=o.created_by.name if o.created_by else "",
            in_force=o.starts_at <= now,
        )
        for o in overrides
    ]


def _overridden(overrides: list[domain.Override], role: domain.Role, s: domain.Shift) -> bool:
    """Whether an override of ``role`` overlaps the stretch (overrides cut stretches at their
    edges, so one that overlaps it holds the role over all of it, or a later one does)."""
    return any(o.role is role and o.start < s.end and o.end > s.start for o in overrides)


def first_shift_soon(agent: Agent, now: datetime) -> bool:
    """Whether the agent's first shift on call (any role, any rotation, overrides counted)
    is under way or starts within the coming week: SUPPORT.md's "a new on-call reads the
    RUNBOOK on their first day", so the On call page asks them to read it first."""
    first_start = Rotation.objects.order_by("starts_at").values_list("starts_at", flat=True).first()
    if first_start is None:
        return False
    held = selectors.agent_assignments(agent=agent, start=first_start, end=now + WEEK)
    if not held:
        return False
    first = held[0].assignment
    return first.end > now and first.start < now + WEEK

"""Changing rotations: create one, set its members, add overrides and swaps, renew feeds."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import IntegrityError, transaction
from django.utils import timezone

from soporte.accounts.models import Agent
from soporte.accounts.services import secret_digest
from soporte.oncall import domain
from soporte.oncall.models import CalendarFeed, Layer, OnCallRole, Override, Rotation
from soporte.oncall.models import RotationMember as Member
from soporte.policy import Policy, default_policy


class OnCallError(ValueError):
    """A change the desk refuses; the message names the field at fault."""


def create_rotation(
    *,
    name: str,
    members: Sequence[Agent] = (),
    second_layer: Sequence[Agent] = (),
    zone: str | None = None,
    handoff_weekday: int | None = None,
    handoff_time: time | None = None,
    starts_at: datetime | None = None,
    now: datetime | None = None,
    policy: Policy | None = None,
) -> Rotation:
    """A rotation; zone and handoff default to the policy's, the start to the last handoff at
    or before ``now`` (so its first member is on call at once)."""
    oncall = (policy or default_policy()).oncall
    name = name.strip()
    if not name:
        raise OnCallError("name: must not be blank")
    zone = zone or oncall.zone
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise OnCallError(f"zone: unknown time zone {zone!r}") from None
    weekday = oncall.handoff_weekday if handoff_weekday is None else handoff_weekday
    if not 0 <= weekday <= 6:
        raise OnCallError(f"handoff_weekday: expected 0 (Monday) to 6, got {weekday}")
    clock = oncall.handoff_time if handoff_time is None else handoff_time
    try:
        weeks = domain.shift_weeks(oncall.shift)
    except ValueError as exc:
        raise OnCallError(str(exc)) from None
    if starts_at is None:
        moment = now or timezone.now()
        starts_at = domain.last_handoff(domain.Rotation((), zone, weekday, clock, moment), moment)
    _require_aware(starts_at, "starts_at")
    try:
        with transaction.atomic():
            rotation = Rotation.objects.create(
                name=name,
                zone=zone,
                handoff_weekday=weekday,
                handoff_time=clock,
                starts_at=starts_at,
                weeks=weeks,
            )
            _place(rotation, members, Layer.PRIMARY)
            _place(rotation, second_layer, Layer.SECOND)
    except IntegrityError:
        if Rotation.objects.filter(name=name).exists():
            raise OnCallError(f"name: a rotation named {name!r} exists already") from None
        raise
    return rotation


def set_members(*, rotation: Rotation, agents: Sequence[Agent], layer: int = Layer.PRIMARY) -> None:
    """Replace the rotation's members (or its second layer) with ``agents``, in order."""
    if layer not in Layer.values:
        raise OnCallError(f"layer: expected 1 (rotation) or 2 (second layer), got {layer}")
    with transaction.atomic():
        Member.objects.filter(rotation=rotation, layer=layer).delete()
        _place(rotation, agents, layer)


def add_override(
    *,
    rotation: Rotation,
    role: str,
    starts_at: datetime,
    ends_at: datetime,
    covering: Agent,
    covered: Agent | None = None,
    reason: str = "",
    created_by: Agent | None = None,
    now: datetime | None = None,
) -> Override:
    """``covering`` holds ``role`` during ``[starts_at, ends_at)``, whoever the rotation names;
    the latest override created wins where several apply."""
    if role not in OnCallRole.values:
        raise OnCallError(f"role: expected one of {', '.join(OnCallRole.values)}, got {role!r}")
    _require_aware(starts_at, "starts_at")
    _require_aware(ends_at, "ends_at")
    if ends_at <= starts_at:
        raise OnCallError("ends_at: must be after starts_at")
    for field, agent in (("covering", covering), ("covered", covered)):
        if agent is not None and (not isinstance(agent, Agent) or agent.pk is None):
            raise OnCallError(f"{field}: expected a saved agent, got {agent!r}")
    if covered is not None and covered.pk == covering.pk:
        raise OnCallError("covered: an agent does not cover for themselves")
    reason = reason.strip()
    if len(reason) > 300:
        raise OnCallError("reason: longer than 300 characters")
    return Override.objects.create(
        rotation=rotation,
        role=role,
        starts_at=starts_at,
        ends_at=ends_at,
        covering=covering,
        covered=covered,
        reason=reason,
        created_by=created_by,
        created_at=now or timezone.now(),
    )


def delete_override(*, override: Override, now: datetime | None = None) -> None:
    """Withdraw an override that has not started yet; one that has started is part of who was
    on call, and stays."""
    if override.starts_at <= (now or timezone.now()):
        raise OnCallError("override: has started already; only an upcoming one can be deleted")
    override.delete()


@dataclass(frozen=True, slots=True)
class Span:
    starts_at: datetime
    ends_at: datetime


def swap(
    *,
    rotation: Rotation,
    role: str,
    first: Agent,
    first_span: Span,
    second: Agent,
    second_span: Span,
    reason: str = "",
    created_by: Agent | None = None,
    now: datetime | None = None,
) -> tuple[Override, Override]:
    """``first`` gives ``first_span`` to ``second`` and takes ``second_span`` in return: two
    overrides, written together or not at all."""
    trades = ((first_span, second, first), (second_span, first, second))
    with transaction.atomic():
        given, taken = (
            add_override(
                rotation=rotation,
                role=role,
                starts_at=span.starts_at,
                ends_at=span.ends_at,
                covering=covering,
                covered=covered,
                reason=reason,
                created_by=created_by,
                now=now,
            )
            for span, covering, covered in trades
        )
    return given, taken


def regenerate_feed_secret(
    *, rotation: Rotation | None = None, agent: Agent | None = None
) -> tuple[CalendarFeed, str]:
    """A new secret address for the rotation's or the agent's calendar (the old one stops
    working). The secret is returned once; only its hash is stored."""
    if (rotation is None) == (agent is None):
        raise OnCallError("give either a rotation or an agent")
    secret = secrets.token_urlsafe(32)
    feed, _ = CalendarFeed.objects.update_or_create(
        rotation=rotation,
        agent=agent,
        defaults={"digest": secret_digest(secret), "created_at": timezone.now()},
    )
    return feed, secret


def _place(rotation: Rotation, agents: Sequence[Agent], layer: int) -> None:
    for agent in agents:
        if not isinstance(agent, Agent) or agent.pk is None:
            raise OnCallError(f"members: expected saved agents, got {agent!r}")
    Member.objects.bulk_create(
        Member(rotation=rotation, agent=agent, layer=layer, position=position)
        for position, agent in enumerate(agents)
    )


def _require_aware(moment: datetime, field: str) -> None:
    if not isinstance(moment, datetime) or timezone.is_naive(moment):
        raise OnCallError(f"{field}: expected an aware datetime (with its UTC offset)")

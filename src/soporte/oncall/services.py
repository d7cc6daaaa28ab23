"""Changing rotations: create one, set its members, add overrides and swaps, renew feeds."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, time

from django.db import IntegrityError, transaction

from soporte.accounts.models import Agent
from soporte.accounts.services import secret_digest
from soporte.oncall import domain
from soporte.oncall.models import (
    CalendarFeed,
    Layer,
    OnCallRole,
    Override,
    Rotation,
    max_override,
)
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
    now: datetime,
    policy: Policy | None = None,
) -> Rotation:
    """A rotation; zone and handoff default to the policy's, the start to the last handoff at
    or before ``now`` (so its first member is on call at once). The first rotation takes pages
    (a later one only through :func:`set_paging_rotation`)."""
    oncall = (policy or default_policy()).oncall
    name = name.strip()
    if not name:
        raise OnCallError("name: must not be blank")
    with _domain_checks():
        shape = domain.Rotation(
            members=(),
            zone=zone or oncall.zone,
            handoff_weekday=oncall.handoff_weekday if handoff_weekday is None else handoff_weekday,
            handoff_time=oncall.handoff_time if handoff_time is None else handoff_time,
            start=now if starts_at is None else starts_at,
            weeks=domain.shift_weeks(oncall.shift),
        )
    if starts_at is None:
        starts_at = domain.last_handoff(shape, now)
    try:
        with transaction.atomic():
            rotation = Rotation.objects.create(
                name=name,
                zone=shape.zone,
                handoff_weekday=shape.handoff_weekday,
                handoff_time=shape.handoff_time,
                starts_at=starts_at,
                weeks=shape.weeks,
            )
            take_pages_if_first(rotation)
            _place(rotation, members, Layer.PRIMARY)
            _place(rotation, second_layer, Layer.SECOND)
    except IntegrityError:
        if Rotation.objects.filter(name=name).exists():
            raise OnCallError(f"name: a rotation named {name!r} exists already") from None
        raise
    return rotation


def take_pages_if_first(rotation: Rotation) -> None:
    """The first rotation there is takes pages (a later one only through
    :func:`set_paging_rotation`)."""
    if not Rotation.objects.exclude(pk=rotation.pk).exists():
        set_paging_rotation(rotation=rotation)


def set_paging_rotation(*, rotation: Rotation) -> None:
    """``rotation`` takes pages, and no other does (READING §5: exactly one rotation is paged)."""
    if not isinstance(rotation, Rotation) or rotation.pk is None:
        raise OnCallError(f"rotation: expected a saved rotation, got {rotation!r}")
    with transaction.atomic():
        Rotation.objects.filter(takes_pages=True).exclude(pk=rotation.pk).update(takes_pages=False)
        Rotation.objects.filter(pk=rotation.pk).update(takes_pages=True)
    rotation.takes_pages = True


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
    now: datetime,
) -> Override:
    """``covering`` holds ``role`` during ``[starts_at, ends_at)``, whoever the rotation names;
    the latest override created wins where several apply."""
    if role not in OnCallRole.values:
        raise OnCallError(f"role: expected one of {', '.join(OnCallRole.values)}, got {role!r}")
    for field, agent in (("covering", covering), ("covered", covered)):
        if agent is not None and (not isinstance(agent, Agent) or agent.pk is None):
            raise OnCallError(f"{field}: expected a saved agent, got {agent!r}")
    if covered is not None and covered.pk == covering.pk:
        raise OnCallError("covered: an agent does not cover for themselves")
    reason = reason.strip()
    if len(reason) > 300:
        raise OnCallError("reason: longer than 300 characters")
    with _domain_checks():
        domain.Override(domain.Role(role), starts_at, ends_at, covering.pk, now)
    if ends_at - starts_at > max_override():
        raise OnCallError(f"ends_at: an override lasts at most {max_override().days} days")
    return Override.objects.create(
        rotation=rotation,
        role=role,
        starts_at=starts_at,
        ends_at=ends_at,
        covering=covering,
        covered=covered,
        reason=reason,
        created_by=created_by,
        created_at=now,
    )


def delete_override(*, override: Override, now: datetime) -> None:
    """Withdraw an override that has not started yet; one that has started is part of who was
    on call, and stays."""
    if override.starts_at <= now:
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
    now: datetime,
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
    *, rotation: Rotation | None = None, agent: Agent | None = None, now: datetime
) -> tuple[CalendarFeed, str]:
    """A new secret address for the rotation's or the agent's calendar (the old one stops
    working). The secret is returned once; only its hash is stored."""
    if (rotation is None) == (agent is None):
        raise OnCallError("give either a rotation or an agent")
    secret = secrets.token_urlsafe(32)
    feed, _ = CalendarFeed.objects.update_or_create(
        rotation=rotation,
        agent=agent,
        defaults={"digest": secret_digest(secret), "created_at": now},
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


_DOMAIN_NAMES = {"start": "starts_at", "end": "ends_at"}
"""What the rotation math calls the fields these functions take as ``starts_at``/``ends_at``."""


@contextmanager
def _domain_checks() -> Iterator[None]:
    """The rotation math checks every value it is given (:mod:`soporte.oncall.domain`): its
    ``ValueError`` becomes an ``OnCallError`` naming the fields as these functions do."""
    try:
        yield
    except ValueError as exc:
        named = re.sub(r"\b(start|end)\b", lambda word: _DOMAIN_NAMES[word[0]], str(exc))
        raise OnCallError(named) from None

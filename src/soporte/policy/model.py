"""The support policy as typed, immutable values (what the loader returns)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time, timedelta
from functools import cached_property
from typing import TypeVar

from soporte.bizclock import BusinessCalendar, CalendarSpec, Clock, Names, WallClock, display_name
from soporte.policy.durations import Basis, Target

_T = TypeVar("_T")

PAGE_TRANSPORTS = ("pagerduty", "whatsapp", "sms", "voice", "slack", "email")
"""The transports a page may go through, in the default order."""


@dataclass(frozen=True, slots=True)
class Named:
    """A policy entry with a code (``pro``, ``P0``, ``T1``) and a name per language."""

    code: str
    names: Names = field(compare=False)

    def name(self, lang: str) -> str:
        return display_name(self.names, lang)


@dataclass(frozen=True, slots=True)
class Plan(Named):
    csm: bool = False


@dataclass(frozen=True, slots=True)
class Channel(Named):
    """A channel, the plans entitled to it, and its own response target (``None``: the SLA grid)."""

    plans: frozenset[str] = frozenset()
    target: Target | None = None
    severity: str | None = None
    """Severity every ticket from this channel opens with (the emergency line opens a P0)."""
    tier: str | None = None
    """Tier tickets from this channel start at, when not the first tier."""
    address: str = ""
    """Where customers reach the channel, when it is told to them (the WhatsApp number the
    emergency line offers to callers whose plan lacks it)."""
    reopen_days: int | None = None
    """A conversation channel (WhatsApp): a message this many days or less after its ticket
    was solved reopens it; a later one opens a new ticket linked to it."""


@dataclass(frozen=True, slots=True)
class Escalation:
    first_tier: str
    t1_exchange_limit: int
    t3_pages: frozenset[str]
    p0_pages_at_once: bool
    founder_cto_after: Target
    sla_warning_at: float


@dataclass(frozen=True, slots=True)
class OnCall:
    zone: str
    handoff_weekday: int
    handoff_time: time
    shift: timedelta
    ack_timeout: Target
    page_transports: tuple[str, ...] = PAGE_TRANSPORTS
    """The order a page tries its transports in (each skipped when not configured or when the
    person paged lacks its contact method; a failed one falls back to the next)."""
    runbook_url: str = ""
    """The RUNBOOK (SUPPORT.md): linked from the On call page and from every page a person
    receives; empty: no link."""


@dataclass(frozen=True, slots=True)
class Csat:
    answers: tuple[str, ...]
    """Best first: every answer but the first goes to the weekly review."""
    review_zone: str
    change_days: int = 14
    """A customer may change their answer (or add a comment) this many days after the survey."""
    gap_hours: int = 24
    """No second survey to the same contact within this many hours."""


@dataclass(frozen=True, slots=True)
class PostMortems:
    due_business_days: int = 5
    """A post-mortem is due this many business days (``n bd`` = n business days' length of
    business time, READING §1) after its ticket's resolution."""


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    locales: tuple[str, ...]
    default_locale: str
    pinned_faqs: int
    faq_streak_weeks: int
    faq_auto_pin: bool


@dataclass(frozen=True)
class Policy:
    """The whole support policy. ``version`` is a stable hash of the file's content."""

    name: str
    version: str
    source: str
    calendar_spec: CalendarSpec
    business_day: timedelta
    plans: dict[str, Plan]
    severities: dict[str, Named]
    tiers: dict[str, Named]
    channels: dict[str, Channel]
    sla: dict[tuple[str, str], Target]
    """First-response target per (plan, severity)."""
    escalation: Escalation
    oncall: OnCall
    csat: Csat
    kb: KnowledgeBase
    postmortem: PostMortems = PostMortems()

    @cached_property
    def calendar(self) -> BusinessCalendar:
        return BusinessCalendar(self.calendar_spec)

    @cached_property
    def wall_clock(self) -> WallClock:
        return WallClock(self.calendar.zone)

    def clock_for(self, target: Target) -> Clock:
        """The clock a target counts on: wall-clock for 24/7 targets, business time otherwise."""
        return self.wall_clock if target.basis is Basis.WALL else self.calendar

    def first_response_target(self, plan: str, severity: str) -> Target:
        return self.sla[(self.plan(plan).code, self.severity(severity).code)]

    def plan(self, code: str) -> Plan:
        return _lookup(self.plans, code, "plan")

    def severity(self, code: str) -> Named:
        return _lookup(self.severities, code, "severity")

    def channel(self, code: str) -> Channel:
        return _lookup(self.channels, code, "channel")

    def tier(self, code: str) -> Named:
        return _lookup(self.tiers, code, "tier")


class UnknownCode(ValueError):
    """A plan, severity, channel or tier the policy lacks; the message lists the valid ones."""


def _lookup(table: dict[str, _T], code: str, what: str) -> _T:
    try:
        return table[code]
    except KeyError:
        valid = ", ".join(table)
        raise UnknownCode(f"unknown {what} {code!r} (valid: {valid})") from None

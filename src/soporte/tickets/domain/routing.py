"""Where a ticket starts and where it goes next (READING.md §3-4)."""

from __future__ import annotations

from dataclasses import dataclass

from soporte.policy.model import Policy


@dataclass(frozen=True, slots=True)
class Route:
    """Where a new ticket starts, and whether opening it pages on-call."""

    severity: str
    tier: str
    entitled: bool
    pages: bool
    """Opening this ticket pages the on-call primary (a P0, at any hour, any plan)."""


def route_new_ticket(policy: Policy, *, plan: str, channel: str, severity: str) -> Route:
    """The emergency line opens a P0 at T3 for the plans entitled to it; others start at T1."""
    rule = policy.channel(channel)
    entitled = policy.plan(plan).code in rule.plans
    if entitled and rule.severity:
        severity = rule.severity
    tier = (rule.tier if entitled and rule.tier else None) or policy.escalation.first_tier
    return Route(severity, tier, entitled, pages_on_open(policy, severity))


def included_channels(policy: Policy, plan: str) -> list[str]:
    """The codes of the channels ``plan`` is entitled to, in the policy's order (what the
    sender of a message on another channel is told, READING.md §3)."""
    code = policy.plan(plan).code
    return [channel for channel, rule in policy.channels.items() if code in rule.plans]


def pages_on_open(policy: Policy, severity: str) -> bool:
    return policy.escalation.p0_pages_at_once and severity == "P0"


def next_tier(policy: Policy, tier: str) -> str | None:
    """The tier above ``tier``, or None at the top."""
    tiers = list(policy.tiers)
    index = tiers.index(policy.tier(tier).code)
    return tiers[index + 1] if index + 1 < len(tiers) else None


def pages_on_t3(policy: Policy, severity: str) -> bool:
    """A code or infrastructure bug escalated to T3 pages on-call for these severities."""
    return severity in policy.escalation.t3_pages

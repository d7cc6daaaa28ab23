"""Rules for tickets loaded in bulk (imports, benchmarks) rather than filed one at a time."""

from __future__ import annotations

from datetime import datetime, timedelta

from soporte.policy.model import Policy


def page_reach(policy: Policy) -> timedelta:
    """How long after a page opens its chain still pages someone: the longest step's delay
    (the founder and CTO, 30 minutes by default)."""
    return max(policy.oncall.ack_timeout.amount, policy.escalation.founder_cto_after.amount)


def pages_on_import(policy: Policy, *, received_at: datetime, now: datetime) -> bool:
    """An imported ticket that would page (a P0) requests its page only when it was received
    within the chain's reach of ``now`` (READING.md §23); an older one pages nobody."""
    return received_at >= now - page_reach(policy)

"""Pure SLA rules: clocks, their targets, breach and the facts that explain a due time."""

from soporte.sla.domain.clocks import (
    ClockKind,
    ClockState,
    ClockStatus,
    SlaClock,
    TicketClocks,
    breach_after,
    channel_response_clock,
    elapsed,
    first_response_clock,
    fulfil,
    is_entitled,
    open_clocks,
    recompute,
    start_clock,
    state,
)
from soporte.sla.domain.explain import ClockFacts, clock_facts

__all__ = [
    "ClockFacts",
    "ClockKind",
    "ClockState",
    "ClockStatus",
    "SlaClock",
    "TicketClocks",
    "breach_after",
    "channel_response_clock",
    "clock_facts",
    "elapsed",
    "first_response_clock",
    "fulfil",
    "is_entitled",
    "open_clocks",
    "recompute",
    "start_clock",
    "state",
]

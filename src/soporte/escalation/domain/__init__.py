"""The escalation chain of a page and its next steps: pure (no Django, ``now`` a parameter)."""

from soporte.escalation.domain.chain import (
    Chain,
    PageState,
    Plan,
    Step,
    Target,
    Unless,
    chain_for,
    next_steps,
    replan,
)

__all__ = [
    "Chain",
    "PageState",
    "Plan",
    "Step",
    "Target",
    "Unless",
    "chain_for",
    "next_steps",
    "replan",
]

"""Template helpers: business durations and SLA clock colours."""

from __future__ import annotations

from datetime import timedelta

from django import template

from soporte.sla.explain import format_duration

register = template.Library()


@register.filter
def duration(value: timedelta | None) -> str:
    """``2 h 40 min``; ``-20 min`` once overdue; empty for nothing."""
    return "" if value is None else format_duration(value)


@register.filter
def clock_class(status: object) -> str:
    """CSS class for a clock status: on-track / at-risk / breached / met / missed."""
    value = getattr(status, "value", status) or "none"
    return f"clock-{str(value).replace('_', '-')}"

"""Template helpers: business durations, moments in words and SLA clock colours."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.conf import settings
from django.utils import timezone

from soporte import dates
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


@register.filter
def when(value: datetime | None) -> str:
    """A stored moment on a page, in the desk's zone: ``sáb 12 dic 2026, 09:05 CST``."""
    return "" if value is None else dates.short_when(timezone.localtime(value))


@register.filter
def weekday_time(value: datetime | None) -> str:
    """A moment within the coming week, in the desk's zone: ``lun 09:00``."""
    return "" if value is None else dates.weekday_time(timezone.localtime(value))


@register.simple_tag
def languages() -> list[tuple[str, str]]:
    """The desk's languages, each named in itself ("Español", "English"): not translated, as
    ``get_available_languages`` would ("Inglés")."""
    return list(settings.LANGUAGES)

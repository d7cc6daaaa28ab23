"""What the CSAT, volume and on-call reports share: the period as instants, local days and
weeks in the policy's calendar zone (America/Mexico_City), and the filters as ORM lookups."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils.translation import gettext as _

from soporte.policy import default_policy
from soporte.reports.domain.filters import Filters
from soporte.reports.domain.tables import Column


def zone() -> ZoneInfo:
    """The zone whose calendar days and ISO weeks the reports count in."""
    return default_policy().calendar.zone


def bounds(filters: Filters) -> tuple[datetime, datetime]:
    """``[start, end)``: the first day's local midnight and the midnight after the last day."""
    tz = zone()
    start = datetime.combine(filters.start, time(0), tzinfo=tz)
    return start, datetime.combine(filters.end + timedelta(days=1), time(0), tzinfo=tz)


def local_day(at: datetime) -> date:
    return at.astimezone(zone()).date()


def matching(filters: Filters, *, prefix: str = "", skip: tuple[str, ...] = ()) -> Q:
    """The chosen plan, severity, tier, channel and organisation as lookups on the fields of
    that name (under ``prefix``, e.g. ``"ticket__"``), except those in ``skip``."""
    chosen: dict[str, Any] = {
        "plan": filters.plan,
        "severity": filters.severity,
        "tier": filters.tier,
        "channel": filters.channel,
        "organisation_id": filters.organisation,
    }
    lookups = {
        f"{prefix}{name}": value
        for name, value in chosen.items()
        if value not in ("", None) and name not in skip
    }
    return Q(**lookups)


def week_column() -> Column:
    """The first column of a report by week: its ISO label (``2026-W49``)."""
    return Column("week", _("ISO week"))

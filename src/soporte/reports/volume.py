"""Volume: the tickets received in the period (``Ticket.opened_at``, the day in Mexico City), by
ISO week and channel, and by organisation. Plan and severity are the ticket's (the plan
snapshotted when it was opened), the tier the one it is at now."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from soporte.accounts.models import Plan
from soporte.feedback.domain.weeks import week_of_day
from soporte.reports.counting import bounds, matching, percent, week_column, zone
from soporte.reports.domain.filters import Filters
from soporte.reports.domain.periods import weeks_between
from soporte.reports.domain.tables import Cell, Chart, ChartKind, Column, ColumnKind, Report, Table
from soporte.tickets.models import Channel, Ticket

SECTION = gettext_noop("Volume")


def _received(filters: Filters) -> QuerySet[Ticket]:
    start, end = bounds(filters)
    return Ticket.objects.filter(matching(filters), opened_at__gte=start, opened_at__lt=end)


def by_channel(filters: Filters, now: datetime) -> Table:
    """One row per ISO week, one column per channel (stacked), and the week's total."""
    days = (
        _received(filters)
        .annotate(day=TruncDate("opened_at", tzinfo=zone()))
        .values("day", "channel")
        .annotate(tickets=Count("id"))
    )
    counts: Counter[tuple[str, str]] = Counter()
    for row in days:
        counts[str(week_of_day(row["day"])), row["channel"]] += row["tickets"]
    rows: list[list[Cell]] = []
    for week in map(str, weeks_between(filters.start, filters.end)):
        per_channel = [counts[week, channel.value] for channel in Channel]
        rows.append([week, *per_channel, sum(per_channel)])
    return Table(
        key="volume_by_channel",
        title=_("Tickets received by channel"),
        columns=[
            week_column(),
            *(Column(c.value, str(c.label), ColumnKind.COUNT) for c in Channel),
            Column("total", _("Total"), ColumnKind.COUNT),
        ],
        rows=rows,
        chart=Chart(ChartKind.STACKED_BAR, x="week", series=[c.value for c in Channel]),
    )


def by_organisation(filters: Filters, now: datetime) -> Table:
    """Every organisation that filed a ticket in the period, the busiest first."""
    per_org = list(
        _received(filters)
        .values("organisation_id", "organisation__name", "organisation__plan")
        .annotate(tickets=Count("id"))
    )
    total = sum(row["tickets"] for row in per_org)
    per_org.sort(key=lambda row: (-row["tickets"], row["organisation__name"]))
    plans = dict(Plan.choices)
    return Table(
        key="volume_by_organisation",
        title=_("Tickets received by organisation"),
        columns=[
            Column("organisation", _("Organisation")),
            Column("plan", _("Plan today")),
            Column("tickets", _("Tickets"), ColumnKind.COUNT),
            Column("share", _("Share %"), ColumnKind.PERCENT),
        ],
        rows=[
            [
                row["organisation__name"],
                str(plans.get(row["organisation__plan"], row["organisation__plan"])),
                row["tickets"],
                percent(row["tickets"], total),
            ]
            for row in per_org
        ],
        chart=Chart(ChartKind.BAR, x="organisation", series=["tickets"]),
    )


REPORTS = {
    "volume_by_channel": Report(SECTION, by_channel),
    "volume_by_organisation": Report(SECTION, by_organisation),
}

"""Volume: the tickets received in the period (the day in Mexico City), by ISO week and channel,
and by organisation. Read from the daily aggregates (``reports.totals``), as the service-level
reports are: plan and severity are the ticket's (the plan snapshotted when it was opened), the
tier the one it reached."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from soporte.accounts.models import Organisation, Plan
from soporte.feedback.domain.weeks import week_of_day
from soporte.reports.counting import week_column
from soporte.reports.domain.filters import Filters
from soporte.reports.domain.measures import share
from soporte.reports.domain.periods import weeks_between
from soporte.reports.domain.tables import Cell, Chart, ChartKind, Column, ColumnKind, Report, Table
from soporte.reports.totals import day_of, totals
from soporte.tickets.models import Channel

SECTION = gettext_noop("Volume")


def by_channel(filters: Filters, now: datetime) -> Table:
    """One row per ISO week, one column per channel (stacked), and the week's total."""
    counts: Counter[tuple[str, str]] = Counter()
    for row in totals(filters, ["day", "channel"], ["tickets"]):
        counts[str(week_of_day(day_of(row["day"]))), row["channel"]] += row["tickets"]
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
    counted = {
        row["organisation"]: row["tickets"]
        for row in totals(filters, ["organisation"], ["tickets"])
        if row["tickets"]
    }
    names = Organisation.objects.in_bulk(list(counted))
    per_org = [
        {
            "organisation__name": names[key].name,
            "organisation__plan": names[key].plan,
            "tickets": tickets,
        }
        for key, tickets in counted.items()
    ]
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
                share(row["tickets"], total),
            ]
            for row in per_org
        ],
        chart=Chart(ChartKind.BAR, x="organisation", series=["tickets"]),
    )


REPORTS = {
    "volume_by_channel": Report(SECTION, by_channel),
    "volume_by_organisation": Report(SECTION, by_organisation),
}

"""``soporte report``: any report as CSV or JSON for scripts (docs/reports.md, "Command line").

``soporte report sla --from 2026-10-01 --to 2026-12-31`` writes the SLA heat map (plan ×
severity); ``soporte report KEY …`` any other report (``sla_trend`` is its weekly trend) and
``soporte report list`` their keys. The facts are brought up to date first, as the refresh job
would. Bad input is one line naming the option, exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any
from uuid import UUID

from soporte.policy import UnknownCode, default_policy
from soporte.reports.domain.filters import Filters
from soporte.reports.domain.tables import Table, to_csv

ALIASES = {"sla": "sla_compliance"}


def register(subparsers: Any) -> None:
    report = subparsers.add_parser(
        "report",
        help="a report as CSV or JSON (soporte report list: their keys)",
        description="KEY: sla (the SLA heat map), list, or a key soporte report list prints.",
    )
    report.add_argument("key", metavar="KEY")
    report.add_argument("--from", dest="start", type=_day, help="first day (YYYY-MM-DD)")
    report.add_argument("--to", dest="end", type=_day, help="last day, included (YYYY-MM-DD)")
    report.add_argument("--format", choices=["csv", "json"], default="csv")
    report.add_argument("--lang", choices=["es", "en"], default="es", help="language of labels")
    for name in ("plan", "severity", "tier", "channel"):
        report.add_argument(f"--{name}", default="")
    report.add_argument("--organisation", type=_organisation, help="an organisation ID")
    report.set_defaults(func=_report, needs_django=True)


def _report(args: argparse.Namespace) -> int:
    # Django is set up only now (``needs_django``): the models load here, not at registration.
    from django.utils import timezone
    from django.utils.translation import override

    from soporte.reports import facts
    from soporte.reports.catalog import reports

    if args.key == "list":
        for key, found in reports().items():
            print(f"{key}\t{found.section}")
        return 0
    key = ALIASES.get(args.key, args.key)
    if key not in reports():
        return _usage(f"unknown report {args.key!r} (soporte report list prints them)")
    for option in ("start", "end"):
        if getattr(args, option) is None:
            return _usage(f"--{'from' if option == 'start' else 'to'} is required")
    if args.end < args.start:
        return _usage("--to: the period ends before it starts")
    policy = default_policy()
    lookups = {"plan": policy.plan, "severity": policy.severity, "tier": policy.tier}
    lookups["channel"] = policy.channel
    for name, lookup in lookups.items():
        value = getattr(args, name)
        if value:
            try:
                lookup(value)
            except UnknownCode as exc:
                return _usage(f"--{name}: {exc}")
    filters = Filters(
        args.start, args.end, args.plan, args.severity, args.tier, args.channel, args.organisation
    )
    now = timezone.now()
    while facts.refresh(now=now) >= facts.LIMIT:
        pass
    with override(args.lang):
        table = reports()[key].compute(filters, now)
    sys.stdout.write(to_csv(table) if args.format == "csv" else as_json(table) + "\n")
    return 0


def as_json(table: Table) -> str:
    """The table as one JSON object: key, title, columns (key, label, kind), rows, notes."""
    return json.dumps(
        {
            "key": table.key,
            "title": table.title,
            "columns": [
                {"key": c.key, "label": c.label, "kind": c.kind.value} for c in table.columns
            ],
            "rows": [list(row) for row in table.rows],
            "notes": list(table.notes),
        },
        ensure_ascii=False,
    )


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _organisation(text: str) -> UUID:
    try:
        return UUID(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an organisation ID") from None


def _usage(message: str) -> int:
    print(f"soporte report: {message}", file=sys.stderr)
    return 2

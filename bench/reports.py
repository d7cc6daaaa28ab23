"""The reports at scale: every report for a quarter over 1,000,000 tickets, SQLite and PostgreSQL.

``python -m bench reports [--tickets N]`` (default 1,000,000). For each database (as
``bench.scale``: ``BENCH_SCALE_DATABASES``, a fresh SQLite folder or PostgreSQL database
``soporte_bench_reports``) a child process loads the desk of ``bench.scale`` (its seed, its
ticket mix over the past year, its aged history; with ``tickets.bulk.load``), then computes
every ticket's fact and the daily aggregates with ``reports.facts.rebuild`` (timed), then runs
every report of the catalogue for the last full quarter (91 days) with each filter (none, plan,
severity, channel, tier, organisation), ``RUNS`` times after a warm-up: p50/p95 ms per report.

The peer is DuckDB (the bench extra: ``make bench`` installs it; skipped when missing),
given the same fact rows as NumPy columns in memory, computing the SLA heat map's counts for
the same quarter and filters; its counts must equal ours, and the ratio of p50s is printed.
Floor (issue 13): every report ≤ 1 s p95. Figures go to ``bench/results/reports.json``.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.scale import _analyze, _load, _percentiles, _seed, _tickets_argument, run_child

RESULTS = Path(__file__).with_name("results") / "reports.json"
PG_NAME = "soporte_bench_reports"
RUNS = 10
FLOOR_MS = 1000.0


def main() -> bool:
    tickets = _tickets_argument(sys.argv[1:])
    chosen = os.environ.get("BENCH_SCALE_DATABASES", "sqlite,postgresql")
    runs: dict[str, Any] = {}
    for database in (d.strip() for d in chosen.split(",") if d.strip()):
        print(f"reports: {database}, {tickets:,} tickets", flush=True)
        runs[database] = run_child("bench.reports", database, tickets, pg_name=PG_NAME)
        results = {
            "tickets": tickets,
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
            "databases": runs,
        }
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(report(tickets, database, runs[database]), flush=True)
    return all(r["p95_ms"] <= FLOOR_MS for d in runs.values() for r in d["reports"].values())


def report(tickets: int, database: str, d: dict[str, Any]) -> str:
    lines = [
        f"{database}: {tickets:,} tickets loaded in {d['load']['seconds']:.0f} s "
        f"({d['load']['tickets_per_s']:,.0f}/s); facts and aggregates rebuilt in "
        f"{d['rebuild_s']:.1f} s ({tickets / d['rebuild_s']:,.0f} tickets/s); "
        f"{d['daily_rows']:,} daily rows, {d['quarter_rows']:,} in the quarter",
    ]
    for key, r in d["reports"].items():
        met = "MET    " if r["p95_ms"] <= FLOOR_MS else "NOT MET"
        lines.append(f"  {key:<24} p50 {r['p50_ms']:8.1f}  p95 {r['p95_ms']:8.1f} ms  {met}")
    peer = d.get("peer")
    if peer:
        ours = d["reports"]["sla_compliance"]
        lines.append(
            f"  peer DuckDB {peer['version']} heat map over the facts in memory: "
            f"p50 {peer['p50_ms']:.1f}  p95 {peer['p95_ms']:.1f} ms; ours/peer p50 "
            f"{ours['p50_ms'] / peer['p50_ms']:.2f}×; counts agree: {peer['agree']}"
        )
    else:
        lines.append("  peer DuckDB not installed (pip install duckdb): skipped")
    return "\n".join(lines)


def child(tickets: int, out: Path) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from bench.scale import _age

    call_command("migrate", verbosity=0)
    now = timezone.now()
    world = _seed()
    figures: dict[str, Any] = {}
    figures["load"], bounds = _load(world, tickets, now)
    _age(bounds)
    _analyze()
    from soporte.reports import facts
    from soporte.reports.models import DailyFact

    started = time.perf_counter()
    facts.rebuild(now=now)
    figures["rebuild_s"] = time.perf_counter() - started
    _analyze(("reports_ticketfact", "reports_dailyfact"))
    variants = _variants(world, now)
    figures["daily_rows"] = DailyFact.objects.count()
    quarter = variants[0]
    figures["quarter_rows"] = DailyFact.objects.filter(
        day__gte=quarter.start, day__lte=quarter.end
    ).count()
    figures["reports"] = _measure(variants, now)
    figures["peer"] = _peer(variants, now)
    out.write_text(json.dumps(figures, default=str), encoding="utf-8")


def _variants(world: dict[str, Any], now: Any) -> list[Any]:
    from dataclasses import replace

    from soporte.reports.counting import local_day
    from soporte.reports.domain.filters import Filters

    today = local_day(now)
    quarter = Filters(today - timedelta(days=91), today - timedelta(days=1))
    organisation = world["contacts"][0].organisation_id
    return [
        quarter,
        replace(quarter, plan="pro"),
        replace(quarter, severity="P1"),
        replace(quarter, channel="chat"),
        replace(quarter, tier="T2"),
        replace(quarter, organisation=organisation),
    ]


def _measure(variants: list[Any], now: Any) -> dict[str, Any]:
    from soporte.reports.catalog import reports

    figures = {}
    for key, found in reports().items():
        ms = []
        for filters in variants:
            found.compute(filters, now)  # warm-up
            ms += [_timed(lambda f=filters, r=found: r.compute(f, now)) for _ in range(RUNS)]
        figures[key] = _percentiles(ms)
    return figures


def _peer(variants: list[Any], now: Any) -> dict[str, Any] | None:
    try:
        import duckdb
    except ImportError:
        return None
    import numpy as np

    from soporte.reports.catalog import reports
    from soporte.reports.models import TicketFact

    names = ("day", "plan", "severity", "channel", "tier", "organisation_id", "first_response")
    rows = list(TicketFact.objects.values_list(*names))
    facts = {n: np.array([r[i] for r in rows]) for i, n in enumerate(names)}
    facts["organisation_id"] = np.array([str(o) for o in facts["organisation_id"]])
    facts["day"] = facts["day"].astype("datetime64[D]").astype("datetime64[s]")
    con = duckdb.connect()
    con.register("facts", facts)
    ms: list[float] = []
    agree = True
    for filters in variants:
        where, params = ["day BETWEEN ? AND ?"], [filters.start, filters.end]
        for name in ("plan", "severity", "channel", "tier"):
            if getattr(filters, name):
                where.append(f"{name} = ?")
                params.append(getattr(filters, name))
        if filters.organisation is not None:
            where.append("organisation_id = ?")
            params.append(str(filters.organisation))
        sql = (
            "SELECT plan, severity, first_response, count(*) FROM facts "
            f"WHERE {' AND '.join(where)} GROUP BY ALL"
        )
        theirs = con.execute(sql, params).fetchall()
        ms += [_timed(lambda s=sql, p=params: con.execute(s, p).fetchall()) for _ in range(RUNS)]
        table = reports()["sla_compliance"].compute(filters, now)
        ours = sum(v for c in table.columns if c.kind == "count" for v in table.column(c.key))
        agree = agree and ours == sum(n for *_k, n in theirs)
    return {"version": duckdb.__version__, "agree": agree, "rows": len(rows), **_percentiles(ms)}


def _timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(int(sys.argv[2]), Path(sys.argv[3]))
    else:
        sys.exit(0 if main() else 1)

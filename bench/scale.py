"""Queue and sweep at scale: a desk with 1,000,000 tickets, on SQLite and on PostgreSQL.

``python -m bench scale [--tickets N]`` (default 1,000,000). For each database the bench
creates a fresh one (an SQLite file in a temporary folder; PostgreSQL database
``soporte_bench_scale`` on ``SOPORTE_BENCH_PG``, default ``postgres://postgres@127.0.0.1:5432``),
migrates it and, in a child process with the production settings, loads the tickets with
``tickets.bulk.load`` (the rows ``open_ticket`` writes; the P0 tickets received more than the
page chain's reach ago page nobody, readings §23). The mix: 80 % were opened over the past
year and are solved or closed (clocks fulfilled, timers cancelled, emails sent); 20 % were
opened over the last three days and are unresolved (new, open, pending customer) at T1, T2 and
T3, over every plan, channel and severity, so their clocks fall due around now and some are
overdue. Timers past due are done (the worker kept up) except the latest few hundred: those
are what the sweep finds.

Then it measures, in process with Django's test ``Client``:

- the T1 queue page (``/console/queue/T1``) for a T1 agent, and the API's list of the T1 queue,
  ``REQUESTS`` requests after ``WARMUP``: p50/p95/p99 ms;
- the worker's overdue sweep, ``jobs.services.claim_due`` with the worker's batch
  (``jobs.services.DEFAULT_BATCH``), ``SWEEPS`` times, each claim rolled back so the table stays
  as it is: p50/p99 ms, and per claimed job;

and prints the query plans of both. Floors (issue 3, Performance): load ≥ 20,000 tickets/s,
queue page p95 ≤ 150 ms, sweep p99 ≤ 5 ms. Figures go to ``bench/results/scale.json``.
"""

from __future__ import annotations

import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).with_name("results") / "scale.json"
DEFAULT_TICKETS = 1_000_000
PG_SERVER = os.environ.get("SOPORTE_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_NAME = "soporte_bench_scale"
UNRESOLVED_SHARE = 0.2
DUE_NOW = 300  # past-due timers left pending for the sweep
WARMUP = 20
REQUESTS = 200
SWEEPS = 1000
LOAD_FLOOR = 20_000.0
PAGE_FLOOR_MS = 150.0
SWEEP_FLOOR_MS = 5.0
SEED = 20260301


# ------------------------------------------------------------------------ the parent


def main() -> bool:
    """Run on each database (``BENCH_SCALE_DATABASES``, default both), print and save the
    figures after each one (a long run keeps what it measured); True when every floor is met."""
    tickets = _tickets_argument(sys.argv[1:])
    chosen = os.environ.get("BENCH_SCALE_DATABASES", "sqlite,postgresql")
    started = time.perf_counter()
    runs: dict[str, Any] = {}
    results: dict[str, Any] = {}
    for database in (d.strip() for d in chosen.split(",") if d.strip()):
        print(f"scale: {database}, {tickets:,} tickets", flush=True)
        runs[database] = run_child("bench.scale", database, tickets)
        results = {
            "tickets": tickets,
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
            "databases": runs,
            "floors": _floors(runs),
            "runtime_s": time.perf_counter() - started,
        }
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(
            json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        print(report(results), flush=True)
    return all(f["met"] for f in results.get("floors", []))


def _tickets_argument(argv: list[str]) -> int:
    for i, arg in enumerate(argv):
        if arg.startswith("--tickets="):
            return int(arg.split("=", 1)[1])
        if arg == "--tickets" and i + 1 < len(argv):
            return int(argv[i + 1])
    return DEFAULT_TICKETS


def run_child(
    module: str, database: str, tickets: int, *, pg_name: str = PG_NAME
) -> dict[str, Any]:
    """Run ``python -m <module> --child TICKETS OUT`` on a fresh database of kind ``database``
    (a temporary SQLite folder, or PostgreSQL database ``pg_name``, dropped afterwards): the
    figures it wrote to ``OUT``."""
    with tempfile.TemporaryDirectory(prefix=f"{module.replace('.', '-')}-") as folder:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "soporte.config.settings"}
        env.pop("SOPORTE_DEBUG", None)
        env["SOPORTE_DATA_DIR"] = folder
        if database == "postgresql":
            _pg_admin(f'DROP DATABASE IF EXISTS "{pg_name}"', f'CREATE DATABASE "{pg_name}"')
            env["DATABASE_URL"] = f"{PG_SERVER}/{pg_name}"
        else:
            env.pop("DATABASE_URL", None)
        out = Path(folder) / "figures.json"
        try:
            subprocess.run(
                [sys.executable, "-m", module, "--child", str(tickets), str(out)],
                env=env,
                check=True,
                cwd=Path(__file__).resolve().parent.parent,
            )
            figures: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        finally:
            if database == "postgresql":
                _pg_admin(f'DROP DATABASE IF EXISTS "{pg_name}"')
    return figures


def _pg_admin(*statements: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement.encode())


def _floors(runs: dict[str, Any]) -> list[dict[str, Any]]:
    floors = []
    for database, r in runs.items():
        floors += [
            {
                "floor": f"{database}: bulk load ≥ {LOAD_FLOOR:,.0f} tickets/s",
                "value": r["load"]["tickets_per_s"],
                "met": r["load"]["tickets_per_s"] >= LOAD_FLOOR,
            },
            {
                "floor": f"{database}: T1 queue page p95 ≤ {PAGE_FLOOR_MS:.0f} ms",
                "value": r["queue_page"]["p95_ms"],
                "met": r["queue_page"]["p95_ms"] <= PAGE_FLOOR_MS,
            },
            {
                "floor": f"{database}: overdue sweep p99 ≤ {SWEEP_FLOOR_MS:.0f} ms",
                "value": r["sweep"]["p99_ms"],
                "met": r["sweep"]["p99_ms"] <= SWEEP_FLOOR_MS,
            },
        ]
    return floors


def report(r: dict[str, Any]) -> str:
    lines = [
        f"scale: {r['tickets']:,} tickets (Python {r['machine']['python']}, "
        f"{r['machine']['cpus']} CPUs)",
    ]
    for database, d in r["databases"].items():
        load, rows = d["load"], d["rows"]
        lines += [
            "",
            f"{database}:",
            f"  bulk load: {load['tickets_per_s']:,.0f} tickets/s ({load['seconds']:.0f} s; "
            f"{load['rows_per_s']:,.0f} rows/s); then aged the history in "
            f"{d['age_seconds']:.0f} s",
            "  rows: " + ", ".join(f"{name} {count:,}" for name, count in rows.items()),
            f"  T1 queue: {d['queue_size']:,} unresolved tickets; jobs pending "
            f"{d['jobs_pending']:,}, due now {d['jobs_due']:,}",
        ]
        for label, key in (("T1 queue page", "queue_page"), ("API T1 list", "api_list")):
            f = d[key]
            lines.append(
                f"  {label:<14} p50 {f['p50_ms']:7.2f}  p95 {f['p95_ms']:7.2f}  "
                f"p99 {f['p99_ms']:7.2f} ms  ({f['n']} requests, {f['rows']} rows)"
            )
        s = d["sweep"]
        lines.append(
            f"  {'overdue sweep':<14} p50 {s['p50_ms']:7.2f}  p99 {s['p99_ms']:7.2f} ms  "
            f"({s['n']} claims of ≤ {s['limit']}, {s['claimed']} claimed each: "
            f"{s['p50_ms'] / max(1, s['claimed']) * 1000:.0f} µs per job at p50)"
        )
        for name, plan in d["plans"].items():
            lines.append(f"  plan, {name}:")
            lines += [f"    {line}" for line in plan.splitlines()]
    lines += ["", "floors (issue 3, Performance):"]
    lines += [
        f"  {'MET    ' if f['met'] else 'NOT MET'}  {f['floor']}: {f['value']:,.2f}"
        for f in r["floors"]
    ]
    where = RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS
    lines.append(f"(ran in {r['runtime_s']:.0f} s; results in {where})")
    return "\n".join(lines)


# ------------------------------------------------------------------------ the child


def child(tickets: int, out: Path) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    now = timezone.now()
    world = _seed()
    figures: dict[str, Any] = {}
    figures["load"], bounds = _load(world, tickets, now)
    started = time.perf_counter()
    _age(bounds)
    _analyze()
    figures["age_seconds"] = time.perf_counter() - started
    figures.update(_counts())
    figures["queue_page"] = _requests(world["t1"].user, "/console/queue/T1", _page_rows)
    figures["api_list"] = _requests(world["t1"].user, "/api/tickets?tier=T1", _api_rows)
    figures["sweep"] = _sweeps()
    figures["plans"] = _plans(world["t1"].user)
    out.write_text(json.dumps(figures, default=str), encoding="utf-8")


def _seed() -> dict[str, Any]:
    from soporte.accounts import services as accounts
    from soporte.accounts.models import Contact

    agents = {
        name: accounts.create_agent(
            email=f"{name}@trackmyvend.example", name=name.upper(), tier=tier, role=role
        )
        for name, tier, role in [
            ("t1", "T1", "agent"),
            ("t2", "T2", "agent"),
            ("t3", "T3", "agent"),
            ("lead1", "T1", "lead"),
            ("lead2", "T2", "lead"),
            ("lead3", "T3", "lead"),
        ]
    }
    rng = random.Random(SEED)
    for n in range(300):
        plan = rng.choices(["starter", "pro", "enterprise"], [50, 35, 15])[0]
        csm = agents["lead3"] if plan == "enterprise" else None
        org = accounts.create_organisation(name=f"Org {n}", plan=plan, csm=csm)
        for k in range(3):
            accounts.create_contact(
                organisation=org,
                email=f"c{k}@org{n}.example",
                name=f"Contact {k} of {n}",
                locale=rng.choice(["es", "es", "en"]),
            )
    contacts = list(Contact.objects.select_related("user", "organisation__csm").order_by("pk"))
    return {"contacts": contacts, **agents}


def _specs(world: dict[str, Any], n: int, first: int, now: datetime) -> Iterator[Any]:
    from soporte.tickets.bulk import TicketSpec
    from soporte.tickets.domain.intake import Intake

    rng = random.Random(SEED + first)
    contacts = world["contacts"]
    intakes = [
        Intake(),
        Intake(url="https://app.trackmyvend.example/machines", browser_os="Chrome 123"),
        Intake(
            organisation_id="ORG",
            url="https://app.trackmyvend.example/routes",
            expected="the route",
            actual="an error",
            browser_os="Safari 17 on macOS",
            started_at="10:00 CST",
            still_happening="yes",
        ),
    ]
    resolved = int(n * (1 - UNRESOLVED_SHARE))
    year, recent = timedelta(days=365), timedelta(days=3)
    for i in range(first, n):
        if i < resolved:
            opened = now - year + (year - recent) * (i / resolved)
        else:
            opened = now - recent + recent * ((i - resolved) / max(1, n - resolved))
        yield TicketSpec(
            requester=contacts[rng.randrange(len(contacts))],
            channel=rng.choices(
                ["email", "portal", "chat", "whatsapp", "slack", "phone"], [40, 30, 12, 10, 5, 3]
            )[0],
            severity=rng.choices(["P0", "P1", "P2", "P3"], [2, 18, 45, 35])[0],
            subject=f"Machine {i % 9973} stopped reporting sales",
            body="The dashboard shows no sales since this morning.\n\nThanks",
            received_at=opened,
            intake=intakes[i % len(intakes)],
        )


def _load(world: dict[str, Any], n: int, now: datetime) -> tuple[dict[str, Any], dict[str, int]]:
    """Load the resolved share, then the unresolved; return figures and the id boundaries."""
    from soporte.tickets import bulk

    resolved = int(n * (1 - UNRESOLVED_SHARE))
    started = time.perf_counter()
    rows_before = sum(_counts_by_table().values())
    tick = _progress(n, started)
    bulk.load(_specs(world, resolved, 0, now), progress=tick, now=now)
    bounds = _max_ids()
    bulk.load(_specs(world, n, resolved, now), progress=lambda done: tick(resolved + done), now=now)
    seconds = time.perf_counter() - started
    rows = sum(_counts_by_table().values()) - rows_before
    figures = {
        "seconds": seconds,
        "tickets_per_s": n / seconds,
        "rows": rows,
        "rows_per_s": rows / seconds,
    }
    return figures, bounds


def _progress(total: int, started: float) -> Callable[[int], None]:
    last = [0.0]

    def tick(done: int) -> None:
        spent = time.perf_counter() - started
        if spent - last[0] >= 10 or done == total:
            last[0] = spent
            print(
                f"  loaded {done:,}/{total:,} tickets in {spent:.0f} s ({done / spent:,.0f}/s)",
                flush=True,
            )

    return tick


TABLES = {
    "tickets": "tickets_ticket",
    "messages": "tickets_message",
    "timeline": "tickets_timelineevent",
    "clocks": "sla_clock",
    "jobs": "jobs_job",
    "outbox": "jobs_outboxmessage",
    "notifications": "notify_notification",
}


def _counts_by_table() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        counts = {}
        for name, table in TABLES.items():
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[name] = int(cursor.fetchone()[0])
    return counts


def _max_ids() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        bounds = {}
        for name, table in TABLES.items():
            cursor.execute(f'SELECT coalesce(max(id), 0) FROM "{table}"')
            bounds[name] = int(cursor.fetchone()[0])
    return bounds


def _age(bounds: dict[str, int]) -> None:
    """Give the loaded desk its history: resolved tickets, unresolved ones at every tier and
    status, emails sent and past-due timers done but the latest ``DUE_NOW``."""
    from django.db import connection, transaction
    from django.db.models import F
    from django.utils import timezone

    from soporte.jobs.models import Job
    from soporte.sla.models import Clock
    from soporte.tickets.models import Ticket

    last_ticket, last_clock, last_job = bounds["tickets"], bounds["clocks"], bounds["jobs"]
    with transaction.atomic(), connection.cursor() as cursor:
        # 80 %: answered at their due time, then solved (30 %) or closed (70 %).
        cursor.execute(
            "UPDATE tickets_ticket SET first_replied_at = next_due_at, solved_at = next_due_at, "
            "next_due_at = NULL, status = CASE WHEN id %% 10 < 3 THEN 'solved' ELSE 'closed' END "
            "WHERE id <= %s",
            [last_ticket],
        )
        cursor.execute(
            "UPDATE sla_clock SET fulfilled_at = due_at WHERE id <= %s AND fulfilled_at IS NULL",
            [last_clock],
        )
        cursor.execute(
            "UPDATE jobs_job SET status = 'cancelled', finished_at = due_at "
            "WHERE id <= %s AND status = 'pending' AND kind LIKE 'sla.%%'",
            [last_job],
        )
        # The unresolved 20 %: T2 and T3 as well as T1; open and pending customer as well as new.
        cursor.execute(
            "UPDATE tickets_ticket SET tier = CASE WHEN id %% 10 < 2 THEN 'T2' ELSE 'T3' END "
            "WHERE id > %s AND tier = 'T1' AND id %% 10 < 3",
            [last_ticket],
        )
        cursor.execute(
            "UPDATE tickets_ticket SET status = 'open' WHERE id > %s AND id %% 20 BETWEEN 3 AND 7",
            [last_ticket],
        )
        # Pending customer (an agent answered): clocks fulfilled, timers cancelled.
        cursor.execute(
            "SELECT id FROM tickets_ticket WHERE id > %s AND id %% 20 < 3", [last_ticket]
        )
        pending = [row[0] for row in cursor.fetchall()]
    for start in range(0, len(pending), 5000):
        chunk = pending[start : start + 5000]
        with transaction.atomic():
            clocks = Clock.objects.filter(ticket_id__in=chunk)
            keys = [
                f"{kind}:{pk}:v1"
                for pk in clocks.values_list("pk", flat=True)
                for kind in ("sla.warning", "sla.breach")
            ]
            Job.objects.filter(key__in=keys, status="pending").update(
                status="cancelled", finished_at=timezone.now()
            )
            clocks.update(fulfilled_at=F("due_at"))
            Ticket.objects.filter(pk__in=chunk).update(
                status="pending", next_due_at=None, first_replied_at=timezone.now()
            )
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE jobs_job SET status = 'done', finished_at = due_at, attempts = 1 "
            "WHERE kind = 'outbox.deliver' AND status = 'pending'"
        )
        cursor.execute("UPDATE jobs_outboxmessage SET status = 'sent', sent_at = created_at")
        cursor.execute(
            "SELECT due_at FROM jobs_job WHERE status = 'pending' AND due_at <= %s "
            "ORDER BY due_at DESC LIMIT 1 OFFSET %s",
            [now, DUE_NOW - 1],
        )
        row = cursor.fetchone()
        if row is not None:
            cursor.execute(
                "UPDATE jobs_job SET status = 'done', finished_at = due_at, attempts = 1 "
                "WHERE status = 'pending' AND due_at < %s",
                [row[0]],
            )


def _analyze(tables: Iterable[str] = TABLES.values()) -> None:
    """Fresh planner statistics: ``tables`` on PostgreSQL, the whole database on SQLite."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in tables:
                cursor.execute(f'VACUUM ANALYZE "{table}"')
        else:
            cursor.execute("ANALYZE")


def _counts() -> dict[str, Any]:
    from django.utils import timezone

    from soporte.jobs.models import Job
    from soporte.tickets.models import UNRESOLVED, Ticket

    now = timezone.now()
    return {
        "rows": _counts_by_table(),
        "queue_size": Ticket.objects.filter(tier="T1", status__in=UNRESOLVED).count(),
        "jobs_pending": Job.objects.filter(status="pending").count(),
        "jobs_due": Job.objects.filter(status="pending", due_at__lte=now).count(),
    }


def _page_rows(response: Any) -> int:
    return int(response.content.count(b"<tr") - 1)


def _api_rows(response: Any) -> int:
    return len(response.json()["items"])


def _requests(user: Any, url: str, rows: Callable[[Any], int]) -> dict[str, Any]:
    from django.test import Client

    client = Client()
    client.force_login(user)
    times = []
    count = 0
    for i in range(WARMUP + REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        spent = time.perf_counter() - started
        if response.status_code != 200:
            raise RuntimeError(f"GET {url}: HTTP {response.status_code}")
        if i >= WARMUP:
            times.append(spent * 1000)
        count = rows(response)
    return {**_percentiles(times), "rows": count}


def _sweeps() -> dict[str, Any]:
    from django.db import transaction
    from django.utils import timezone

    from soporte.jobs import services

    times = []
    claimed = 0
    for i in range(WARMUP + SWEEPS):
        with transaction.atomic():
            started = time.perf_counter()
            claims = services.claim_due(
                worker="bench-scale", limit=services.DEFAULT_BATCH, now=timezone.now()
            )
            spent = time.perf_counter() - started
            transaction.set_rollback(True)
        if i >= WARMUP:
            times.append(spent * 1000)
        claimed = len(claims)
    return {**_percentiles(times), "claimed": claimed, "limit": services.DEFAULT_BATCH}


def _percentiles(ms: list[float]) -> dict[str, Any]:
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    return {
        "n": len(ms),
        "p50_ms": statistics.median(ms),
        "p95_ms": cuts[94],
        "p99_ms": cuts[98],
        "max_ms": max(ms),
    }


def _plans(user: Any) -> dict[str, str]:
    from django.db import connection, transaction
    from django.utils import timezone

    from soporte.jobs import services
    from soporte.tickets.selectors import QueueFilter, queue

    now = timezone.now()
    postgresql = connection.vendor == "postgresql"
    part = (  # the keys of one part of the queue page (tickets.selectors.queue_page)
        queue(user, QueueFilter(tier="T1", status="new"))
        .filter(next_due_at__isnull=False)
        .order_by("next_due_at", "opened_at", "id")
        .values_list("next_due_at", "opened_at", "id")[:51]
    )
    sql, params = services.claim_statement(
        worker="bench-plan", now=now, limit=services.DEFAULT_BATCH, lease=services.DEFAULT_LEASE
    )
    explain = "EXPLAIN (ANALYZE, BUFFERS) " if postgresql else "EXPLAIN QUERY PLAN "
    with transaction.atomic(), connection.cursor() as cursor:  # rolled back: a plan, no claim
        cursor.execute(explain + sql, params)
        claim = "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())
        transaction.set_rollback(True)
    options = {"analyze": True} if postgresql else {}
    return {"queue part keys (T1, new)": part.explain(**options), "claim": claim}


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(int(sys.argv[2]), Path(sys.argv[3]))
    else:
        sys.exit(0 if main() else 1)

"""Ticket intake through the REST API, served as production serves it, on SQLite and PostgreSQL.

For each database (a fresh SQLite file in a temporary ``SOPORTE_DATA_DIR``; a fresh PostgreSQL
database ``soporte_bench_<pid>``, created and dropped here) the bench starts the real server,
``soporte serve --port P --workers W --threads T`` (gunicorn gthread plus the embedded job
worker, debug off, outbound email to files), waits for ``/healthz``, and seeds organisations on
every plan, their contacts and an agent's API token with the account services in a separate
``python`` process under the same settings. Then, per concurrency level (1, 4, 16), the load
generator (:mod:`bench.loadgen`, its own process) sends a warm-up of ``WARMUP`` tickets and
then ``COUNT`` timed ``POST /api/tickets``, each thread with its own keep-alive client. After
each level the database is counted: every ticket made must be there with its customer message,
its clocks, the timer jobs of each clock, its timeline (created, clock started per clock,
acknowledged), the acknowledgement message and its outbox email.

Then the peer, django-helpdesk (:mod:`bench.peers.helpdesk`, in its own venv, made on first
use), runs the same levels on a fresh database of the same kind: gunicorn gthread with the same
workers and threads, its DRF ticket API with token auth, its new-ticket email to files; the
same tickets are sent the same way, and each level's tickets are counted with their opening
follow-up and the email it records. The report gives soporte/peer ratios of tickets/s and p99,
the issue's absolute floors and the relative floors they imply against the issue's peer figure
(about 90 tickets/s and p99 about 0.5 s at concurrency 16 on this kind of 2-core machine), and
a machine score (:mod:`bench.machine`) to compare figures across machines.

Figures go to stdout as a table and to ``bench/results/intake.json``.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench import intake_report, machine
from bench.peers import helpdesk as peer

LEVELS = (1, 4, 16)
WARMUP = 100  # tickets per level before the timed part
COUNT = 2_000  # timed tickets per level
# A level stops taking new tickets after this long (s), so that a slow desk still finishes the
# bench in a few minutes; the report says when a level was cut short. 0: no limit.
BUDGET_S = float(os.environ.get("BENCH_INTAKE_BUDGET_S", "45"))
WORKERS = int(os.environ.get("BENCH_INTAKE_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_INTAKE_THREADS", "8"))
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
SEED = 20260301
ORGS_PER_PLAN = 10
CONTACTS_PER_ORG = 5

# The figure for django-helpdesk on this kind of machine, and its floors for soporte;
# measured side by side, the floors read as ratios to the peer.
PEER_RATE, PEER_P99_MS = 90.0, 500.0
PEER = {
    "name": "django-helpdesk",
    "tickets_per_s": PEER_RATE,
    "p99_ms": PEER_P99_MS,
    "concurrency": 16,
}
FLOOR_RATE = 250.0  # tickets/s at concurrency 16
FLOOR_P99_MS = 150.0
FLOOR_RATE_RATIO = FLOOR_RATE / PEER_RATE  # ≈ 2.8× the peer's tickets/s
FLOOR_P99_RATIO = FLOOR_P99_MS / PEER_P99_MS  # 0.3× the peer's p99

RESULTS = Path(__file__).with_name("results") / "intake.json"
ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

# Run with the server's settings in a separate process: seed the desk, print what the load
# generator needs.
SEED_SCRIPT = """
import json, sys
from soporte.config.runtime import setup_django
setup_django()
from soporte.accounts import services as acc
from soporte.accounts.models import Role, Tier
orgs_per_plan, per_org = int(sys.argv[1]), int(sys.argv[2])
zones = ["America/Mexico_City", "America/Monterrey", "America/Bogota", "America/Tijuana"]
contacts = []
n = 0
for plan in ("starter", "pro", "enterprise"):
    for k in range(orgs_per_plan):
        org = acc.create_organisation(
            name=f"Bench {plan} {k}", plan=plan, locale="es" if k % 3 else "en"
        )
        for j in range(per_org):
            n += 1
            c = acc.create_contact(
                organisation=org,
                email=f"contact{n}@bench-{plan}-{k}.example",
                name=f"Contact {n}",
                locale="es" if n % 4 else "en",
                time_zone=zones[n % len(zones)],
            )
            contacts.append({"id": c.pk, "email": c.user.email, "org": str(org.pk)})
# An integration account at T3: it may read back every ticket it opens (a T1 account cannot
# read an emergency-line ticket routed to T3, and the API answers 404 after committing it).
agent = acc.create_agent(email="intake-bot@bench.example", name="Intake bot", tier=Tier.T3,
                         role=Role.AGENT)
_, secret = acc.create_token(agent=agent, name="bench")
print(json.dumps({"token": secret, "contacts": contacts}))
"""

# Count what the given tickets (ids on stdin, or {"ids": [...], "customer_messages": {id: n}}
# when some tickets should hold more than one customer message) committed.
VERIFY_SCRIPT = """
import json, sys
from soporte.config.runtime import setup_django
setup_django()
from django.db.models import Count, Q
from soporte.jobs.models import Job, OutboxMessage
from soporte.sla.models import Clock
from soporte.tickets.models import AuthorKind, EventKind, Message, Ticket, TimelineEvent

given = json.load(sys.stdin)
ids = given["ids"] if isinstance(given, dict) else given
expected = {int(k): n for k, n in (given.get("customer_messages", {}) if isinstance(given, dict)
                                    else {}).items()}
out = dict.fromkeys(
    ["tickets", "customer_messages", "ack_messages", "clocks", "timer_jobs", "created_events",
     "clock_started_events", "ack_events", "outbox_emails", "outbox_jobs",
     "tickets_without_clock", "tickets_incomplete"], 0)
for lo in range(0, len(ids), 500):
    chunk = ids[lo:lo + 500]
    tickets = Ticket.objects.filter(pk__in=chunk)
    out["tickets"] += tickets.count()
    per = tickets.annotate(
        n_clocks=Count("clocks", distinct=True),
        n_customer=Count("messages", filter=Q(messages__author_kind=AuthorKind.CUSTOMER),
                         distinct=True),
        n_ack=Count("messages", filter=Q(messages__author_kind=AuthorKind.SYSTEM), distinct=True),
    ).values_list("pk", "n_clocks", "n_customer", "n_ack")
    events = dict(
        ((t, k), n) for t, k, n in TimelineEvent.objects.filter(ticket_id__in=chunk)
        .values("ticket_id", "kind").annotate(n=Count("id")).values_list("ticket_id", "kind", "n")
    )
    clocks = list(Clock.objects.filter(ticket_id__in=chunk).values_list("pk", "version"))
    keys = [f"{kind}:{pk}:v{v}" for pk, v in clocks for kind in ("sla.warning", "sla.breach")]
    acks = [f"ack:{pk}" for pk in chunk]
    out["clocks"] += len(clocks)
    found_keys = set(Job.objects.filter(key__in=keys).values_list("key", flat=True))
    out["timer_jobs"] += len(found_keys)
    out["outbox_emails"] += OutboxMessage.objects.filter(
        idempotency_key__in=acks, transport="email").count()
    out["outbox_jobs"] += Job.objects.filter(key__in=[f"outbox:{k}" for k in acks]).count()
    for pk, n_clocks, n_customer, n_ack in per:
        created = events.get((pk, EventKind.CREATED), 0)
        started = events.get((pk, EventKind.CLOCK_STARTED), 0)
        acked = events.get((pk, EventKind.ACKNOWLEDGED), 0)
        out["customer_messages"] += n_customer
        out["ack_messages"] += n_ack
        out["created_events"] += created
        out["clock_started_events"] += started
        out["ack_events"] += acked
        out["tickets_without_clock"] += n_clocks == 0
        out["tickets_incomplete"] += not (
            n_clocks >= 1 and n_customer == expected.get(pk, 1) and n_ack == 1 and created == 1
            and started == n_clocks and acked == 1
        )
print(json.dumps(out))
"""


# ------------------------------------------------------------------------------ helpers


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _python(script: str, env: dict[str, str], *args: str, stdin: str = "") -> Any:
    return _run_json([sys.executable, "-c", script, *args], env, stdin)


def _run_json(command: list[str], env: dict[str, str], stdin: str = "") -> Any:
    """Run a helper; the JSON on its last line of output."""
    done = subprocess.run(
        command, input=stdin, env=env, capture_output=True, text=True, cwd=ROOT, check=False
    )
    if done.returncode:
        raise SystemExit(f"bench intake: helper failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@contextmanager
def _database(kind: str, tmp: Path, app: str = "soporte") -> Iterator[dict[str, str]]:
    """The environment of a fresh database of ``kind`` for ``app``; PostgreSQL's is dropped
    afterwards."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOPORTE_", "DATABASE_"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(
        SOPORTE_DATA_DIR=str(tmp),
        SOPORTE_SECRET_KEY="bench-intake-" + "x" * 40,
        SOPORTE_EMAIL_BACKEND="file",
        SOPORTE_LOG_LEVEL="WARNING",
        # This checkout's soporte, whichever one the virtualenv's editable install points at.
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    )
    if kind == "sqlite":
        yield env
        return
    import psycopg

    name = f"{app}_bench_{os.getpid()}"
    admin = PG_ADMIN
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = admin.rsplit("/", 1)[0] + "/" + name
    try:
        yield env
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def soporte_server(env: dict[str, str], log: Path) -> Iterator[tuple[str, int]]:
    """``soporte serve`` as production runs it (gunicorn ``WORKERS`` × ``THREADS`` and the
    embedded job worker): its base URL once it answers, and its process id."""
    port = _free_port()
    command = [str(BIN / "soporte"), "serve", "--port", str(port)]
    command += ["--workers", str(WORKERS), "--threads", str(THREADS)]
    with _server(command, port, env, log) as served:
        yield served


@contextmanager
def _server(
    command: list[str], port: int, env: dict[str, str], log: Path
) -> Iterator[tuple[str, int]]:
    """The server ``command`` listening on ``port``; its base URL once ``/healthz`` answers 200,
    and its process id."""
    with log.open("wb") as out:
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                if proc.poll() is not None:
                    raise SystemExit(f"bench intake: server exited:\n{log.read_text()[-3000:]}")
                try:
                    if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit(f"bench intake: no /healthz:\n{log.read_text()[-3000:]}")
                time.sleep(0.2)
            yield base, proc.pid
        finally:
            proc.terminate()  # gunicorn stops its workers, soporte serve its job worker
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _processes() -> dict[int, tuple[int, str, float, float]]:
    """Every live process: its parent, its name, its user + system CPU seconds and those of its
    children that ended (``/proc``)."""
    ticks = os.sysconf("SC_CLK_TCK")
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        f = stat[stat.rindex(")") + 2 :].split()
        own, ended = (int(f[11]) + int(f[12])) / ticks, (int(f[13]) + int(f[14])) / ticks
        found[int(entry.name)] = (int(f[1]), name, own, ended)
    return found


def _tree_cpu_s(root: int) -> float:
    """CPU seconds of ``root`` and its live descendants."""
    processes = _processes()
    total = 0.0
    for pid, (_, _, cpu, _) in processes.items():
        p = pid
        while p > 1 and p != root:
            p = processes.get(p, (0, "", 0.0, 0.0))[0]
        if p == root:
            total += cpu
    return total


def _postgres_cpu_s() -> float:
    """CPU seconds of the PostgreSQL server: its live processes, and the backends that ended
    (counted in their parent's children time). Anything else using the server counts too."""
    processes = _processes()
    total = 0.0
    for parent, name, cpu, ended in processes.values():
        if name == "postgres":
            total += cpu
            if processes.get(parent, (0, ""))[1] != "postgres":  # the postmaster
                total += ended
    return total


def _loadgen(job: dict[str, Any], module: str = "bench.loadgen") -> dict[str, Any]:
    """Run the load generator ``module`` on ``job`` (JSON in, JSON out) in its own process."""
    done = subprocess.run(
        [sys.executable, "-m", module],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"bench: load generator {module} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _percentile(sorted_values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return float("nan")
    rank = max(1, min(len(sorted_values), round(q / 100 * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


def _soporte_complete(counts: dict[str, int], made: int) -> bool:
    return (
        counts["tickets"] == made
        and counts["tickets_incomplete"] == 0
        and counts["outbox_emails"] == made
        and counts["outbox_jobs"] == made
        and counts["timer_jobs"] == 2 * counts["clocks"]
    )


def _peer_complete(counts: dict[str, int], made: int) -> bool:
    return counts["tickets"] == counts["followups"] == counts["emailed"] == made


def _level_figures(out: dict[str, Any], counts: dict[str, int], complete: bool) -> dict[str, Any]:
    lat = sorted(out["latencies"])
    return {
        "concurrency": out["concurrency"],
        "timed_tickets": len(out["ids"]),
        "warmup_tickets": len(out["warmup_ids"]),
        "failures": len(out["failures"]),
        "failure_examples": out["failures"][:5],
        "wall_s": out["wall_s"],
        "loadgen_cpu_ms_per_ticket": out["loadgen_cpu_s"] / max(1, len(out["ids"])) * 1e3,
        # The server's processes, and the PostgreSQL server's (0 on SQLite), warm-up included.
        "server_cpu_ms_per_ticket": out["server_cpu_s"] / max(1, _made(out)) * 1e3,
        "database_cpu_ms_per_ticket": out["database_cpu_s"] / max(1, _made(out)) * 1e3,
        "tickets_per_s": len(out["ids"]) / out["wall_s"],
        "mean_ms": statistics.fmean(lat) * 1e3 if lat else float("nan"),
        "p50_ms": _percentile(lat, 50) * 1e3,
        "p95_ms": _percentile(lat, 95) * 1e3,
        "p99_ms": _percentile(lat, 99) * 1e3,
        "max_ms": lat[-1] * 1e3 if lat else float("nan"),
        "committed": counts,
        "all_committed": complete and not out["failures"],
    }


def _made(out: dict[str, Any]) -> int:
    return len(out["ids"]) + len(out["warmup_ids"])


def _levels(
    job: dict[str, Any],
    pid: int,
    verify: Callable[[list[int]], dict[str, int]],
    complete: Callable[[dict[str, int], int], bool],
) -> list[dict[str, Any]]:
    """Run every concurrency level of ``job`` against the server ``pid``: each level's figures,
    with the counts ``verify`` makes of its tickets and whether they are ``complete``."""
    levels = []
    for c in LEVELS:
        cpu, database_cpu = _tree_cpu_s(pid), _postgres_cpu_s()
        out = _loadgen(job | {"concurrency": c})
        out["server_cpu_s"] = _tree_cpu_s(pid) - cpu
        out["database_cpu_s"] = _postgres_cpu_s() - database_cpu
        counts = verify(out["warmup_ids"] + out["ids"])
        levels.append(_level_figures(out, counts, complete(counts, _made(out))))
    return levels


def _job(kind: str, url: str, contacts: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "url": url,
        "contacts": contacts,
        "warmup": WARMUP,
        "count": COUNT,
        "budget_s": BUDGET_S,
        "seed": SEED,
        "run": f"{kind}-{os.getpid()}",
    }


def run_database(kind: str, peer_python: Path | None) -> dict[str, Any]:
    """soporte's levels, then (with its venv's ``peer_python``) the peer's, on fresh databases."""
    tmp = Path(tempfile.mkdtemp(prefix=f"soporte-bench-intake-{kind}-"))
    try:
        with _database(kind, tmp) as env:
            with soporte_server(env, tmp / "serve.log") as (base, pid):
                seeded = _python(SEED_SCRIPT, env, str(ORGS_PER_PLAN), str(CONTACTS_PER_ORG))
                job = _job(kind, base, seeded["contacts"]) | {"token": seeded["token"]}
                levels = _levels(
                    job,
                    pid,
                    lambda ids: _python(VERIFY_SCRIPT, env, stdin=json.dumps(ids)),
                    _soporte_complete,
                )
            database = "sqlite (WAL)" if kind == "sqlite" else _pg_version(env)
        peer_levels = None
        if peer_python is not None:
            with _database(kind, tmp, app="helpdesk") as base_env:
                peer_env = peer.environment(base_env, tmp / "peer")
                seeded_peer = _run_json(peer.module_command(peer_python, "seed"), peer_env)
                verify = peer.module_command(peer_python, "verify")
                port = _free_port()
                command = peer.command(peer_python, port, WORKERS, THREADS)
                with _server(command, port, peer_env, tmp / "peer.log") as (base, pid):
                    job = _job(kind, base, seeded["contacts"]) | seeded_peer
                    peer_levels = _levels(
                        job | {"target": "helpdesk"},
                        pid,
                        lambda ids: _run_json(verify, peer_env, json.dumps(ids)),
                        _peer_complete,
                    )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"database": database, "levels": levels, "peer_levels": peer_levels}


def _pg_version(env: dict[str, str]) -> str:
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return f"postgresql {str(row[0]).split()[0] if row else '?'}"


# ---------------------------------------------------------------------------- the run


def _git() -> dict[str, Any]:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout

    dirty = [line[3:] for line in git("status", "--porcelain", "--", "src").splitlines()]
    return {"commit": git("rev-parse", "HEAD").strip(), "uncommitted_app_files": dirty}


def _ratios(db: dict[str, Any]) -> list[dict[str, Any]]:
    """soporte / peer at each concurrency: tickets/s (higher is better) and p99 (lower is)."""
    return [
        {
            "concurrency": ours["concurrency"],
            "tickets_per_s": ours["tickets_per_s"] / theirs["tickets_per_s"],
            "p99": ours["p99_ms"] / theirs["p99_ms"],
        }
        for ours, theirs in zip(db["levels"], db["peer_levels"] or (), strict=False)
    ]


def _relative_floors(kind: str, db: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's floors as ratios to the peer measured alongside (not judged without it)."""
    top = next((r for r in db["ratios"] if r["concurrency"] == PEER["concurrency"]), None)
    rate = top["tickets_per_s"] if top else float("nan")
    p99 = top["p99"] if top else float("nan")
    return [
        {
            "floor": f"{kind}: ≥ {FLOOR_RATE_RATIO:.1f}× {PEER['name']}'s tickets/s at "
            f"concurrency 16 ({FLOOR_RATE:.0f}/{PEER['tickets_per_s']:.0f})",
            "value": rate,
            "bound": FLOOR_RATE_RATIO,
            "met": rate >= FLOOR_RATE_RATIO if top else None,
        },
        {
            "floor": f"{kind}: p99 ≤ {FLOOR_P99_RATIO:.1f}× {PEER['name']}'s at concurrency 16 "
            f"({FLOOR_P99_MS:.0f}/{PEER['p99_ms']:.0f} ms)",
            "value": p99,
            "bound": FLOOR_P99_RATIO,
            "met": p99 <= FLOOR_P99_RATIO if top else None,
        },
    ]


def run(kinds: Sequence[str] = ("sqlite", "postgresql")) -> dict[str, Any]:
    t_start = time.perf_counter()
    load_before = os.getloadavg()
    score_before = machine.score()
    try:
        peer_python: Path | None = peer.python()
        peer_missing = ""
    except peer.PeerUnavailableError as exc:
        peer_python, peer_missing = None, str(exc)
    databases = {kind: run_database(kind, peer_python) for kind in kinds}
    floors = []
    for kind, db in databases.items():
        db["ratios"] = _ratios(db)
        top = next(lv for lv in db["levels"] if lv["concurrency"] == PEER["concurrency"])
        floors += [
            {
                "floor": f"{kind}: ≥ {FLOOR_RATE:.0f} tickets/s at concurrency 16",
                "value": top["tickets_per_s"],
                "bound": FLOOR_RATE,
                "met": top["tickets_per_s"] >= FLOOR_RATE,
            },
            {
                "floor": f"{kind}: p99 ≤ {FLOOR_P99_MS:.0f} ms at concurrency 16",
                "value": top["p99_ms"],
                "bound": FLOOR_P99_MS,
                "met": top["p99_ms"] <= FLOOR_P99_MS,
            },
            {
                "floor": f"{kind}: every ticket committed with clocks, timeline, acknowledgement",
                "value": float(sum(lv["committed"]["tickets"] for lv in db["levels"])),
                "bound": float(
                    sum(lv["timed_tickets"] + lv["warmup_tickets"] for lv in db["levels"])
                ),
                "met": all(lv["all_committed"] for lv in db["levels"]),
            },
            *_relative_floors(kind, db),
        ]
    return {
        "benchmark": "intake",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            # The bench shares the machine: a load average well above the CPU count means
            # other work ran alongside and the figures are low.
            "load_average_before": load_before[0],
            "load_average_after": os.getloadavg()[0],
            # Taken at both ends of the run: the lower is the machine's own speed, the other
            # shows how much sharing slowed pure Python meanwhile.
            "score_s_before": score_before,
            "score_s_after": machine.score(),
        },
        "code": _git(),
        "workload": {
            "levels": list(LEVELS),
            "warmup_per_level": WARMUP,
            "timed_per_level": COUNT,
            "budget_s_per_level": BUDGET_S,
            "server": f"soporte serve --workers {WORKERS} --threads {THREADS} "
            "(gunicorn gthread + embedded job worker, debug off, email to files)",
            "load_generator": "bench.loadgen in its own process; one thread and one "
            "keep-alive http.client connection per concurrent caller",
            "seed": {"orgs_per_plan": ORGS_PER_PLAN, "contacts_per_org": CONTACTS_PER_ORG},
        },
        "peer": {
            "name": peer.NAME,
            "version": peer.version(),
            "measured_here": peer_python is not None,
            "unavailable": peer_missing,
            "server": f"gunicorn gthread --workers {WORKERS} --threads {THREADS} (debug off, "
            "POST /api/tickets/ with DRF token auth, the new-ticket email to files)",
        },
        "peer_reference": PEER,
        "databases": databases,
        "floors": floors,
        "runtime_s": time.perf_counter() - t_start,
    }


def main() -> bool:
    """Run, print, save; True when every floor is met."""
    chosen = os.environ.get("BENCH_INTAKE_DATABASES", "sqlite,postgresql")
    kinds = [k.strip() for k in chosen.split(",") if k.strip()]
    results = run(kinds)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(intake_report.report(results, RESULTS))
    return all(fl["met"] is True for fl in results["floors"])


if __name__ == "__main__":
    sys.exit(0 if main() else 1)

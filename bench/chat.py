"""The live chat beside the API: 200 open widgets while tickets pour in through the API.

The real server (``soporte serve``, gunicorn gthread, ``WORKERS`` × ``THREADS``, the embedded
job worker; a fresh SQLite file, or PostgreSQL with ``BENCH_CHAT_DB=postgres``) is started and
seeded as the intake bench does it (:mod:`bench.intake`'s helpers). First the API intake load
alone (:mod:`bench.loadgen`, concurrency 4, ``INTAKE_S`` seconds): tickets/s. Then
:mod:`bench.chatload` opens ``WIDGETS`` widgets, each sending a message every ``EVERY_S``
seconds and long-polling, the agent side answering each through the API, an agent's console
long-polling ``WATCHED`` of the chats; once they are all open, the same intake load runs again.
Reported: agent → customer and customer → agent latencies (p50, p95) and the API's tickets/s
with and without the chat load, against the issue's floors (p95 ≤ 1 s; tickets/s falls by at
most 20 %). Figures go to stdout and ``bench/results/chat.json``.

The machine's share: between the ramp and the second intake run, ``CHAT_ALONE_S`` seconds of
chat load alone measure the CPU it takes (cores: the server's processes, PostgreSQL's, and the
load generator's own process, which in production runs in the customers' browsers), beside
the CPU the intake load alone used. When the intake alone keeps the machine busy, the chats'
cores are taken from it: ``chat cores ÷ intake cores`` is the least drop this machine allows,
split into the load generator's part (the bench sharing the machine) and the server's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import intake

WIDGETS = int(os.environ.get("BENCH_CHAT_WIDGETS", "200"))
EVERY_S = 10.0
WATCHED = 20
RAMP_S = 10.0
CHAT_ALONE_S = 15.0
INTAKE_S = 30.0
WORKERS = 2
THREADS = int(os.environ.get("BENCH_CHAT_THREADS", "128"))
SECRET = "bench-chat-secret"
FLOOR_P95_S = 1.0
FLOOR_DROP = 0.20
RESULTS = Path(__file__).with_name("results") / "chat.json"

SESSION_SCRIPT = """
from soporte.config.runtime import setup_django
setup_django()
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from soporte.accounts import services as acc
agent = acc.create_agent(email="chat-agent@bench.example", name="Chat agent", tier="T1")
session = SessionStore()
session[SESSION_KEY] = str(agent.user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = agent.user.get_session_auth_hash()
session.create()
print(json.dumps({"session": session.session_key}))
"""


def _intake(base: str, seeded: dict[str, Any], tag: str, server: int) -> tuple[float, float]:
    """The API intake's tickets/s at concurrency 4, and the cores it kept busy (the server's,
    PostgreSQL's and its load generator's CPU seconds per second)."""
    job = intake._job(tag, base, seeded["contacts"]) | {
        "token": seeded["token"],
        "concurrency": 4,
        "count": 100_000,
        "warmup": 50,
        "budget_s": INTAKE_S,
    }
    cpu = intake._tree_cpu_s(server) + intake._postgres_cpu_s()
    out = intake._loadgen(job)
    used = intake._tree_cpu_s(server) + intake._postgres_cpu_s() - cpu + out["loadgen_cpu_s"]
    return len(out["ids"]) / out["wall_s"], used / out["wall_s"]


def _chat_cores(server: int, load: int) -> tuple[float, float]:
    """The cores the chat load alone keeps busy for ``CHAT_ALONE_S`` seconds: the desk's
    (server and PostgreSQL) and the load generator's (process ``load``)."""
    desk, gen = intake._tree_cpu_s(server) + intake._postgres_cpu_s(), intake._tree_cpu_s(load)
    start = time.monotonic()
    time.sleep(CHAT_ALONE_S)
    wall = time.monotonic() - start
    desk = intake._tree_cpu_s(server) + intake._postgres_cpu_s() - desk
    return desk / wall, (intake._tree_cpu_s(load) - gen) / wall


def _chat_load(
    base: str, seeded: dict[str, Any], session: str, duration: float, tmp: Path
) -> subprocess.Popen[str]:
    job = {
        "url": base,
        "secret": SECRET,
        "contacts": seeded["contacts"],
        "widgets": WIDGETS,
        "watched": WATCHED,
        "every_s": EVERY_S,
        "ramp_s": RAMP_S,
        "duration_s": duration,
        "token": seeded["token"],
        "session": session,
    }
    path = tmp / "chatload.json"
    path.write_text(json.dumps(job))
    with path.open() as stdin:
        return subprocess.Popen(
            [sys.executable, "-m", "bench.chatload"],
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=intake.ROOT,
        )


def _figures(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "count": len(ordered),
        "p50_ms": intake._percentile(ordered, 50) * 1e3,
        "p95_ms": intake._percentile(ordered, 95) * 1e3,
        "max_ms": (ordered[-1] if ordered else float("nan")) * 1e3,
    }


def run(kind: str) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix=f"soporte-bench-chat-{kind}-"))
    with intake._database(kind, tmp) as env:
        env["SOPORTE_CHAT_SECRET"] = SECRET
        port = intake._free_port()
        command = [str(intake.BIN / "soporte"), "serve", "--port", str(port)]
        command += ["--workers", str(WORKERS), "--threads", str(THREADS)]
        with intake._server(command, port, env, tmp / "serve.log") as (base, server):
            seeded = intake._python(
                intake.SEED_SCRIPT, env, str(intake.ORGS_PER_PLAN), str(intake.CONTACTS_PER_ORG)
            )
            session = intake._python(SESSION_SCRIPT, env)["session"]
            alone, intake_cores = _intake(base, seeded, f"chat-alone-{kind}", server)
            length = RAMP_S + 10 + CHAT_ALONE_S + INTAKE_S + 15
            proc = _chat_load(base, seeded, session, length, tmp)
            time.sleep(RAMP_S + 10)  # every widget open and sending
            desk_cores, gen_cores = _chat_cores(server, proc.pid)
            beside, _ = _intake(base, seeded, f"chat-beside-{kind}", server)
            out, err = proc.communicate(timeout=180)
            if proc.returncode:
                raise SystemExit(f"bench chat: chat load failed:\n{err[-3000:]}")
            load = json.loads(out)
    to_customer, to_agent = _figures(load["to_customer"]), _figures(load["to_agent"])
    drop = 1 - beside / alone if alone else float("nan")
    return {
        "database": kind,
        "widgets": WIDGETS,
        "workers": WORKERS,
        "threads": THREADS,
        "agent_to_customer": to_customer,
        "customer_to_agent": to_agent,
        "intake_alone_tickets_per_s": alone,
        "intake_beside_chat_tickets_per_s": beside,
        "intake_drop": drop,
        "cores": os.cpu_count(),
        "intake_alone_cores": intake_cores,
        "chat_alone_desk_cores": desk_cores,
        "chat_alone_loadgen_cores": gen_cores,
        "least_drop_loadgen": gen_cores / intake_cores,
        "least_drop_desk": desk_cores / intake_cores,
        "failures": len(load["failures"]),
        "failure_examples": load["failures"][:5],
        "floors_met": to_customer["p95_ms"] <= FLOOR_P95_S * 1e3
        and to_agent["p95_ms"] <= FLOOR_P95_S * 1e3
        and drop <= FLOOR_DROP
        and not load["failures"],
    }


def main() -> bool:
    kind = os.environ.get("BENCH_CHAT_DB", "sqlite")
    result = run(kind)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    a, c = result["agent_to_customer"], result["customer_to_agent"]
    print(f"chat ({kind}, {WIDGETS} widgets, {WORKERS} workers × {THREADS} threads)")
    for name, f in (("agent → customer", a), ("customer → agent", c)):
        print(
            f"  {name}: n={f['count']} p50 {f['p50_ms']:.0f} ms, p95 {f['p95_ms']:.0f} ms "
            f"(floor p95 ≤ {FLOOR_P95_S * 1e3:.0f} ms), max {f['max_ms']:.0f} ms"
        )
    print(
        f"  API intake at concurrency 4: {result['intake_alone_tickets_per_s']:.1f} tickets/s "
        f"alone, {result['intake_beside_chat_tickets_per_s']:.1f} beside the chats "
        f"(drop {result['intake_drop'] * 100:.1f} %, floor ≤ {FLOOR_DROP * 100:.0f} %)"
    )
    print(
        f"  CPU: the intake alone kept {result['intake_alone_cores']:.2f} of {result['cores']} "
        f"cores busy; the chats alone take {result['chat_alone_desk_cores']:.2f} cores of the "
        f"desk (server + database) and {result['chat_alone_loadgen_cores']:.2f} of the load "
        f"generator: least drop on this machine {result['least_drop_loadgen'] * 100:.1f} % "
        f"(load generator) + {result['least_drop_desk'] * 100:.1f} % (the desk's chat work)"
    )
    print(f"  failures: {result['failures']} {result['failure_examples']}")
    print(f"  floors {'met' if result['floors_met'] else 'MISSED'}")
    return bool(result["floors_met"])

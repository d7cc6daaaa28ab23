"""Time to page: from a P0 ticket's creation to a (local, fake) PagerDuty receiving the
trigger, while the desk takes ordinary tickets, on SQLite and PostgreSQL.

For each database the bench starts ``soporte serve`` as production runs it (gunicorn plus the
embedded job worker), with ``SOPORTE_PAGERDUTY_EVENTS_BASE`` pointing at a PagerDuty Events API
v2 stand-in served by this process (it answers 202 and records when each dedup key arrives). It
seeds a rotation of three T3 agents (someone is on call), then, while the load generator
(:mod:`bench.loadgen`, its own process) sends ordinary tickets at concurrency 4:

- ``P0S`` P0 tickets through ``POST /api/tickets``, a few per second: the latency of each is
  from sending the request to the trigger of its primary step arriving;
- ``STEPS`` P0 tickets received 9 min 55 s ago (``received_at``), so that their secondary
  step (10 min without acknowledgement) comes due 5 s later: the lateness of each is from that
  due time to the secondary's trigger arriving.

Goals (issue 4): p99 time to page under 2 s; an acknowledgement-timeout step within 5 s of its
due time. Figures go to stdout and ``bench/results/paging.json``.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from bench import intake, loadgen

P0S = 200
STEPS = 50
LOAD_CONCURRENCY = 4
ROUTING_KEY = "0123456789abcdef0123456789abcdef"
GOAL_P99_S = 2.0
GOAL_STEP_S = 5.0
RESULTS = Path(__file__).with_name("results") / "paging.json"

SEED_ROTATION = """
from datetime import timedelta
from soporte.config.runtime import setup_django
setup_django()
from django.utils import timezone
from soporte.accounts import services as accounts
from soporte.oncall.services import create_rotation
crew = [accounts.create_agent(email=f"sre{n}@bench.example", name=f"SRE {n}", tier="T3",
                              role="agent") for n in range(3)]
create_rotation(name="Plataforma", members=crew, starts_at=timezone.now() - timedelta(days=1),
                now=timezone.now())
print("{}")
"""


class _Arrivals:
    """A PagerDuty Events API v2 stand-in: 202 to every event, arrival time per dedup key."""

    def __init__(self) -> None:
        self.at: dict[str, float] = {}
        self.lock = threading.Lock()
        arrivals = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                now = time.monotonic()
                key = json.loads(body).get("dedup_key", "")
                with arrivals.lock:
                    arrivals.at.setdefault(key, now)
                answer = json.dumps({"status": "success", "dedup_key": key}).encode()
                self.send_response(202)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def wait_for(self, keys: Sequence[str], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if all(k in self.at for k in keys):
                    return
            time.sleep(0.05)


@contextmanager
def _desk(kind: str, arrivals: _Arrivals) -> Iterator[tuple[str, dict[str, Any]]]:
    tmp = Path(tempfile.mkdtemp(prefix=f"soporte-bench-paging-{kind}-"))
    try:
        with intake._database(kind, tmp) as env:
            env.update(
                SOPORTE_PAGERDUTY_ROUTING_KEY=ROUTING_KEY,
                SOPORTE_PAGERDUTY_EVENTS_BASE=arrivals.url,
            )
            with intake.soporte_server(env, tmp / "serve.log") as (base, _pid):
                seeded = intake._python(
                    intake.SEED_SCRIPT, env, str(intake.ORGS_PER_PLAN), str(intake.CONTACTS_PER_ORG)
                )
                intake._python(SEED_ROTATION, env)
                yield base, seeded
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _p0(contact: dict[str, Any], n: int, received_at: datetime | None = None) -> bytes:
    body: dict[str, Any] = {
        "subject": f"Plataforma caída {n}",
        "body": "Ninguna máquina reporta ventas.",
        "severity": "P0",
        "channel": "email",
        "requester_id": contact["id"],
    }
    if received_at is not None:
        body["received_at"] = received_at.isoformat()
    return json.dumps(body).encode()


def run_database(kind: str) -> dict[str, Any]:
    arrivals = _Arrivals()
    with _desk(kind, arrivals) as (base, seeded):
        headers = {"Authorization": f"Bearer {seeded['token']}", "Content-Type": "application/json"}
        contacts = seeded["contacts"]
        job = {
            "url": base,
            "token": seeded["token"],
            "contacts": contacts,
            "concurrency": LOAD_CONCURRENCY,
            "warmup": 0,
            "count": 100_000,
            "budget_s": 0,
            "seed": 1,
            "run": f"paging-{kind}",
        }
        bodies = loadgen.make_bodies(job, 20_000, "load")
        stop_load = threading.Event()
        load_done: list[int] = []

        def background_load() -> None:
            # Ordinary tickets (their few P0s page too, like real traffic) until told to stop.
            i = 0
            with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
                while not stop_load.is_set() and i < len(bodies):
                    client.post("/api/tickets", content=bodies[i])
                    i += 1
            load_done.append(i)

        loaders = [threading.Thread(target=background_load) for _ in range(LOAD_CONCURRENCY)]
        for t in loaders:
            t.start()
        sent: dict[str, float] = {}
        step_due: dict[str, float] = {}
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            time.sleep(2)  # the load is running
            for n in range(STEPS):  # their secondary step comes due 5 s from now
                at = datetime.now(UTC) - timedelta(minutes=9, seconds=55)
                answer = client.post(
                    "/api/tickets", content=_p0(contacts[n % len(contacts)], n, at)
                )
                page = client.get(f"/api/tickets/{answer.json()['id']}/page").json()
                key = f"soporte-page-{page['id']}-step-1"
                step_due[key] = (
                    time.monotonic()
                    + (
                        datetime.fromisoformat(page["next_step_at"]) - datetime.now(UTC)
                    ).total_seconds()
                )
            for n in range(P0S):
                started = time.monotonic()
                answer = client.post("/api/tickets", content=_p0(contacts[n % len(contacts)], n))
                page = client.get(f"/api/tickets/{answer.json()['id']}/page").json()
                sent[f"soporte-page-{page['id']}-step-0"] = started
                time.sleep(0.1)
        arrivals.wait_for([*sent, *step_due], timeout=60)
        stop_load.set()
        for t in loaders:
            t.join()
    to_page = sorted(arrivals.at[k] - t for k, t in sent.items() if k in arrivals.at)
    late = sorted(arrivals.at[k] - t for k, t in step_due.items() if k in arrivals.at)
    return {
        "database": kind,
        "background_tickets": sum(load_done),
        "pages": len(sent),
        "paged": len(to_page),
        "p50_s": statistics.median(to_page) if to_page else float("nan"),
        "p99_s": intake._percentile(to_page, 99),
        "max_s": to_page[-1] if to_page else float("nan"),
        "steps": len(step_due),
        "steps_fired": len(late),
        "step_p50_s": statistics.median(late) if late else float("nan"),
        "step_max_s": late[-1] if late else float("nan"),
    }


def main() -> bool:
    chosen = os.environ.get("BENCH_PAGING_DATABASES", "sqlite,postgresql")
    runs = [run_database(k.strip()) for k in chosen.split(",") if k.strip()]
    met = all(
        r["paged"] == r["pages"]
        and r["steps_fired"] == r["steps"]
        and r["p99_s"] < GOAL_P99_S
        and r["step_max_s"] <= GOAL_STEP_S
        for r in runs
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"runs": runs, "met": met}, indent=2) + "\n", encoding="utf-8")
    print(f"paging: {P0S} P0 tickets under a background load of {LOAD_CONCURRENCY} callers")
    for r in runs:
        print(
            f"  {r['database']:<10} time to page p50 {r['p50_s'] * 1e3:.0f} ms, p99 "
            f"{r['p99_s'] * 1e3:.0f} ms, max {r['max_s'] * 1e3:.0f} ms ({r['paged']}/{r['pages']} "
            f"paged; {r['background_tickets']} ordinary tickets alongside); secondary step "
            f"{r['step_p50_s']:.2f} s median, {r['step_max_s']:.2f} s at worst after its due time "
            f"({r['steps_fired']}/{r['steps']})"
        )
    print(
        f"  goals: p99 < {GOAL_P99_S:.0f} s, a step within {GOAL_STEP_S:.0f} s of its due time: "
        + ("MET" if met else "NOT MET")
    )
    return met


if __name__ == "__main__":
    sys.exit(0 if main() else 1)

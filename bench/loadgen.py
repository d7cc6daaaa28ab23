"""The intake load generator, run in its own process: ``python -m bench.loadgen < job.json``.

The job (JSON on stdin) names the target (``"soporte"``, the default, or ``"helpdesk"``, the
django-helpdesk peer), the server, the API token, the contacts to open tickets for, how many
tickets to send as a warm-up and then timed, the concurrency and a seed (and, for the peer, its
queue). Both targets get the same tickets in the same order, timed the same way. Every request
body is built before the clock starts. ``concurrency`` threads each own one keep-alive
``http.client.HTTPConnection`` (the standard library's, the lightest client: the generator shares
the machine's CPUs with the server) and take the next ticket from a shared counter until none
is left (or the job's ``budget_s`` has passed: a slow desk still finishes in bounded time); each
request's latency is measured from sending the request to reading the whole answer. The answer
(JSON on stdout): per-request latencies (s) of the timed tickets, the wall time and the
generator's own CPU time of the timed part, the ids of every ticket made (warm-up included), and
any failures.

Bodies are what agents and integrations send on behalf of a contact: mixed severities (mostly P2
and P3, a few P0) and channels (email first), a requester by id or by email, some of the seven
intake fields, an ``external_id`` for channel messages. django-helpdesk's ``POST /api/tickets/``
(DRF, ``Authorization: Token ...``) takes the same ticket in its own shape: a title, a
description (the body, then the intake fields as lines), the contact's email as submitter, a
priority for the severity (P0 is 1, its most urgent) and the queue.
"""

from __future__ import annotations

import http.client
import itertools
import json
import random
import sys
import threading
import time
from typing import Any
from urllib.parse import urlsplit

SEVERITIES = (("P0", 2), ("P1", 13), ("P2", 45), ("P3", 40))
CHANNELS = (
    ("email", 50),
    ("portal", 20),
    ("chat", 10),
    ("whatsapp", 8),
    ("slack", 7),
    ("phone", 5),
)
SUBJECTS = (
    "Vending machine {n} shows offline in the dashboard",
    "No puedo descargar el reporte de ventas de la ruta {n}",
    "Telemetry gap on cooler {n} since this morning",
    "La app de repartidor no sincroniza el inventario ({n})",
    "Card reader declines every payment on machine {n}",
    "Planograma de la máquina {n} no se guarda",
    "Price change did not reach machine {n}",
    "Error 500 al exportar la conciliación {n}",
)
PARAGRAPHS = (
    "Since about 9:40 this morning the machine stops reporting sales to the dashboard, "
    "although the customers say it is selling normally.",
    "Desde ayer en la tarde el equipo aparece como desconectado; ya reiniciamos el módem "
    "y sigue igual. Tenemos tres rutas afectadas.",
    "We changed the price of two products in the planogram and the machine still charges "
    "the old price. The change shows as applied in the console.",
    "Al intentar exportar el reporte de conciliación la página se queda cargando y luego "
    "muestra un error. Probamos con Chrome y Firefox.",
    "The driver app crashes when scanning the QR code of the machine; it happens with every "
    "driver on Android 14.",
    "Necesitamos que lo revisen hoy: es la máquina con más ventas de la plaza.",
)
BROWSERS = ("Chrome 126 / Windows 11", "Safari 17 / macOS 14", "Firefox 127 / Ubuntu 24.04", "")
URLS = (
    "https://app.trackmyvend.example/machines/{n}",
    "https://app.trackmyvend.example/reports/sales?route={n}",
    "",
)


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def make_body(rng: random.Random, contact: dict[str, Any], tag: str) -> dict[str, Any]:
    """One realistic ``POST /api/tickets`` body for ``contact`` (``{"id", "email", "org"}``)."""
    n = rng.randrange(100, 99_999)
    channel = _weighted(rng, CHANNELS)
    body: dict[str, Any] = {
        "subject": rng.choice(SUBJECTS).format(n=n),
        "body": "\n\n".join(rng.sample(PARAGRAPHS, rng.randint(1, 3))),
        "severity": _weighted(rng, SEVERITIES),
        "channel": channel,
    }
    if rng.random() < 0.8:
        body["requester_id"] = contact["id"]
    else:
        body["requester_email"] = contact["email"]
    intake: dict[str, str] = {}
    if rng.random() < 0.5:
        intake["organisation_id"] = contact["org"]
    if rng.random() < 0.6:
        intake["url"] = rng.choice(URLS).format(n=n)
    if rng.random() < 0.4:
        intake["expected"] = "The machine reports every sale within a minute."
        intake["actual"] = "No sales reported since 09:40; the machine is selling."
    if rng.random() < 0.5:
        intake["browser_os"] = rng.choice(BROWSERS)
    if rng.random() < 0.4:
        intake["started_at"] = "today 09:40 America/Mexico_City"
    if rng.random() < 0.5:
        intake["still_happening"] = rng.choice(("yes", "no"))
    if intake:
        body["intake"] = intake
    if channel in ("email", "whatsapp", "slack"):
        body["external_id"] = f"<{tag}@{channel}.bench>"
    return body


def helpdesk_body(body: dict[str, Any], contact: dict[str, Any], queue: int) -> dict[str, Any]:
    """The same ticket as django-helpdesk's ticket API takes it."""
    intake = "".join(f"\n{k}: {v}" for k, v in body.get("intake", {}).items())
    return {
        "queue": queue,
        "title": body["subject"],
        "description": body["body"] + ("\n" + intake if intake else ""),
        "submitter_email": contact["email"],
        "priority": int(body["severity"][1]) + 1,
    }


def make_bodies(job: dict[str, Any], count: int, phase: str) -> list[bytes]:
    rng = random.Random(f"{job['seed']}:{job['concurrency']}:{phase}")
    bodies = []
    for i in range(count):
        contact = rng.choice(job["contacts"])
        body = make_body(rng, contact, f"{job['run']}-c{job['concurrency']}-{phase}-{i}")
        if job.get("target") == "helpdesk":
            body = helpdesk_body(body, contact, job["queue"])
        bodies.append(json.dumps(body).encode())
    return bodies


def endpoint(job: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """The ticket-create path and the request headers of the job's target."""
    if job.get("target") == "helpdesk":
        path, auth = "/api/tickets/", f"Token {job['token']}"
    else:
        path, auth = "/api/tickets", f"Bearer {job['token']}"
    return path, {"Authorization": auth, "Content-Type": "application/json"}


def fire(
    job: dict[str, Any], bodies: list[bytes], budget_s: float = 0
) -> tuple[list[float], list[int], list[str], float]:
    """Send every body with the job's concurrency; latencies (s), ticket ids, failures, wall.

    With a ``budget_s``, no new request starts once that many seconds have passed."""
    concurrency = job["concurrency"]
    path, headers = endpoint(job)
    counter = itertools.count()
    latencies: list[float] = []
    ids: list[int] = []
    failures: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(concurrency + 1)
    deadline = [float("inf")]

    address = urlsplit(job["url"])
    host, port = address.hostname or "127.0.0.1", address.port or 80

    def run() -> None:
        mine_lat: list[float] = []
        mine_ids: list[int] = []
        mine_fail: list[str] = []
        c = http.client.HTTPConnection(host, port, timeout=60)
        c.request("GET", "/healthz")  # open the keep-alive connection before the clock starts
        c.getresponse().read()
        start.wait()
        for i in counter:
            if i >= len(bodies) or (budget_s and time.perf_counter() > deadline[0]):
                break
            t0 = time.perf_counter()
            try:
                c.request("POST", path, body=bodies[i], headers=headers)
                r = c.getresponse()
                answer = r.read()
            except (OSError, http.client.HTTPException) as exc:
                mine_fail.append(f"{type(exc).__name__}: {exc}")
                c.close()  # reconnects on the next request
                continue
            mine_lat.append(time.perf_counter() - t0)
            if r.status == 201:
                mine_ids.append(json.loads(answer)["id"])
            else:
                mine_fail.append(f"{r.status}: {answer[:200]!r}")
        c.close()
        with lock:
            latencies.extend(mine_lat)
            ids.extend(mine_ids)
            failures.extend(mine_fail)

    threads = [threading.Thread(target=run, daemon=True) for _ in range(concurrency)]
    for t in threads:
        t.start()
    t0 = time.perf_counter()
    deadline[0] = t0 + budget_s
    start.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    return latencies, ids, failures, time.perf_counter() - t0


def main() -> int:
    job = json.load(sys.stdin)
    c = job["concurrency"]
    warm = make_bodies(job, job["warmup"], "warmup")
    timed = make_bodies(job, job["count"], "timed")
    _, warm_ids, warm_fail, _ = fire(job, warm)
    cpu = time.process_time()
    latencies, ids, failures, wall = fire(job, timed, job.get("budget_s", 0))
    cpu = time.process_time() - cpu
    json.dump(
        {
            "concurrency": c,
            "warmup_ids": warm_ids,
            "ids": ids,
            "latencies": latencies,
            "wall_s": wall,
            "loadgen_cpu_s": cpu,
            "failures": warm_fail + failures,
        },
        sys.stdout,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

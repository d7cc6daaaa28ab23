"""Similar-ticket suggestions: quality on the labelled set, latency with 1,000,000 tickets.

``python -m bench similar [--tickets N]`` (default 1,000,000, as ``bench.scale``). For each database
(``BENCH_SIMILAR_DATABASES``, default ``sqlite``; add ``postgresql`` for database
``soporte_bench_similar`` on ``SOPORTE_BENCH_PG``) a child process with the production settings
migrates a fresh database and:

1. loads the labelled set (``tests/feedback/data``: 207 earlier tickets in Spanish and English
   with a later paraphrase each, and distractors) with ``tickets.bulk.load``, then measures, for
   every paraphrase, whether its earlier ticket is among the first five suggestions (hit@5),
   precision@5 and the mean reciprocal rank, for the shipped ranking and its alternatives
   (other rapidfuzz scorers, the index's order alone, rapidfuzz alone) and for the peer: a
   scan, ``rapidfuzz.process.extract`` over every earlier ticket's words;
2. loads ``N`` tickets whose texts are the labelled set's, varied (machine numbers, extra
   sentences), spread over the past year, and the paraphrases as today's tickets; then times
   ``feedback.recurrence_selectors.similar_tickets`` (what the ticket page shows) and ``GET
   /api/tickets/{id}/similar`` (Django's test client), ``REQUESTS`` each after ``WARMUP``:
   p50/p95/p99 ms; beside them the scan over the 180-day window's rows.

Floor (issue 12 §3): suggestions p95 ≤ 150 ms at 1,000,000 tickets. Figures go to
``bench/results/similar.json``.
"""

from __future__ import annotations

import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bench.scale import _tickets_argument, run_child

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).with_name("results") / "similar.json"
PG_NAME = "soporte_bench_similar"
WARMUP = 20
REQUESTS = 200
SCANS = 5
P95_FLOOR_MS = 150.0
SEED = 20261206
EXTRAS = [
    "Ya reiniciamos la máquina y sigue igual.",
    "Es urgente, es nuestra máquina con más ventas.",
    "Adjunto captura de pantalla.",
    "We already restarted it and nothing changed.",
    "This is our busiest location.",
    "Screenshot attached.",
    "",
    "",
]


# ------------------------------------------------------------------------ the parent


def main() -> bool:
    tickets = _tickets_argument(sys.argv[1:])
    chosen = os.environ.get("BENCH_SIMILAR_DATABASES", "sqlite")
    started = time.perf_counter()
    runs: dict[str, Any] = {}
    results: dict[str, Any] = {}
    for database in (d.strip() for d in chosen.split(",") if d.strip()):
        print(f"similar: {database}, {tickets:,} tickets", flush=True)
        runs[database] = run_child("bench.similar", database, tickets, pg_name=PG_NAME)
        results = {
            "tickets": tickets,
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
            "databases": runs,
            "floors": [
                {
                    "floor": f"{db}: suggestions p95 ≤ {P95_FLOOR_MS:.0f} ms",
                    "value": r["suggestions"]["p95_ms"],
                    "met": r["suggestions"]["p95_ms"] <= P95_FLOOR_MS,
                }
                for db, r in runs.items()
            ],
            "runtime_s": time.perf_counter() - started,
        }
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
        print(report(results), flush=True)
    return all(f["met"] for f in results.get("floors", []))


def report(r: dict[str, Any]) -> str:
    lines = [
        f"similar: {r['tickets']:,} tickets (Python {r['machine']['python']}, "
        f"{r['machine']['cpus']} CPUs)"
    ]
    for database, d in r["databases"].items():
        lines += ["", f"{database}:", f"  labelled set: {d['labelled']['pairs']} pairs (es, en)"]
        for name, q in d["labelled"]["rankings"].items():
            lines.append(
                f"    {name:<34} hit@5 {q['hit_at_5']:.3f}  precision@5 {q['precision_at_5']:.3f}"
                f"  MRR {q['mrr']:.3f}"
            )
        load = d["load"]
        lines.append(
            f"  load: {load['tickets']:,} tickets in {load['seconds']:.0f} s "
            f"({load['tickets'] / load['seconds']:,.0f}/s, index included); "
            f"{d['window_rows']:,} in the 180-day window"
        )
        for label, key in (("suggestions", "suggestions"), ("API similar", "api")):
            f = d[key]
            lines.append(
                f"  {label:<12} p50 {f['p50_ms']:7.2f}  p95 {f['p95_ms']:7.2f}  "
                f"p99 {f['p99_ms']:7.2f} ms  ({f['n']} requests)"
            )
        scan = d["scan"]
        lines.append(
            f"  peer, rapidfuzz.process.extract scan of the window: p50 {scan['p50_ms']:.0f} ms "
            f"({scan['n']} scans): {scan['p50_ms'] / d['suggestions']['p50_ms']:.0f}× the index"
        )
    lines += ["", "floors (issue 12 §3):"]
    lines += [
        f"  {'MET    ' if f['met'] else 'NOT MET'}  {f['floor']}: {f['value']:,.2f}"
        for f in r["floors"]
    ]
    lines.append(f"(ran in {r['runtime_s']:.0f} s; results in bench/results/similar.json)")
    return "\n".join(lines)


# ------------------------------------------------------------------------ the child


def child(tickets: int, out: Path) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    sys.path.insert(0, str(ROOT / "tests" / "feedback"))
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    now = timezone.now()
    world = _seed()
    figures: dict[str, Any] = {"labelled": _labelled(world, now)}
    figures.update(_at_scale(world, tickets, now))
    out.write_text(json.dumps(figures, default=str), encoding="utf-8")


def _seed() -> dict[str, Any]:
    from soporte.accounts import services as accounts
    from soporte.accounts.models import Contact

    agent = accounts.create_agent(
        email="t1@trackmyvend.example", name="T1", tier="T1", role="agent"
    )
    for n in range(50):
        org = accounts.create_organisation(name=f"Org {n}", plan="pro")
        accounts.create_contact(organisation=org, email=f"c@org{n}.example", name=f"C {n}")
    contacts = list(Contact.objects.select_related("user", "organisation__csm").order_by("pk"))
    return {"agent": agent, "contacts": contacts}


def _labelled(world: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The labelled set, loaded a month ago, ranked every way."""
    from django.db import transaction
    from rapidfuzz import fuzz, process
    from similar_labelled import load, measure, pairs

    from soporte.feedback import recurrence_selectors, similarity
    from soporte.feedback.domain import ranking, wording
    from soporte.feedback.models import TicketWording
    from soporte.tickets.models import Ticket

    with transaction.atomic():
        loaded = load(world["contacts"], start=now - timedelta(days=30))
        user = world["agent"].user
        tickets = Ticket.objects.in_bulk(loaded.paraphrases)
        entries = TicketWording.objects.in_bulk(loaded.paraphrases)
        every = list(TicketWording.objects.order_by("opened_at", "ticket_id"))

        def shipped(number: int) -> list[int]:
            found = recurrence_selectors.similar_tickets(user, tickets[number], limit=10, now=now)
            return [s.ticket.pk for s in found]

        def reranked(scorer: Any, weight: float) -> Callable[[int], list[int]]:
            def suggest(number: int) -> list[int]:
                entry = entries[number]
                found = similarity.candidates(
                    similarity.stems_of(entry),
                    before=(entry.opened_at, number),
                    since=now - wording.WINDOW,
                )
                ranked = ranking.rank(
                    entry.words, found, limit=10, scorer=scorer, index_weight=weight
                )
                return [s.number for s in ranked]

            return suggest

        def scan(number: int) -> list[int]:
            entry = entries[number]
            earlier = [w for w in every if (w.opened_at, w.ticket_id) < (entry.opened_at, number)]
            found = process.extract(
                entry.words, [w.words for w in earlier], scorer=fuzz.token_set_ratio, limit=10
            )
            return [earlier[i].ticket_id for _, _, i in found]

        rankings = {
            "shipped (index + token_set_ratio)": shipped,
            "index + WRatio": reranked(fuzz.WRatio, ranking.INDEX_WEIGHT),
            "index + token_sort_ratio": reranked(fuzz.token_sort_ratio, ranking.INDEX_WEIGHT),
            "index + partial_token_set_ratio": reranked(
                fuzz.partial_token_set_ratio, ranking.INDEX_WEIGHT
            ),
            "index order alone (bm25/ts_rank)": reranked(fuzz.token_set_ratio, 1.0),
            "index, then token_set_ratio alone": reranked(fuzz.token_set_ratio, 0.0),
            "peer: rapidfuzz scan, token_set_ratio": scan,
        }
        figures = {name: vars_of(measure(loaded, suggest)) for name, suggest in rankings.items()}
        transaction.set_rollback(True)  # the scale part starts from an empty desk
    return {"pairs": len(pairs()), "rankings": figures}


def vars_of(figures: Any) -> dict[str, float]:
    return {k: getattr(figures, k) for k in ("hit_at_5", "precision_at_5", "mrr")}


def _texts() -> list[str]:
    from similar_labelled import distractors, pairs

    every = pairs()
    return (
        [p.earlier for p in every]
        + [f"{p.paraphrase} | {p.paraphrase}" for p in every]
        + (distractors())
    )


def _specs(world: dict[str, Any], n: int, now: datetime) -> Iterator[Any]:
    from soporte.tickets.bulk import TicketSpec

    rng = random.Random(SEED)
    texts = _texts()
    contacts = world["contacts"]
    year = timedelta(days=365)
    for i in range(n):
        subject, _, body = rng.choice(texts).partition(" | ")
        extra = rng.choice(EXTRAS)
        yield TicketSpec(
            requester=contacts[i % len(contacts)],
            channel="portal",
            severity="P3",
            subject=f"{subject} ({rng.randrange(1, 900)})",
            body=f"{body} {extra}".strip(),
            received_at=now - year + (year - timedelta(days=2)) * (i / n),
        )


def _at_scale(world: dict[str, Any], n: int, now: datetime) -> dict[str, Any]:
    from django.test import Client
    from rapidfuzz import fuzz, process
    from similar_labelled import load

    from soporte.accounts.services import create_token
    from soporte.feedback import recurrence_selectors
    from soporte.feedback.domain import wording
    from soporte.feedback.models import TicketWording
    from soporte.tickets import bulk
    from soporte.tickets.models import Ticket

    started = time.perf_counter()
    last = [started]

    def tick(done: int) -> None:
        if time.perf_counter() - last[0] >= 15:
            last[0] = time.perf_counter()
            print(f"  loaded {done:,}/{n:,} in {last[0] - started:.0f} s", flush=True)

    bulk.load(_specs(world, n, now), progress=tick, now=now)
    seconds = time.perf_counter() - started
    loaded = load(world["contacts"], start=now - timedelta(days=9))  # earlier + today's asks
    _analyze()
    user = world["agent"].user
    asks = Ticket.objects.in_bulk(loaded.paraphrases)
    order = [asks[k] for k in loaded.paraphrases]
    rng = random.Random(SEED)

    def suggestions() -> float:
        ticket = rng.choice(order)
        t0 = time.perf_counter()
        recurrence_selectors.similar_tickets(user, ticket, limit=5, now=now)
        return (time.perf_counter() - t0) * 1000

    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(agent=world['agent'], name='b')[1]}")

    def api() -> float:
        ticket = rng.choice(order)
        t0 = time.perf_counter()
        response = client.get(f"/api/tickets/{ticket.pk}/similar?limit=5")
        assert response.status_code == 200, response.content
        return (time.perf_counter() - t0) * 1000

    window = list(
        TicketWording.objects.filter(opened_at__gte=now - wording.WINDOW).values_list(
            "words", flat=True
        )
    )

    def scan() -> float:
        words = TicketWording.objects.get(ticket=rng.choice(order)).words
        t0 = time.perf_counter()
        process.extract(words, window, scorer=fuzz.token_set_ratio, limit=5)
        return (time.perf_counter() - t0) * 1000

    return {
        "load": {"tickets": n, "seconds": seconds},
        "window_rows": len(window),
        "suggestions": _timed(suggestions, REQUESTS),
        "api": _timed(api, REQUESTS),
        "scan": _timed(scan, SCANS, warmup=1),
    }


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _timed(run: Callable[[], float], n: int, *, warmup: int = WARMUP) -> dict[str, float]:
    for _ in range(warmup):
        run()
    samples = sorted(run() for _ in range(n))
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"n": n, "p50_ms": cuts[49], "p95_ms": cuts[94], "p99_ms": cuts[98]}


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(int(sys.argv[2]), Path(sys.argv[3]))
    else:
        sys.exit(0 if main() else 1)

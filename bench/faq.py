"""The pinned FAQs' weekly count (``kb.faq.count_week``) at a realistic week.

``python -m bench faq [--tickets N]`` (default 3,000 tickets solved at T1 in the week): a child
process with the production settings migrates a fresh SQLite database (``BENCH_FAQ_DATABASES``
adds ``postgresql``), loads ten times ``N`` earlier tickets over the 180 days before (the
similar-ticket index's window; texts from the labelled set, varied as ``bench.similar`` does),
then the week's ``N`` tickets, solves them all, answers a third with an article, counts the
week before (so questions carry over), and times the week's count (``RUNS`` runs: a recount
replaces). Beside it, the peer: for the week's first ``PEER_TICKETS`` tickets, a rapidfuzz scan
(``process.extractOne``) of every earlier ticket's words in the window, per ticket.
Figures go to ``bench/results/faq.json``.
"""

from __future__ import annotations

import json
import os
import platform
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bench.scale import run_child
from bench.similar import EXTRAS, SEED, _seed, _texts

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).with_name("results") / "faq.json"
PG_NAME = "soporte_bench_faq"
DEFAULT_TICKETS = 3_000
RUNS = 3
PEER_TICKETS = 100


def main() -> bool:
    args = sys.argv[1:]
    tickets = int(args[args.index("--tickets") + 1]) if "--tickets" in args else DEFAULT_TICKETS
    runs = {
        database: run_child("bench.faq", database, tickets, pg_name=PG_NAME)
        for database in os.environ.get("BENCH_FAQ_DATABASES", "sqlite").split(",")
    }
    results = {
        "week_tickets": tickets,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "databases": runs,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    for database, r in runs.items():
        per_ticket = r["count_s"] * 1000 / tickets
        print(
            f"faq ({database}): {tickets:,} tickets solved at T1 in the week, "
            f"{r['earlier']:,} earlier; count_week median {r['count_s']:.1f} s "
            f"({per_ticket:.1f} ms/ticket), {r['questions']:,} questions; "
            f"peer rapidfuzz scan {r['peer_ms']:.1f} ms/ticket "
            f"({r['peer_ms'] / per_ticket:.1f}x)"
        )
    return True


def child(tickets: int, out: Path) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    sys.path.insert(0, str(ROOT / "tests" / "feedback"))  # the labelled set's texts
    call_command("migrate", verbosity=0)
    out.write_text(json.dumps(_measure(tickets)), encoding="utf-8")


def _measure(n: int) -> dict[str, Any]:
    from django.db.models import F
    from rapidfuzz import fuzz, process

    from soporte.feedback.domain.weeks import span, week_of
    from soporte.feedback.models import TicketWording
    from soporte.kb import faq
    from soporte.kb.models import Article, ArticleUse, Category, QuestionWeek
    from soporte.kb.questions import SAME_QUESTION, solved_at_t1, zone
    from soporte.tickets import bulk
    from soporte.tickets.bulk import TicketSpec
    from soporte.tickets.models import Ticket

    world = _seed()
    now = datetime.fromisoformat("2026-12-07T12:00:00-06:00")
    week = week_of(now, zone()).shifted(-1)
    start, end = span(week, zone())
    rng = random.Random(SEED)
    texts = _texts()
    earlier = 10 * n
    window = timedelta(days=180)

    def spec(i: int, at: datetime) -> TicketSpec:
        subject, _, body = rng.choice(texts).partition(" | ")
        return TicketSpec(
            requester=world["contacts"][i % len(world["contacts"])],
            channel="portal",
            severity="P3",
            subject=f"{subject} ({rng.randrange(1, 900)})",
            body=f"{body} {rng.choice(EXTRAS)}".strip(),
            received_at=at,
        )

    history = (
        spec(i, start - window + (window - timedelta(days=1)) * i / earlier) for i in range(earlier)
    )
    bulk.load(history, now=start)
    numbers = bulk.load((spec(i, start + (end - start) * i / n) for i in range(n)), now=end)
    Ticket.objects.update(status="solved", solved_at=F("opened_at") + timedelta(minutes=30))
    shelf = Category.objects.create(name_es="G", name_en="G", slug_es="g", slug_en="g-en")
    articles = [
        Article.objects.create(category=shelf, language="es", title=f"A{k}", slug=f"a{k}",
                               body="x", status="published", created_at=now, updated_at=now)
        for k in range(20)
    ]  # fmt: skip
    ArticleUse.objects.bulk_create(
        ArticleUse(ticket_id=t, article=rng.choice(articles), at=start) for t in numbers[::3]
    )
    faq.count_week(week=week.shifted(-1), now=now)
    seconds = []
    for _ in range(RUNS):
        began = time.perf_counter()
        faq.count_week(week=week, now=now)
        seconds.append(time.perf_counter() - began)
    words = dict(TicketWording.objects.values_list("ticket_id", "words"))
    asks = list(solved_at_t1(week).order_by("opened_at", "pk").values_list("pk", flat=True))
    pool = [words[pk] for pk in words if pk < asks[0]]
    began = time.perf_counter()
    for pk in asks[:PEER_TICKETS]:
        process.extractOne(
            words[pk], pool, scorer=fuzz.token_set_ratio, score_cutoff=SAME_QUESTION * 100
        )
    peer_ms = (time.perf_counter() - began) * 1000 / PEER_TICKETS
    return {
        "earlier": earlier,
        "count_s": statistics.median(seconds),
        "count_runs_s": seconds,
        "questions": QuestionWeek.objects.filter(week=str(week)).count(),
        "peer_ms": peer_ms,
    }


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(int(sys.argv[2]), Path(sys.argv[3]))
    else:
        sys.exit(0 if main() else 1)

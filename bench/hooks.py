"""The providers' webhooks under load beside the API intake (issue 11: each webhook's p99 time
to answer under 50 requests/s of mixed channel traffic with the intake bench running; goal
p99 ≤ 200 ms, every message committed once).

The real server (``soporte serve``, ``intake.WORKERS`` × ``intake.THREADS``, the embedded job
worker; a fresh SQLite file, or PostgreSQL with ``BENCH_HOOKS_DB=postgres``) with WhatsApp,
Slack and Twilio secrets set and no provider reachable (what the desk sends out waits in the
outbox). Seeded as the intake bench (:mod:`bench.intake`), plus one Slack Connect channel linked
to a Pro organisation and its 50 writers known (no ``users.info`` lookup). Then, at once, the
API intake load at concurrency 4 (:mod:`bench.loadgen`) and ``RATE`` signed webhook requests a
second for ``DURATION_S`` (:mod:`bench.hookload`: WhatsApp messages and emergency calls from
unknown numbers, Slack top-level messages, in turn). After the job worker has drained, the
database is asked how many messages each provider id made: exactly one each. Figures go to
stdout and ``bench/results/hooks.json``.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench import intake

RATE = float(os.environ.get("BENCH_HOOKS_RATE", "50"))
DURATION_S = float(os.environ.get("BENCH_HOOKS_S", "30"))
THREADS = 16
GOAL_P99_S = 0.200
RESULTS = Path(__file__).with_name("results") / "hooks.json"
SECRETS = {
    "SOPORTE_WHATSAPP_APP_SECRET": "bench-whatsapp-app-secret",
    "SOPORTE_WHATSAPP_VERIFY_TOKEN": "bench-verify",
    "SOPORTE_WHATSAPP_PHONE_NUMBER_ID": "106540352242922",
    "SOPORTE_SLACK_SIGNING_SECRET": "bench-slack-signing-secret",
    "SOPORTE_TWILIO_AUTH_TOKEN": "bench-twilio-auth-token",
    "SOPORTE_TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
}
TEAM, CHANNEL = "TBENCH", "CBENCH"

SLACK_SCRIPT = """
import json, sys
from soporte.config.runtime import setup_django
setup_django()
from django.utils import timezone
from soporte.accounts.models import Contact, Organisation
from soporte.channels.slack.models import SlackChannel, SlackPerson
org = Organisation.objects.filter(plan="pro", unidentified=False).order_by("pk").first()
contacts = list(Contact.objects.filter(organisation=org).order_by("pk"))
channel = SlackChannel.objects.create(
    team_id=sys.argv[1], channel_id=sys.argv[2], name="bench", organisation=org,
    created_at=timezone.now(),
)
for n in range(50):
    SlackPerson.objects.create(
        user_id=f"UBENCH{n:03d}", organisation=org, contact=contacts[n % len(contacts)]
    )
print(json.dumps({"organisation": str(org.pk)}))
"""

# How many messages each provider id made (the worker has filed the Slack events by then).
COUNT_SCRIPT = """
import json, sys
from collections import Counter
from soporte.config.runtime import setup_django
setup_django()
from soporte.tickets.models import Message
from soporte.jobs.models import Job
ids = json.load(sys.stdin)
sent = {hook: set(values) for hook, values in ids.items()}
every = set().union(*sent.values())
made = Counter(Message.objects.filter(provider_id__in=every).values_list("provider_id", flat=True))
pending = Job.objects.filter(kind__startswith="slack.", finished_at__isnull=True).count()
print(json.dumps({
    "pending_slack_jobs": pending,
    **{hook: {"sent": len(values), "once": sum(1 for v in values if made[v] == 1),
              "missing": sum(1 for v in values if made[v] == 0),
              "more": sum(1 for v in values if made[v] > 1)} for hook, values in sent.items()},
}))
"""


def _figures(out: dict[str, Any]) -> dict[str, Any]:
    ordered = sorted(out["latency_s"])
    statuses: dict[str, int] = {}
    for status in out["status"]:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    return {
        "requests": len(ordered),
        "statuses": statuses,
        **{f"p{q}_ms": intake._percentile(ordered, q) * 1e3 for q in (50, 95, 99)},
        "max_ms": (ordered[-1] if ordered else float("nan")) * 1e3,
    }


def _drained(env: dict[str, str], ids: dict[str, list[str]]) -> dict[str, Any]:
    deadline = time.monotonic() + 300
    while True:
        counts: dict[str, Any] = intake._python(COUNT_SCRIPT, env, stdin=json.dumps(ids))
        if not counts["pending_slack_jobs"] or time.monotonic() > deadline:
            return counts
        time.sleep(2)


def run(kind: str) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix=f"soporte-bench-hooks-{kind}-"))
    with intake._database(kind, tmp) as env:
        env.update(SECRETS)
        port = intake._free_port()
        env["SOPORTE_PUBLIC_URL"] = f"http://127.0.0.1:{port}"
        command = [str(intake.BIN / "soporte"), "serve", "--port", str(port)]
        command += ["--workers", str(intake.WORKERS), "--threads", str(intake.THREADS)]
        with intake._server(command, port, env, tmp / "serve.log") as (base, _):
            seeded = intake._python(
                intake.SEED_SCRIPT, env, str(intake.ORGS_PER_PLAN), str(intake.CONTACTS_PER_ORG)
            )
            intake._python(SLACK_SCRIPT, env, TEAM, CHANNEL)
            load = intake._job(f"hooks-{kind}", base, seeded["contacts"]) | {
                "token": seeded["token"],
                "concurrency": 4,
                "count": 100_000,
                "warmup": 20,
                "budget_s": DURATION_S,
            }
            beside: dict[str, Any] = {}
            api = threading.Thread(target=lambda: beside.update(intake._loadgen(load)))
            api.start()
            hooks = intake._loadgen(
                {
                    "url": base,
                    "public_url": env["SOPORTE_PUBLIC_URL"],
                    "rate": RATE,
                    "duration_s": DURATION_S,
                    "threads": THREADS,
                    "run": str(os.getpid()),
                    "epoch": time.time(),
                    "whatsapp_secret": SECRETS["SOPORTE_WHATSAPP_APP_SECRET"],
                    "whatsapp_phone_id": SECRETS["SOPORTE_WHATSAPP_PHONE_NUMBER_ID"],
                    "slack_secret": SECRETS["SOPORTE_SLACK_SIGNING_SECRET"],
                    "slack_team": TEAM,
                    "slack_channel": CHANNEL,
                    "twilio_token": SECRETS["SOPORTE_TWILIO_AUTH_TOKEN"],
                },
                module="bench.hookload",
            )
            api.join()
            counts = _drained(env, {h: hooks[h]["keys"] for h in hooks})
    figures = {hook: _figures(out) for hook, out in hooks.items()}
    intake_rate = len(beside.get("ids", [])) / beside["wall_s"] if beside.get("wall_s") else 0.0
    once = all(counts[h]["once"] == counts[h]["sent"] for h in hooks)
    return {
        "database": kind,
        "rate_per_s": RATE,
        "duration_s": DURATION_S,
        "hooks": figures,
        "committed": counts,
        "intake_beside_tickets_per_s": intake_rate,
        "goal_p99_ms": GOAL_P99_S * 1e3,
        "every_message_once": once,
        "goal_met": once
        and all(
            f["p99_ms"] <= GOAL_P99_S * 1e3 and set(f["statuses"]) == {"200"}
            for f in figures.values()
        ),
    }


def main() -> bool:
    kind = os.environ.get("BENCH_HOOKS_DB", "sqlite")
    result = run(kind)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"webhooks ({kind}, {RATE:.0f} requests/s mixed for {DURATION_S:.0f} s, API intake at "
        f"concurrency 4 beside: {result['intake_beside_tickets_per_s']:.1f} tickets/s)"
    )
    for hook, f in result["hooks"].items():
        c = result["committed"][hook]
        print(
            f"  {hook:9} n={f['requests']} p50 {f['p50_ms']:.0f} ms, p95 {f['p95_ms']:.0f} ms, "
            f"p99 {f['p99_ms']:.0f} ms (goal ≤ {GOAL_P99_S * 1e3:.0f}), max {f['max_ms']:.0f} ms;"
            f" statuses {f['statuses']}; committed once {c['once']}/{c['sent']}"
            f" (missing {c['missing']}, twice {c['more']})"
        )
    print(f"  goal {'met' if result['goal_met'] else 'MISSED'}")
    return bool(result["goal_met"])

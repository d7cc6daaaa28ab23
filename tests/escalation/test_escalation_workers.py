"""Pages exactly once with real workers: 3 worker processes, 2,000 pages whose next steps are
all due at once, one worker SIGKILLed mid-way, a local fake PagerDuty counting what arrives.

Runs on SQLite (a file database) or, with DATABASE_URL set, on a fresh PostgreSQL database.
The timings are printed, never asserted.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from fake_pagerduty import FakePagerDuty
from jobs_helpers import Database, fresh_database, soporte_bin

pytestmark = pytest.mark.slow  # starts worker processes: left out by `make test-fast`

PAGES = 2000
ROUTING_KEY = "0123456789abcdef0123456789abcdef"

SEED = """
from datetime import timedelta
from soporte.config.runtime import setup_django
setup_django()
from django.utils import timezone
from soporte.accounts import services as accounts
from soporte.oncall.services import create_rotation
from soporte.tickets import bulk
from soporte.tickets.domain.intake import Intake

org = accounts.create_organisation(name="Vending Norte", plan="enterprise")
ana = accounts.create_contact(organisation=org, email="ana@norte.example", name="Ana")
crew = [
    accounts.create_agent(email=f"sre{n}@trackmyvend.example", name=f"SRE {n}", tier="T3",
                          role="agent")
    for n in range(3)
]
create_rotation(
    name="Plataforma", members=crew, starts_at=timezone.now() - timedelta(days=3),
    now=timezone.now(),
)
# Opened 11 minutes ago: each page paged its primary then (the trigger is still to be sent)
# and its secondary step came due a minute ago.
opened = timezone.now() - timedelta(minutes=11)
bulk.load((
    bulk.TicketSpec(requester=ana, channel="email", severity="P0", subject=f"Caída {n}",
                    body="Nada funciona", received_at=opened, intake=Intake())
    for n in range(%d)
), now=timezone.now())
"""


def _start_worker(db: Database, name: str, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:  # a file: a full pipe would stall a chatty worker
        return subprocess.Popen(
            [soporte_bin(), "worker", "--name", name, "--lease", "4", "--poll", "0.1"],
            env=db.env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def test_three_workers_one_killed_every_page_reaches_pagerduty(tmp_path: Path) -> None:
    fake = FakePagerDuty()
    try:
        with fresh_database(tmp_path) as db:
            db.env.update(
                SOPORTE_PAGERDUTY_ROUTING_KEY=ROUTING_KEY,
                SOPORTE_PAGERDUTY_EVENTS_BASE=fake.base_url,
            )
            db.python(SEED % PAGES, timeout=300)
            assert db.scalar("SELECT count(*) FROM escalation_page") == PAGES
            started = time.monotonic()
            workers = {
                name: _start_worker(db, name, tmp_path / f"{name}.log")
                for name in ("w0", "w1", "w2")
            }
            try:
                sent = (
                    "SELECT count(*) FROM jobs_outboxmessage "
                    "WHERE transport = 'pagerduty' AND status = 'sent'"
                )
                db.wait_until(sent, lambda n: n >= PAGES // 4, timeout=120)
                victim = workers["w1"]
                victim.send_signal(signal.SIGKILL)
                victim.wait(timeout=10)
                killed_holding = db.scalar(
                    "SELECT count(*) FROM jobs_job WHERE status = 'running' AND locked_by = 'w1'"
                )
                db.wait_until(sent, lambda n: n == 2 * PAGES, timeout=300)
                finished = time.monotonic()
                # The acknowledgements go after every page (they are not urgent): the triggers,
                # due when each page reckoned its step, come first.
                pending = "SELECT count(*) FROM jobs_outboxmessage WHERE status = 'pending'"
                db.wait_until(pending, lambda n: n == 0, timeout=120)
            finally:
                for worker in workers.values():
                    if worker.poll() is None:
                        worker.send_signal(signal.SIGTERM)
                        worker.wait(timeout=30)
            failed = db.scalar("SELECT count(*) FROM jobs_outboxmessage WHERE status <> 'sent'")
            step_jobs = db.scalar(
                "SELECT count(*) FROM jobs_job WHERE kind = 'page.advance' AND status = 'done'"
            )
    finally:
        fake.close()

    expected = {f"soporte-page-{p}-step-{s}" for p in range(1, PAGES + 1) for s in (0, 1)}
    received = {key for key, events in fake.events.items() if events}
    posts = sum(len(events) for events in fake.events.values())
    print(
        f"\n{2 * PAGES} triggers over 3 workers (one killed holding {killed_holding} jobs) in "
        f"{finished - started:.1f} s; {posts - len(received)} re-sent after the kill"
    )
    assert fake.problems == []  # every body in the documented format
    assert received == expected  # every primary and every secondary, none missed
    assert failed == 0
    assert step_jobs == PAGES  # each page's 10-minute step ran once
    # At least once at the wire: only a trigger the killed worker had sent but not yet recorded
    # can arrive twice (PagerDuty folds it into the same incident by its dedup key).
    assert posts - len(received) <= killed_holding


def test_a_worker_rides_out_the_database_dropping_its_connections(tmp_path: Path) -> None:
    """The database goes away under the worker twice (every connection to it terminated, as in
    a restart): the worker reconnects, and every page still reaches PagerDuty."""
    if not os.environ.get("DATABASE_URL"):
        pytest.skip("needs a database server to restart (run with DATABASE_URL)")
    pages = 300
    fake = FakePagerDuty()
    try:
        with fresh_database(tmp_path) as db:
            db.env.update(
                SOPORTE_PAGERDUTY_ROUTING_KEY=ROUTING_KEY,
                SOPORTE_PAGERDUTY_EVENTS_BASE=fake.base_url,
            )
            db.python(SEED % pages, timeout=300)
            sent = (
                "SELECT count(*) FROM jobs_outboxmessage "
                "WHERE transport = 'pagerduty' AND status = 'sent'"
            )
            drop = (
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            worker = _start_worker(db, "w0", tmp_path / "w0.log")
            try:
                db.wait_until(sent, lambda n: n >= pages // 3, timeout=120)
                dropped = [db.scalar(drop)]
                db.wait_until(sent, lambda n: n >= pages, timeout=120)
                dropped.append(db.scalar(drop))
                db.wait_until(sent, lambda n: n == 2 * pages, timeout=300)
                assert worker.poll() is None, (tmp_path / "w0.log").read_text()[-3000:]
            finally:
                if worker.poll() is None:
                    worker.send_signal(signal.SIGTERM)
                    worker.wait(timeout=30)
    finally:
        fake.close()
    expected = {f"soporte-page-{p}-step-{s}" for p in range(1, pages + 1) for s in (0, 1)}
    assert {key for key, events in fake.events.items() if events} == expected
    assert all(n >= 1 for n in dropped)  # the worker's connection was among those dropped
    log = (tmp_path / "w0.log").read_text()
    assert "worker.database_error" in log  # it noticed, and carried on

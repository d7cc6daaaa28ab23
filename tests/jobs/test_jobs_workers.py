"""Real worker processes on one database: exactly once in effect, with one worker SIGKILLed.

Runs on SQLite (a file database in tmp_path) or, with DATABASE_URL set, on a fresh PostgreSQL
database (see jobs_helpers). Not a benchmark: the timings are printed, never asserted.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from jobs_helpers import Database, fresh_database, soporte_bin

pytestmark = pytest.mark.slow  # starts worker processes: left out by `make test-fast`

JOBS = 1000
SQL_DONE = "SELECT count(*) FROM jobs_job WHERE status = 'done'"


def _start_worker(db: Database, name: str, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [soporte_bin(), "worker", "--name", name, *extra],
        env=db.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _stop(worker: subprocess.Popen[str], timeout: float = 20) -> tuple[int, str]:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
    try:
        output, _ = worker.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        worker.kill()
        output, _ = worker.communicate()
        raise AssertionError(f"worker did not stop on SIGTERM:\n{output}") from None
    return worker.returncode, output


def test_three_workers_one_killed_mid_batch_every_effect_exactly_once(tmp_path: Path) -> None:
    started = time.monotonic()
    with fresh_database(tmp_path) as db:
        # Each probe job writes its effect row, then pauses inside its transaction, so that a
        # worker is almost always in the middle of a job when it is killed.
        db.seed_probes(JOBS, sleep=0.002)
        ready = time.monotonic()
        options = ("--lease", "4", "--batch", "50", "--poll", "0.1")
        workers = {name: _start_worker(db, name, *options) for name in ("w0", "w1", "w2")}
        try:
            # Kill a worker that has done some jobs and holds claims it has not finished
            # (SQLite's lock is not fair, so which worker is busy is up to the scheduler).
            victim_name = _busy_worker(db, timeout=60)
            victim = workers[victim_name]
            victim.send_signal(signal.SIGKILL)
            victim.wait(timeout=10)
            killed_at = time.monotonic()
            stranded = db.scalar(
                "SELECT count(*) FROM jobs_job WHERE status = 'running' "
                f"AND locked_by = '{victim_name}'"
            )
            done_at_kill = db.scalar(SQL_DONE)

            db.wait_until(SQL_DONE, lambda n: n == JOBS, timeout=60)
            finished = time.monotonic()
        finally:
            outputs = {}
            for name, worker in workers.items():
                if worker.poll() is not None:  # the victim
                    outputs[name] = (worker.returncode, worker.communicate()[0])
                else:
                    outputs[name] = _stop(worker)

        survivors = sorted(set(workers) - {victim_name})
        for name in survivors:
            code, output = outputs[name]
            assert code == 0, output
            assert "Traceback" not in output, output
        assert outputs[victim_name][0] == -signal.SIGKILL

        # Every job done; every effect exactly once; none missing.
        assert db.query("SELECT status, count(*) FROM jobs_job GROUP BY status") == [("done", JOBS)]
        assert db.scalar("SELECT count(*) FROM probeapp_probeeffect") == JOBS
        assert (
            db.query(
                "SELECT key, count(*) FROM probeapp_probeeffect GROUP BY key HAVING count(*) <> 1"
            )
            == []
        )
        assert (
            db.scalar(
                "SELECT count(*) FROM jobs_job j WHERE NOT EXISTS "
                "(SELECT 1 FROM probeapp_probeeffect e WHERE e.key = j.key)"
            )
            == 0
        )
        # Each effect was written by the worker that completed the job, on that attempt.
        assert (
            db.scalar(
                "SELECT count(*) FROM jobs_job j JOIN probeapp_probeeffect e ON e.key = j.key "
                "WHERE e.worker <> j.locked_by OR e.attempt <> j.attempts"
            )
            == 0
        )
        # The kill stranded claims; the survivors took them over once the lease expired.
        assert stranded > 0
        taken_over = db.scalar(
            f"SELECT count(*) FROM jobs_job WHERE attempts > 1 AND locked_by <> '{victim_name}'"
        )
        assert taken_over >= stranded
        by_worker = dict(
            db.query("SELECT worker, count(*) FROM probeapp_probeeffect GROUP BY worker")
        )
        assert by_worker[victim_name] > 0

    print(
        f"\n[{db.vendor}] {JOBS} jobs, 3 workers, {victim_name} killed with {stranded} claims "
        "stranded "
        f"({done_at_kill} done at the kill): all done {finished - ready:.1f} s after seeding, "
        f"{finished - killed_at:.1f} s after the kill (lease 4 s); effects by worker {by_worker}; "
        f"test total {time.monotonic() - started:.1f} s"
    )


def _busy_worker(db: Database, *, timeout: float) -> str:
    """Once 150 jobs are done, a worker with 20 of them and at least 5 claims running now."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        running = dict(
            db.query(
                "SELECT locked_by, count(*) FROM jobs_job WHERE status = 'running' "
                "GROUP BY locked_by"
            )
        )
        done = dict(db.query("SELECT worker, count(*) FROM probeapp_probeeffect GROUP BY worker"))
        if sum(done.values()) < 150:
            time.sleep(0.02)
            continue
        for name, claims in sorted(running.items()):
            if claims >= 5 and done.get(name, 0) >= 20:
                return str(name)
        time.sleep(0.02)
    raise AssertionError("no worker was ever mid-batch")


def test_worker_once_runs_what_is_due_and_exits(tmp_path: Path) -> None:
    with fresh_database(tmp_path) as db:
        db.seed_probes(7, prefix="once")

        done = db.soporte("worker", "--once", "--name", "solo")

        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout.strip().splitlines()[-1]) == {"worker": "solo", "ran": 7}
        assert db.scalar(SQL_DONE) == 7
        assert db.scalar("SELECT count(*) FROM probeapp_probeeffect WHERE worker = 'solo'") == 7


def test_worker_stops_cleanly_on_sigterm_and_releases_nothing_half_done(tmp_path: Path) -> None:
    with fresh_database(tmp_path) as db:
        db.seed_probes(400, prefix="slow", sleep=0.01)
        worker = _start_worker(db, "w", "--batch", "400")
        db.wait_until("SELECT count(*) FROM probeapp_probeeffect", lambda n: n >= 10, timeout=30)

        code, output = _stop(worker)

        assert code == 0, output
        assert '"worker.stopped"' in output or "worker.stopped" in output
        # The jobs it had claimed but not started went back to pending, attempt undone.
        assert db.scalar("SELECT count(*) FROM jobs_job WHERE status = 'running'") == 0
        done = db.scalar(SQL_DONE)
        assert 0 < done < 400
        assert db.scalar("SELECT count(*) FROM probeapp_probeeffect") == done
        assert (
            db.scalar("SELECT count(*) FROM jobs_job WHERE status = 'pending' AND attempts = 0")
            == 400 - done
        )


def test_serve_runs_the_embedded_worker_and_stops_it(tmp_path: Path) -> None:
    from socket import socket

    with fresh_database(tmp_path) as db:
        db.seed_probes(3, prefix="served")
        with socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen(
            [soporte_bin(), "serve", "--port", str(port), "--workers", "1", "--threads", "2"],
            env=db.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            db.wait_until(SQL_DONE, lambda n: n == 3, timeout=60)
            assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                output, _ = server.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                output, _ = server.communicate()
        assert server.returncode == 0, output
        line = next(li for li in output.splitlines() if li.startswith("soporte: job worker "))
        name = line.split()[3]
        pid = int(line.rsplit("pid ", 1)[1].rstrip(")"))
        assert name.startswith("embedded-")
        assert db.scalar("SELECT DISTINCT worker FROM probeapp_probeeffect") == name
        assert not _alive(pid), f"the embedded worker {pid} outlived soporte serve"


def test_serve_no_worker_starts_none(tmp_path: Path) -> None:
    from socket import socket

    with fresh_database(tmp_path) as db:
        with socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen(
            [soporte_bin(), "serve", "--no-worker", "--port", str(port), "--workers", "1"],
            env=db.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline
                    assert server.poll() is None
                    time.sleep(0.2)
        finally:
            server.send_signal(signal.SIGTERM)
            output, _ = server.communicate(timeout=30)
        assert "job worker" not in output


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead too
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False

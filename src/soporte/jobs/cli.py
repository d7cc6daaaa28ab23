"""``soporte worker``: run due jobs and timers until stopped (SIGTERM or SIGINT)."""

from __future__ import annotations

import argparse
import json
import signal
import threading
from datetime import timedelta
from typing import Any

DEFAULT_BATCH = 20
"""``soporte.jobs.services.DEFAULT_BATCH``, repeated: this module is imported before Django is
set up (tests/jobs check that the two agree)."""


def register(subparsers: Any) -> None:
    worker = subparsers.add_parser(
        "worker",
        help="run due jobs and timers (several may run against the same database)",
        description="Run due jobs and timers until SIGTERM or SIGINT; with --once, until "
        "none is due. Several workers may share a database.",
    )
    worker.add_argument("--name", help="worker name, unique per process (default: host-pid)")
    worker.add_argument("--once", action="store_true", help="run what is due now, then exit")
    worker.add_argument(
        "--batch",
        type=_positive_int,
        default=DEFAULT_BATCH,
        help=f"jobs claimed at a time (default {DEFAULT_BATCH})",
    )
    worker.add_argument(
        "--lease",
        type=_positive_float,
        default=60.0,
        help="seconds before another worker may take over a claimed job (default 60)",
    )
    worker.add_argument(
        "--poll",
        type=_positive_float,
        default=0.25,
        help="seconds between polls when idle (default 0.25)",
    )
    worker.add_argument("--parent-pid", type=int, help=argparse.SUPPRESS)
    worker.set_defaults(func=run, needs_django=True)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a positive whole number, got {text!r}"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value


def run(args: argparse.Namespace) -> int:
    from soporte.jobs.worker import default_name, run_worker

    name = args.name or default_name()
    stop = threading.Event()

    def request_stop(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    ran = run_worker(
        name=name,
        stop_event=stop,
        poll_interval=args.poll,
        batch=args.batch,
        lease=timedelta(seconds=args.lease),
        once=args.once,
        parent_pid=args.parent_pid,
    )
    if args.once:
        print(json.dumps({"worker": name, "ran": ran}))
    return 0

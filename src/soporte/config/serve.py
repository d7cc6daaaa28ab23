"""``soporte serve`` (migrate, collect static files, run gunicorn) and Django passthroughs.

Unless ``--no-worker``, ``serve`` also starts the embedded job worker: a child process
``soporte worker --name embedded-<host>-<pid>`` started after the migrations and stopped when
gunicorn stops (it also stops by itself if ``serve`` dies). It is never run inside the gunicorn
workers, which may be recycled, killed on timeout, or be several.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication

THREADS = 128
"""Default threads per web process. A chat widget's long-poll holds a thread up to 25 s while
it waits (waiting costs memory, no CPU and no database connection): 2 workers × 128 hold 200
open widgets beside the API's requests (``bench/chat.py``)."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = subparsers.add_parser(
        "serve",
        help="migrate, then serve the web app with gunicorn",
        description="Apply migrations, collect static files and serve soporte with gunicorn.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to bind (default 8000)")
    serve.add_argument(
        "--workers", type=_positive, default=2, help="web worker processes (default 2)"
    )
    serve.add_argument(
        "--threads",
        type=_positive,
        default=THREADS,
        help=f"threads per process (default {THREADS}: each open chat widget holds one in its "
        "long-poll, docs/channels-chat.md)",
    )
    serve.add_argument(
        "--no-worker",
        action="store_true",
        help="do not run the in-process job worker (for scale-out; run `soporte worker`)",
    )
    serve.add_argument(
        "--demo",
        action="store_true",
        help="load the demo desk first if the database is empty, and serve the chat's demo "
        "host page /chat/demo/ (what `make run` does)",
    )
    serve.set_defaults(func=run_serve, needs_django=True)

    migrate = subparsers.add_parser(
        "migrate", help="apply database migrations (Django's migrate)", add_help=False
    )
    migrate.set_defaults(func=_passthrough("migrate"), needs_django=True, passthrough=True)

    createsuperuser = subparsers.add_parser(
        "createsuperuser", help="create an admin user (Django's createsuperuser)", add_help=False
    )
    createsuperuser.set_defaults(
        func=_passthrough("createsuperuser"), needs_django=True, passthrough=True
    )


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text}")
    return value


def _passthrough(command: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["soporte", command, *args.rest])
        return 0

    return run


def run_serve(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", interactive=False, verbosity=1)
    call_command("collectstatic", interactive=False, verbosity=0)
    if args.demo:
        from soporte.demo import world

        settings.SOPORTE_DEMO = True  # /chat/demo/ (the gunicorn workers fork from here)

        if world.is_empty():
            world.print_signins(world.seed(now=timezone.now()))

    from soporte.config.wsgi import application
    from soporte.policy import default_policy
    from soporte.public import default_to_bind

    policy = default_policy()
    host = f"[{args.host}]" if ":" in args.host else args.host
    base = f"http://{host}:{args.port}"
    public = default_to_bind(args.host, args.port)  # before the worker starts: it inherits it
    database = settings.DATABASES["default"]
    print(f"soporte: policy {policy.name!r} {policy.version} ({policy.source})")
    print(f"soporte: database {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}")
    print(f"soporte: serving on {base}/")
    print(f"soporte:   sign in {base}/login/")
    print(f"soporte:   console {base}/console/   (agents)")
    print(f"soporte:   portal  {base}/portal/    (customers)")
    print(f"soporte:   API     {base}/api/docs")
    print(f"soporte:   health  {base}/healthz")
    print(f"soporte:   admin   {base}/admin/")
    if args.demo:
        print(f"soporte:   chat    {base}/chat/demo/  (the widget on a demo host page)")
    print(f"soporte: links in emails start with {public}/ (SOPORTE_PUBLIC_URL)")
    worker = None
    if not args.no_worker:
        name = f"embedded-{socket.gethostname()}-{os.getpid()}"
        worker = start_embedded_worker(name)
        print(f"soporte: job worker {name} (pid {worker.pid})")
    sys.stdout.flush()

    options = {
        "bind": f"{host}:{args.port}",
        "workers": args.workers,
        "threads": args.threads,
        "worker_class": "gthread",
        "accesslog": "-",
        "errorlog": "-",
        "timeout": 60,
        "graceful_timeout": 20,
        "proc_name": "soporte",
        "forwarded_allow_ips": os.environ.get("SOPORTE_FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
    }
    _close_connections()  # gunicorn forks the workers from here
    try:
        _Gunicorn(application, options).run()
    finally:  # gunicorn leaves through sys.exit
        if worker is not None:
            stop_embedded_worker(worker)
    return 0


def _close_connections() -> None:
    """Close this process's database connections and its PostgreSQL pool: a forked worker
    would inherit a pool whose threads did not survive the fork, and wait for ever for a
    connection (each worker makes its own on first use)."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.close()
        close_pool = getattr(connection, "close_pool", None)
        if close_pool is not None:
            close_pool()


def start_embedded_worker(name: str) -> subprocess.Popen[bytes]:
    """``soporte worker`` as a child process that stops if this process goes away."""
    command = [sys.executable, "-m", "soporte.config.cli", "worker"]
    command += ["--parent-pid", str(os.getpid()), "--name", name]
    return subprocess.Popen(command)


def stop_embedded_worker(worker: subprocess.Popen[bytes], timeout: float = 20) -> None:
    """SIGTERM (the worker finishes its current job and releases the rest), then SIGKILL."""
    if worker.poll() is not None:
        return
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    """Gunicorn run in-process on an already loaded WSGI application."""

    def __init__(self, application: Any, options: dict[str, Any]) -> None:
        self.application = application
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self.application

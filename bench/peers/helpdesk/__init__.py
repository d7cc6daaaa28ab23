"""django-helpdesk, the intake benchmark's peer, served as soporte is: gunicorn gthread.

It runs in its own venv, ``var/bench-peers/helpdesk-venv``, made on first use from the exact
pins in ``requirements.txt`` (``pip freeze`` of that venv; the same Django, gunicorn and psycopg
as soporte's lock) and reused while they are unchanged: soporte's venv pins its own Django.
The project (``settings``, ``urls``) serves django-helpdesk's own DRF ticket API with token
auth; ``seed`` migrates a fresh database and makes a queue and a staff integration account,
``verify`` counts what tickets committed. This module only uses the standard library: it is
imported by soporte's bench and, as the package's parent, inside the peer's venv.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
VENV = ROOT / "var" / "bench-peers" / "helpdesk-venv"
REQUIREMENTS = HERE / "requirements.txt"
STAMP = VENV / "requirements.installed"
NAME = "django-helpdesk"


class PeerUnavailableError(Exception):
    """The peer's venv could not be made (e.g. no package registry)."""


def version() -> str:
    pins = dict(line.split("==", 1) for line in REQUIREMENTS.read_text().split() if "==" in line)
    return pins[NAME]


def python() -> Path:
    """The peer venv's interpreter; the venv is made (or remade) when the pins changed."""
    py = VENV / "bin" / "python"
    if STAMP.exists() and STAMP.read_bytes() == REQUIREMENTS.read_bytes():
        return py
    where = VENV.relative_to(ROOT)
    print(
        f"bench: installing {NAME} {version()} into {where} (first run: a minute or two)",
        flush=True,
    )
    shutil.rmtree(VENV, ignore_errors=True)
    for step in (
        [sys.executable, "-m", "venv", str(VENV)],
        [str(py), "-m", "pip", "install", "--quiet", "--requirement", str(REQUIREMENTS)],
    ):
        done = subprocess.run(step, capture_output=True, text=True, check=False)
        if done.returncode:
            shutil.rmtree(VENV, ignore_errors=True)
            output = " ".join((done.stderr or done.stdout).split())
            raise PeerUnavailableError(f"`{' '.join(step[:4])} ...` failed: {output[-400:]}")
    shutil.copyfile(REQUIREMENTS, STAMP)
    return py


def environment(base: dict[str, str], data_dir: Path) -> dict[str, str]:
    """``base`` (its ``DATABASE_URL`` picks PostgreSQL) with the peer's settings."""
    (data_dir / "email").mkdir(parents=True, exist_ok=True)
    return base | {
        "DJANGO_SETTINGS_MODULE": f"{__name__}.settings",
        "PEER_DATA_DIR": str(data_dir),
        "PYTHONPATH": str(ROOT),
    }


def command(py: Path, port: int, workers: int, threads: int) -> list[str]:
    """gunicorn as ``soporte serve`` runs it: gthread, access log on, same timeouts."""
    return [
        str(py.parent / "gunicorn"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
        "--access-logfile",
        "-",
        "--timeout",
        "60",
        "--graceful-timeout",
        "20",
        "django.core.wsgi:get_wsgi_application()",
    ]


def module_command(py: Path, module: str) -> list[str]:
    """Run one of this package's scripts (``seed``, ``verify``) in the peer's venv."""
    return [str(py), "-m", f"{__name__}.{module}"]

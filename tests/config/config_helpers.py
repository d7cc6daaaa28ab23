"""Running the real ``soporte`` entry point in a subprocess."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from soporte.policy import DEFAULT_PATH


def soporte_bin() -> str:
    """The installed console script next to this interpreter (``.venv/bin/soporte``)."""
    candidate = Path(sys.executable).with_name("soporte")
    if candidate.exists():
        return str(candidate)
    found = shutil.which("soporte")
    assert found, "the soporte entry point is not installed (make install)"
    return found


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"SOPORTE_POLICY", "DATABASE_URL"}}
    env.update(extra)
    return env


def run_soporte(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [soporte_bin(), *args],
        capture_output=True,
        text=True,
        env=clean_env(**env),
        timeout=60,
        check=False,
    )


def default_text() -> str:
    return DEFAULT_PATH.read_text(encoding="utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port

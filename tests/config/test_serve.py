"""``soporte serve`` for real: gunicorn on a free port, /healthz, the admin and its CSS."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
from config_helpers import clean_env, free_port, soporte_bin

from soporte.policy import default_policy

pytestmark = pytest.mark.slow  # starts the server: left out by `make test-fast`


def test_serve_migrates_and_serves_healthz_admin_and_static_files(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with _server_database() as database_url:
        env = clean_env(SOPORTE_DATA_DIR=str(tmp_path / "var"))
        if database_url:
            env["DATABASE_URL"] = database_url
        output = _serve_and_check(base, port, env, tmp_path, vendor=_vendor(database_url))
    assert f"serving on {base}/" in output
    assert f"links in emails start with {base}/" in output  # the port it binds, not 8000
    assert "Traceback" not in output


def _vendor(database_url: str) -> str:
    return "postgresql" if database_url else "sqlite"


@contextmanager
def _server_database() -> Iterator[str]:
    """SQLite (``""``), or with DATABASE_URL set a fresh PostgreSQL database dropped afterwards:
    the server is another process, so it cannot share the test's transaction."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        yield ""
        return
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_serve_{uuid.uuid4().hex[:8]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _serve_and_check(
    base: str, port: int, env: dict[str, str], tmp_path: Path, *, vendor: str
) -> str:
    server = subprocess.Popen(
        [soporte_bin(), "serve", "--port", str(port), "--workers", "2", "--threads", "4"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        health = _wait_for(f"{base}/healthz", server, timeout=30)
        assert health.status_code == 200
        body = health.json()
        assert body["status"] == "degraded"  # it serves (200), but no rotation takes pages yet
        assert body["paging"] == {"ok": False, "problem": "no paging rotation"}
        assert body["database"] == {"vendor": vendor, "ok": True, "migrations_pending": 0}
        assert body["policy"]["version"] == default_policy().version
        assert (tmp_path / "var" / "soporte.sqlite3").exists() == (vendor == "sqlite")

        login = httpx.get(f"{base}/admin/login/", timeout=10)
        assert login.status_code == 200
        assert '<html lang="es-mx"' in login.text
        css = re.search(r'href="(/static/admin/css/[^"]+\.css)"', login.text)
        assert css, login.text
        stylesheet = httpx.get(base + css.group(1), timeout=10)
        assert stylesheet.status_code == 200
        assert stylesheet.headers["content-type"].startswith("text/css")

        # Requests at once, each on a thread of its own: each gets a connection (a pool
        # inherited across gunicorn's fork once left them waiting for ever on PostgreSQL).
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda _: httpx.get(f"{base}/healthz", timeout=10), range(16)))
        assert [a.json()["database"]["ok"] for a in answers] == [True] * 16

        english = httpx.get(f"{base}/admin/login/", headers={"Accept-Language": "en"}, timeout=10)
        assert '<html lang="en"' in english.text

        # A URL longer than gunicorn takes is its 414, and the API's document says so.
        too_long = httpx.get(f"{base}/api/tickets?subject={'x' * 5000}", timeout=10)
        assert too_long.status_code == 414
        document = httpx.get(f"{base}/api/openapi.json", timeout=10).json()
        assert "414" in document["paths"]["/api/tickets"]["get"]["responses"]
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            output, _ = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            output, _ = server.communicate()
    return output


def _wait_for(url: str, server: subprocess.Popen[str], *, timeout: float) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while True:
        if server.poll() is not None:
            output = server.stdout.read() if server.stdout else ""
            raise AssertionError(f"soporte serve exited with {server.returncode}:\n{output}")
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)

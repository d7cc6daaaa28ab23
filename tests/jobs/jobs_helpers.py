"""Fresh databases and real ``soporte`` processes for the multi-process jobs tests.

pytest-django's SQLite test database lives in memory, which other processes cannot open, so
these tests make their own database, as ``tests/config/test_serve.py`` does: a file SQLite
database in ``tmp_path``, or with ``DATABASE_URL`` set a fresh PostgreSQL database dropped
afterwards. Every process (migrate, seed, workers) uses the test settings (production's and
the test-only ``probeapp``, whose ``probe`` job the workers run); the test reads the results
with plain SQL.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit


def soporte_bin() -> str:
    candidate = Path(sys.executable).with_name("soporte")
    if candidate.exists():
        return str(candidate)
    found = shutil.which("soporte")
    assert found, "the soporte entry point is not installed (make install)"
    return found


@dataclass
class Database:
    env: dict[str, str]
    vendor: str
    query: Callable[[str], list[tuple[Any, ...]]]

    def scalar(self, sql: str) -> Any:
        return self.query(sql)[0][0]

    def soporte(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [soporte_bin(), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def python(self, code: str, timeout: float = 120) -> str:
        done = subprocess.run(
            [sys.executable, "-c", code],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def migrate(self) -> None:
        done = self.soporte("migrate")
        assert done.returncode == 0, done.stdout + done.stderr

    def seed_probes(self, count: int, *, prefix: str = "probe", sleep: float = 0.0) -> None:
        self.python(
            "from soporte.config.runtime import setup_django; setup_django()\n"
            "from django.utils import timezone\n"
            "from probeapp.probe import seed\n"
            f"keys = (f'{prefix}:{{i}}' for i in range({count}))\n"
            f"seed(keys, due_at=timezone.now(), payload={{'sleep': {sleep}}})\n"
        )

    def wait_until(self, sql: str, predicate: Callable[[Any], bool], *, timeout: float) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            value = self.scalar(sql)
            if predicate(value):
                return value
            assert time.monotonic() < deadline, f"timed out waiting on {sql!r} (last: {value!r})"
            time.sleep(0.05)


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"SOPORTE_POLICY", "DATABASE_URL"}}
    env["DJANGO_SETTINGS_MODULE"] = "probeapp.settings"
    env.update(extra)
    return env


@contextmanager
def fresh_database(tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty database that other processes can open."""
    url = os.environ.get("DATABASE_URL", "")
    data_dir = tmp_path / "var"
    env = clean_env(SOPORTE_DATA_DIR=str(data_dir))
    if not url:
        path = data_dir / "soporte.sqlite3"

        def query_sqlite(sql: str) -> list[tuple[Any, ...]]:
            conn = sqlite3.connect(path, timeout=30)
            try:
                return conn.execute(sql).fetchall()
            finally:
                conn.close()

        database = Database(env=env, vendor="sqlite", query=query_sqlite)
        database.migrate()
        yield database
        return

    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_jobs_{uuid.uuid4().hex[:8]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    own = urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        with psycopg.connect(own, autocommit=True) as conn:

            def query_postgres(sql: str) -> list[tuple[Any, ...]]:
                return conn.execute(sql).fetchall()  # type: ignore[arg-type]

            database = Database(
                env={**env, "DATABASE_URL": own}, vendor="postgresql", query=query_postgres
            )
            database.migrate()
            yield database
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

"""``soporte token create`` through the real entry point, on a database other processes can
open (a SQLite file, or a fresh PostgreSQL database when ``DATABASE_URL`` is set): the secret it
prints once authenticates against the API."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

CHECK_TOKEN = """
from soporte.config.runtime import setup_django
setup_django()
from django.test import Client
response = Client().get("/api/me", HTTP_AUTHORIZATION="Bearer " + {secret!r})
print(response.status_code, response.json().get("name", ""), response.json().get("role", ""))
"""

MAKE_AGENT = """
from soporte.config.runtime import setup_django
setup_django()
from soporte.accounts.services import create_agent
create_agent(email="Bot@TrackMyVend.example", name="Zapier bot", tier="T1", role="admin")
"""


def soporte_bin() -> str:
    candidate = Path(sys.executable).with_name("soporte")
    found = str(candidate) if candidate.exists() else shutil.which("soporte")
    assert found, "the soporte entry point is not installed (make install)"
    return found


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The environment of a process using a fresh, migrated database (one per module)."""
    tmp_path = tmp_path_factory.mktemp("token_cli")
    base = {k: v for k, v in os.environ.items() if k not in {"SOPORTE_POLICY", "DATABASE_URL"}}
    base |= {
        "DJANGO_SETTINGS_MODULE": "soporte.config.settings",
        "SOPORTE_DATA_DIR": str(tmp_path / "var"),
        "SOPORTE_ALLOWED_HOSTS": "testserver",
        "SOPORTE_SECRET_KEY": "test-only",
    }
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        yield _migrated(base)
        return
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_token_{uuid.uuid4().hex[:8]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _migrated({**base, "DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}"))})
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _migrated(env: dict[str, str]) -> dict[str, str]:
    done = run([soporte_bin(), "migrate"], env)
    assert done.returncode == 0, done.stdout + done.stderr
    return env


def run(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_token_create_prints_a_secret_that_works_once(env: dict[str, str]) -> None:
    made = run([sys.executable, "-c", MAKE_AGENT], env)
    assert made.returncode == 0, made.stderr

    created = run(
        [
            soporte_bin(),
            "token",
            "create",
            "--agent",
            "bot@trackmyvend.example",
            "--name",
            "zapier",
        ],
        env,
    )

    assert created.returncode == 0, created.stderr
    secret = created.stdout.strip()
    assert secret.startswith("sop_")
    assert len(created.stdout.splitlines()) == 1
    assert "not shown again" in created.stderr
    assert secret not in created.stderr
    checked = run([sys.executable, "-c", CHECK_TOKEN.format(secret=secret)], env)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.split() == ["200", "Zapier", "bot", "admin"]
    wrong = run([sys.executable, "-c", CHECK_TOKEN.format(secret=secret[:-2] + "xx")], env)
    assert wrong.stdout.split()[0] == "401"


def test_token_create_for_an_unknown_agent_is_a_message(env: dict[str, str]) -> None:
    done = run(
        [soporte_bin(), "token", "create", "--agent", "nobody@x.example", "--name", "n"], env
    )

    assert done.returncode == 2
    assert done.stdout == ""
    assert "no agent with email 'nobody@x.example'" in done.stderr
    assert "Traceback" not in done.stderr


CHECK_KIND = """
from soporte.config.runtime import setup_django
setup_django()
from django.test import Client
me = Client().get("/api/me", HTTP_AUTHORIZATION="Bearer " + {secret!r}).json()
print(me["name"], me["email"], me["agent_kind"])
"""


MAKE_HUMAN = """
from soporte.config.runtime import setup_django
setup_django()
from soporte.accounts.services import create_agent
create_agent(email="ops@integrations.invalid", name="Ops person")
"""


def test_token_create_for_an_integration_makes_its_bot_account_once(env: dict[str, str]) -> None:
    argv = [soporte_bin(), "token", "create", "--integration", "Monitor Zabbix", "--name"]
    first = run([*argv, "alerts"], env)
    second = run([*argv, "alerts, second key"], env)

    assert (first.returncode, second.returncode) == (0, 0), first.stderr + second.stderr
    assert "(integration)" in first.stderr
    for created in (first, second):
        checked = run([sys.executable, "-c", CHECK_KIND.format(secret=created.stdout.strip())], env)
        assert checked.stdout.split() == [
            "Monitor",
            "Zabbix",
            "monitor-zabbix@integrations.invalid",
            "integration",
        ], checked.stderr


def test_token_create_refuses_an_integration_name_that_is_a_humans_address(
    env: dict[str, str],
) -> None:
    made = run([sys.executable, "-c", MAKE_HUMAN], env)
    assert made.returncode == 0, made.stderr

    done = run([soporte_bin(), "token", "create", "--integration", "Ops", "--name", "n"], env)
    blank = run([soporte_bin(), "token", "create", "--integration", " -- ", "--name", "n"], env)

    assert done.returncode == 2
    assert "'ops@integrations.invalid' belongs to a human agent" in done.stderr
    assert blank.returncode == 2
    assert "--integration: give a name" in blank.stderr

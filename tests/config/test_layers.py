"""The layers hold (ARCHITECTURE.md): the import-linter contracts in pyproject.toml, run as
``make check`` runs them, so a change that breaks one fails the suite too. Among them: the
shared API tools (``soporte.api``) import no app's router, so no import circle runs through
them; infrastructure (``db``, ``jobs``) imports no domain app; models and domain rules import
no services; services no views or API."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_import_contract_is_kept() -> None:
    done = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout
    assert "Contracts: 8 kept" in done.stdout  # none skipped or dropped from pyproject.toml

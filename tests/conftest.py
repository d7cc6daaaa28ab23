"""Shared test setup. pytest-django takes the test settings, ``probeapp.settings``, from
pyproject.toml (``--ds``) and exports them as DJANGO_SETTINGS_MODULE; ``tests/`` goes on
PYTHONPATH too, so the ``soporte`` processes a test starts can import them.

The desk fixtures make a small world: one organisation per plan with a contact each, and one
agent per tier plus a lead per tier and an admin.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine

CLOCK_SHIFT = "SOPORTE_TEST_CLOCK_SHIFT"
"""Set to ``+7y``, ``-3y`` or ``+400d`` (years of 365 days), it moves the real clock that far
for the whole run: a test that depends on today's date then fails (CI runs the service tests
so, years ahead and behind, and expects the same results)."""

TESTS = Path(__file__).resolve().parent
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(TESTS), os.environ.get("PYTHONPATH")]))


@dataclass
class World:
    orgs: dict[str, Any]
    contacts: dict[str, Any]
    agents: dict[str, Any]


@pytest.fixture
def world(db: Any) -> World:
    from soporte.accounts import services as accounts

    orgs = {
        plan: accounts.create_organisation(name=f"{plan.title()} Vending", plan=plan)
        for plan in ("starter", "pro", "enterprise")
    }
    contacts = {
        plan: accounts.create_contact(
            organisation=org,
            email=f"ana@{plan}.example",
            name=f"Ana {plan}",
            password="pw-12345678",
        )
        for plan, org in orgs.items()
    }
    agents = {
        name: accounts.create_agent(
            email=f"{name}@trackmyvend.example",
            name=name.upper(),
            tier=tier,
            role=role,
            password="pw-12345678",
        )
        for name, tier, role in [
            ("t1", "T1", "agent"),
            ("t2", "T2", "agent"),
            ("t3", "T3", "agent"),
            ("lead1", "T1", "lead"),
            ("lead2", "T2", "lead"),
            ("lead3", "T3", "lead"),
            ("admin", "T3", "admin"),
        ]
    }
    return World(orgs, contacts, agents)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Real hashing is deliberately slow; tests check behaviour, not key stretching."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def clock_shift(text: str) -> timedelta:
    """``+7y`` / ``-3y`` / ``+400d`` as a span; ``ValueError`` naming the variable otherwise."""
    found = re.fullmatch(r"([+-]\d+)([yd])", text.strip())
    if found is None:
        raise ValueError(f"{CLOCK_SHIFT}: expected e.g. +7y, -3y or +400d, got {text!r}")
    amount, unit = int(found[1]), found[2]
    return timedelta(days=amount * (365 if unit == "y" else 1))


@pytest.fixture(autouse=True, scope="session")
def _shifted_clock() -> Iterator[None]:
    """The real clock moved by ``SOPORTE_TEST_CLOCK_SHIFT``, if set (it keeps ticking)."""
    text = os.environ.get(CLOCK_SHIFT, "")
    if not text:
        yield
        return
    with time_machine.travel(datetime.now(UTC) + clock_shift(text), tick=True):
        yield

"""On-call fixtures: a three-person rotation over the shared desk world."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

# Mon 30 Nov 2026 10:00 CST
START = datetime(2026, 11, 30, 16, tzinfo=UTC)


@pytest.fixture
def rotation(world):
    from soporte.oncall.services import create_rotation

    agents = world.agents
    return create_rotation(
        name="Plataforma", members=[agents["t3"], agents["t2"], agents["lead3"]], starts_at=START
    )

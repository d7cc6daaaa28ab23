"""On-call fixtures: a three-person rotation over the shared desk world."""

from __future__ import annotations

import pytest
from django.utils import timezone
from oncall_checks import START


@pytest.fixture
def rotation(world):
    from soporte.oncall.services import create_rotation

    agents = world.agents
    return create_rotation(
        name="Plataforma",
        members=[agents["t3"], agents["t2"], agents["lead3"]],
        starts_at=START,
        now=timezone.now(),
    )

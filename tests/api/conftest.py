"""Fixtures of the REST API tests (helpers in ``api_helpers``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from api_helpers import Desk, make_desk


@pytest.fixture
def desk(world: Any, settings: Any, tmp_path: Path) -> Desk:
    """Organisation A's two tickets (T1 and T2) and an attachment; uploads go to ``tmp_path``."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return make_desk(world)

"""Notifier fixtures: a worker on an explicit clock."""

from __future__ import annotations

from typing import Any

import pytest
from notify_helpers import Worker


@pytest.fixture
def worker(db: Any) -> Worker:
    return Worker()

"""Notifier fixtures: the local fake PagerDuty, and a worker on an explicit clock."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fake_pagerduty import FakePagerDuty
from notify_helpers import Worker


@pytest.fixture
def fake_pagerduty(settings: Any) -> Iterator[FakePagerDuty]:
    fake = FakePagerDuty()
    settings.PAGERDUTY_EVENTS_BASE = fake.base_url
    yield fake
    fake.close()


@pytest.fixture
def worker(db: Any) -> Worker:
    return Worker()

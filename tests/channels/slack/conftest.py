"""Slack fixtures: the local fake Web API, the settings pointing at it, a worker on an explicit
clock, and a Slack channel linked to each plan's organisation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fake_slack import TOKEN, FakeSlack
from slack_helpers import SECRET, Worker


@pytest.fixture
def fake_slack(settings: Any) -> Iterator[FakeSlack]:
    fake = FakeSlack()
    settings.SOPORTE_SLACK_API_URL = f"{fake.base_url}/api/"
    settings.SOPORTE_SLACK_BOT_TOKEN = TOKEN
    settings.SOPORTE_SLACK_SIGNING_SECRET = SECRET
    yield fake
    fake.close()


@pytest.fixture
def worker(db: Any) -> Worker:
    return Worker()

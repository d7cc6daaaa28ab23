"""WhatsApp fixtures: the channel configured, the local fake Graph API, a worker."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fake_graph import PHONE_NUMBER_ID, TOKEN, FakeGraph
from whatsapp_helpers import APP_SECRET, VERIFY_TOKEN

from notify.notify_helpers import Worker

__all__ = ["graph", "whatsapp", "worker"]


@pytest.fixture
def whatsapp(settings: Any) -> Any:
    """The channel configured (the Graph API unreachable until ``graph`` points it at the fake)."""
    settings.SOPORTE_WHATSAPP_APP_SECRET = APP_SECRET
    settings.SOPORTE_WHATSAPP_VERIFY_TOKEN = VERIFY_TOKEN
    settings.SOPORTE_WHATSAPP_TOKEN = TOKEN
    settings.SOPORTE_WHATSAPP_PHONE_NUMBER_ID = PHONE_NUMBER_ID
    settings.SOPORTE_WHATSAPP_TEMPLATES = ["soporte_respuesta", "soporte_seguimiento"]
    settings.SOPORTE_WHATSAPP_GRAPH_URL = "http://127.0.0.1:9/v21.0"
    return settings


@pytest.fixture
def graph(whatsapp: Any) -> Iterator[FakeGraph]:
    fake = FakeGraph()
    whatsapp.SOPORTE_WHATSAPP_GRAPH_URL = fake.graph_url
    yield fake
    fake.close()


@pytest.fixture
def worker(db: Any) -> Any:
    return Worker()

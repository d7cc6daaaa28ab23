"""The emergency line's fixtures: Twilio configured (its auth token signs the webhooks; its
REST API is the local fake), and the fake itself."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, FakeTwilio
from voice_helpers import PUBLIC


@pytest.fixture
def twilio(settings: Any) -> Any:
    """Twilio configured for the hooks, the desk's public address ``PUBLIC``."""
    settings.SOPORTE_TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.SOPORTE_TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.SOPORTE_TWILIO_ALT_AUTH_TOKEN = ""
    settings.SOPORTE_TWILIO_FROM = FROM_NUMBER
    settings.PUBLIC_BASE_URL = PUBLIC
    return settings


@pytest.fixture
def fake_twilio(twilio: Any) -> Iterator[FakeTwilio]:
    fake = FakeTwilio()
    twilio.SOPORTE_TWILIO_API_BASE = fake.base_url
    yield fake
    fake.close()

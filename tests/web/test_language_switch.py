"""The language switch names each language in itself, whatever the page's language."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["es-mx", "en"])
def test_each_language_is_named_in_itself(world: Any, lang: str) -> None:
    client = Client()
    client.cookies["soporte_language"] = lang
    client.force_login(world.contacts["pro"].user)
    html = client.get("/portal/").content.decode()
    options = re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', html)
    assert options == [("es-mx", "Español"), ("en", "English")]

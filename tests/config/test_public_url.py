"""One source for the desk's public address (settings ``PUBLIC_BASE_URL``, env
``SOPORTE_PUBLIC_URL``): ``soporte serve`` defaults it to the address it binds, for itself and
the worker it starts, so links in page emails point where the desk answers."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest

from soporte.public import default_to_bind, public_url


@pytest.fixture
def unset(monkeypatch: pytest.MonkeyPatch, settings: Any) -> Any:
    monkeypatch.setenv("SOPORTE_PUBLIC_URL", "")  # restored (or removed) after the test,
    monkeypatch.delenv("SOPORTE_PUBLIC_URL")  # whatever default_to_bind writes meanwhile
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    return settings


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [
        ("127.0.0.1", 8123, "http://127.0.0.1:8123"),
        ("::1", 9000, "http://[::1]:9000"),
        ("desk.local", 80, "http://desk.local:80"),
    ],
)
def test_serve_makes_the_address_it_binds_the_public_url(
    unset: Any, host: str, port: int, expected: str
) -> None:
    assert default_to_bind(host, port) == expected
    assert expected == unset.PUBLIC_BASE_URL
    assert os.environ["SOPORTE_PUBLIC_URL"] == expected  # the embedded worker inherits it
    assert public_url("/pages/acknowledge/x/") == expected + "/pages/acknowledge/x/"
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.environ['SOPORTE_PUBLIC_URL'])"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert child.stdout.strip() == expected


def test_every_interface_is_named_by_the_host_name(unset: Any) -> None:
    import socket

    assert default_to_bind("0.0.0.0", 8000) == f"http://{socket.gethostname()}:8000"


def test_a_configured_public_url_wins(unset: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOPORTE_PUBLIC_URL", "https://soporte.example/")
    unset.PUBLIC_BASE_URL = "https://soporte.example"
    assert default_to_bind("127.0.0.1", 8123) == "https://soporte.example"
    assert os.environ["SOPORTE_PUBLIC_URL"] == "https://soporte.example/"

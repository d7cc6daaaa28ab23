from __future__ import annotations

import pytest
from django.db import DatabaseError, connection
from django.test import Client
from django.utils import timezone

from soporte.config import views
from soporte.oncall.services import create_rotation
from soporte.policy import default_policy

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database_and_the_policy_version(client: Client) -> None:
    create_rotation(name="Plataforma", now=timezone.now())  # the first rotation takes pages
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"vendor": connection.vendor, "ok": True, "migrations_pending": 0}
    policy = default_policy()
    assert body["policy"]["name"] == policy.name
    assert body["policy"]["version"] == policy.version
    assert body["policy"]["version"].startswith("sha256:")
    assert body["paging"] == {"ok": True}


def test_healthz_is_503_and_says_why_when_the_database_fails(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> int:
        raise DatabaseError("database is locked")

    monkeypatch.setattr(views, "pending_migrations", broken)

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"]["ok"] is False
    assert body["database"]["error"] == "database is locked"
    assert body["policy"]["version"] == default_policy().version


def test_healthz_sends_security_headers(client: Client) -> None:
    response = client.get("/healthz")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"

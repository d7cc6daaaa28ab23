"""``DATABASE_URL`` becomes Django's PostgreSQL settings, with one pool of connections per
process (128 threads per worker once exhausted PostgreSQL's connections)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from soporte.config.settings import database_from_url


def test_a_url_becomes_a_pooled_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOPORTE_DB_POOL_SIZE", raising=False)
    db = database_from_url("postgres://ana:s%40cret@db.example:6432/soporte?sslmode=require")
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "soporte",
        "ana",
        "s@cret",
        "db.example",
        "6432",
    )
    assert db["CONN_MAX_AGE"] == 0  # Django refuses persistent connections beside a pool
    assert db["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 16, "timeout": 30}
    assert db["OPTIONS"]["sslmode"] == "require"


def test_the_pool_size_is_set_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOPORTE_DB_POOL_SIZE", "40")
    assert database_from_url("postgres://h/x")["OPTIONS"]["pool"]["max_size"] == 40


@pytest.mark.parametrize("size", ["0", "-3", "many", "1.5"])
def test_a_bad_pool_size_is_named(monkeypatch: pytest.MonkeyPatch, size: str) -> None:
    monkeypatch.setenv("SOPORTE_DB_POOL_SIZE", size)
    with pytest.raises(ImproperlyConfigured, match="SOPORTE_DB_POOL_SIZE: expected a positive"):
        database_from_url("postgres://h/x")


@pytest.mark.parametrize(
    ("url", "message"),
    [("mysql://h/x", "unsupported scheme 'mysql'"), ("postgres://h/", "database name is missing")],
)
def test_a_bad_url_is_named(url: str, message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        database_from_url(url)

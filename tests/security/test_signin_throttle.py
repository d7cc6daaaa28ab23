"""The sign-in throttle: one count for /login/ and /admin/login/, atomic under concurrent
attempts, and password resets limited like sign-in links."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.signals import user_login_failed
from django.core import mail
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from soporte.accounts import services as accounts
from soporte.accounts.signin import MAX_FAILURES, MAX_LINKS
from soporte.jobs import services as jobs

PASSWORD = "pw-12345678"
ADMIN = "admin@trackmyvend.example"


def admin_sign_in(c: Client, password: str) -> Any:
    return c.post("/admin/login/", {"username": ADMIN, "password": password, "next": "/admin/"})


def desk_sign_in(c: Client, password: str) -> Any:
    return c.post("/login/", {"email": ADMIN, "password": password})


@pytest.mark.django_db
def test_wrong_passwords_at_the_admin_lock_the_sign_in_page_too(world: Any) -> None:
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(MAX_FAILURES):
        assert "_auth_user_id" not in admin_sign_in(c, "nope").wsgi_request.session
    assert desk_sign_in(c, PASSWORD).status_code == 429
    refused = admin_sign_in(c, PASSWORD)
    assert "Too many failed sign-in attempts" in refused.content.decode()
    assert "_auth_user_id" not in c.session


@pytest.mark.django_db
def test_wrong_passwords_at_the_sign_in_page_lock_the_admin_too(world: Any) -> None:
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(MAX_FAILURES):
        assert desk_sign_in(c, "nope").status_code == 200
    refused = admin_sign_in(c, PASSWORD)
    assert refused.status_code == 200
    assert "Too many failed sign-in attempts" in refused.content.decode()
    assert "_auth_user_id" not in c.session


@pytest.mark.django_db
def test_the_admin_signs_in_with_the_right_password_and_forgets_the_failures(world: Any) -> None:
    c = Client()
    admin_sign_in(c, "nope")
    assert admin_sign_in(c, PASSWORD).status_code == 302
    assert c.session["_auth_user_id"] == str(world.agents["admin"].user.pk)


@pytest.fixture
def database_in_a_file(transactional_db: None, tmp_path: Path) -> Iterator[None]:
    """On SQLite, the test database copied to a file for the test, as the desk runs it (WAL,
    writers queued on the lock file): concurrent connections to the in-memory test database
    share one cache and fail on its table locks instead of waiting. PostgreSQL: as it is."""
    if connection.vendor != "sqlite":
        yield
        return
    path = tmp_path / "desk.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    memory, connection.connection = connection.connection, None  # closing it would drop it
    settings_dict = connections.settings["default"]
    name, settings_dict["NAME"] = settings_dict["NAME"], str(path)
    try:
        yield
    finally:
        connection.close()
        settings_dict["NAME"] = name
        connection.connection = memory


def test_concurrent_wrong_passwords_are_checked_at_most_the_limit(
    database_in_a_file: None, settings: Any
) -> None:
    """Twenty wrong passwords at once, with the real password hasher: only five are checked."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    accounts.create_agent(email=ADMIN, name="Admin", tier="T3", role="admin", password=PASSWORD)
    checked: list[str] = []
    statuses: list[int] = []
    start = threading.Barrier(20)

    def count(**kwargs: Any) -> None:
        checked.append(kwargs["credentials"]["username"])

    def attempt() -> None:
        try:
            start.wait(10)
            statuses.append(desk_sign_in(Client(), "nope").status_code)
        finally:
            connection.close()

    user_login_failed.connect(count)
    try:
        threads = [threading.Thread(target=attempt) for _ in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    finally:
        user_login_failed.disconnect(count)
    assert len(checked) == MAX_FAILURES
    assert sorted(statuses) == [200] * MAX_FAILURES + [429] * (20 - MAX_FAILURES)


@pytest.mark.django_db
def test_password_resets_are_limited_like_sign_in_links(world: Any) -> None:
    c = Client()
    for _ in range(MAX_LINKS + 2):
        response = c.post("/login/reset/", {"email": "ana@pro.example"})
        assert response["Location"] == "/login/reset/sent/"  # the same page either way
    jobs.run_due(worker="t", now=timezone.now())  # the outbox, should the reset email go through it
    assert len(mail.outbox) == MAX_LINKS


@pytest.mark.django_db
def test_reset_links_and_sign_in_links_share_one_limit(world: Any) -> None:
    c = Client()
    for _ in range(MAX_LINKS):
        c.post("/login/link/", {"email": "ana@pro.example"})
    c.post("/login/reset/", {"email": "ana@pro.example"})
    jobs.run_due(worker="t", now=timezone.now())
    assert len(mail.outbox) == MAX_LINKS

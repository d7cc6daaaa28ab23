"""The SQLite engine queues writers on a lock file (``soporte.db.sqlite``).

Each connection below sets SQLite's own ``busy_timeout`` to 0: a writer that found the database
locked would fail at once with "database is locked". That none fails shows the writers waited
in the queue, not in SQLite's busy handler.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections

from soporte.db.sqlite.base import DatabaseWrapper

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the SQLite engine's writers' lock"
)


@pytest.fixture
def database(tmp_path: Path, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    settings = copy.deepcopy(connections["default"].settings_dict)
    settings["NAME"] = str(tmp_path / "writers.sqlite3")
    settings["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=0;",
    }
    with django_db_blocker.unblock():
        first = DatabaseWrapper(settings, alias="writers")
        with first.cursor() as cursor:
            cursor.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, who TEXT)")
        first.close()
        yield settings


def _open(settings: dict[str, Any]) -> DatabaseWrapper:
    wrapper = DatabaseWrapper(settings, alias="writers")
    wrapper.inc_thread_sharing()  # opened here, used in a worker thread
    return wrapper


def test_a_writer_waits_for_the_transaction_before_it(database: dict[str, Any]) -> None:
    a, b = _open(database), _open(database)
    order: list[str] = []
    a_holds, b_started = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        with _Atomic(a):
            a.cursor().execute("INSERT INTO t (who) VALUES ('a')")
            a_holds.set()
            b_started.wait(5)
            threading.Event().wait(0.2)  # b is now queued behind a
            order.append("a commits")

    def second() -> None:
        try:
            a_holds.wait(5)
            b_started.set()
            with _Atomic(b):
                order.append("b writes")
                b.cursor().execute("INSERT INTO t (who) VALUES ('b')")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert errors == []
    assert order == ["a commits", "b writes"]
    with a.cursor() as cursor:
        cursor.execute("SELECT who FROM t ORDER BY id")
        assert [row[0] for row in cursor.fetchall()] == ["a", "b"]
    a.close()
    b.close()


def test_a_write_outside_any_transaction_waits_too(database: dict[str, Any]) -> None:
    a, b = _open(database), _open(database)
    done = threading.Event()
    errors: list[BaseException] = []

    def autocommit_write() -> None:
        try:
            b.cursor().execute("UPDATE t SET who = 'b'")  # no transaction: one statement
            done.set()
        except BaseException as exc:  # reported below
            errors.append(exc)

    with _Atomic(a):
        a.cursor().execute("INSERT INTO t (who) VALUES ('a')")
        thread = threading.Thread(target=autocommit_write)
        thread.start()
        assert not done.wait(0.2)  # queued behind a's transaction
    thread.join(10)
    assert errors == []
    assert done.is_set()
    with a.cursor() as cursor:
        cursor.execute("SELECT who FROM t")
        assert cursor.fetchall() == [("b",)]
    a.close()
    b.close()


def test_a_failed_transaction_releases_the_lock(database: dict[str, Any]) -> None:
    a, b = _open(database), _open(database)

    def fail() -> None:
        with _Atomic(a):
            a.cursor().execute("INSERT INTO t (who) VALUES ('a')")
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        fail()
    with _Atomic(b):  # would wait forever if a still held the lock
        b.cursor().execute("INSERT INTO t (who) VALUES ('b')")
    with b.cursor() as cursor:
        cursor.execute("SELECT who FROM t")
        assert cursor.fetchall() == [("b",)]
    a.close()
    b.close()


class _Atomic:
    """``transaction.atomic`` on a connection that is not in ``connections``."""

    def __init__(self, wrapper: DatabaseWrapper) -> None:
        self.wrapper = wrapper

    def __enter__(self) -> None:  # what ``atomic`` does
        self.wrapper.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)

    def __exit__(self, kind: object, *rest: object) -> None:
        if kind is None:
            self.wrapper.commit()
        else:
            self.wrapper.rollback()
        self.wrapper.set_autocommit(True)

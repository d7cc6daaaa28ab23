"""Django's SQLite backend, with writers queued on a lock file instead of polling.

SQLite lets one writer at a time hold its database; a writer that finds it taken waits in
SQLite's busy handler, which sleeps and retries (1, 2, 5, 10 ... up to 100 ms between tries).
Under a burst of concurrent writes (the threads of every ``soporte serve`` process and the job
worker), unlucky writers keep losing the race and wait seconds: the tail of the intake latency.

Here every write transaction first takes an exclusive ``flock`` on ``<database>-writers``
beside the database file, and releases it when the transaction commits, rolls back or the
connection closes. The kernel queues the waiting writers and wakes one as soon as the lock is
free, across threads (each connection opens the file itself) and processes alike, so SQLite's
own lock is always free when ``BEGIN IMMEDIATE`` asks for it. A write statement run in
autocommit mode (outside any transaction) holds the lock for the statement. Readers never take
it (WAL: readers do not block writers). A process that dies releases its lock with its file
descriptors. ``busy_timeout`` stays as the fallback for other programs opening the file.

In-memory databases (one connection) take no lock.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.db.backends.sqlite3 import base as sqlite3

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")


class DatabaseWrapper(sqlite3.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._writers_fd: int | None = None
        self._writing = False

    # Transactions: the lock from BEGIN to COMMIT/ROLLBACK.

    def _start_transaction_under_autocommit(self) -> None:
        self.take_write_lock()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self.release_write_lock()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]
        finally:
            self.release_write_lock()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self.release_write_lock()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self.release_write_lock()
            if self._writers_fd is not None:
                os.close(self._writers_fd)
                self._writers_fd = None

    def create_cursor(self, name: str | None = None) -> Any:
        cursor = self.connection.cursor(factory=_Cursor)
        cursor.wrapper = self
        return cursor

    # The lock itself.

    def take_write_lock(self) -> bool:
        """Take the writers' lock unless held or in memory; True when this call took it."""
        if self._writing or self.is_in_memory_db():
            return False
        if self._writers_fd is None:
            path = f"{self.settings_dict['NAME']}-writers"
            self._writers_fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(self._writers_fd, fcntl.LOCK_EX)  # releases the GIL while it waits
        self._writing = True
        return True

    def release_write_lock(self) -> None:
        if self._writing and self._writers_fd is not None:
            fcntl.flock(self._writers_fd, fcntl.LOCK_UN)
        self._writing = False


class _Cursor(sqlite3.SQLiteCursorWrapper):
    """Holds the writers' lock around a write statement run in autocommit mode."""

    wrapper: DatabaseWrapper

    def execute(self, query: str, params: Any = None) -> Any:
        return self._run(super().execute, query, params)

    def executemany(self, query: str, param_list: Any) -> Any:
        return self._run(super().executemany, query, param_list)

    def convert_query(self, query: str, *, param_names: Any = None) -> str:
        if param_names is None:  # the same few statements again and again: convert each once
            return _qmark(query)
        return str(super().convert_query(query, param_names=param_names))  # type: ignore[misc]

    def _run(self, run: Callable[[str, Any], Any], query: str, params: Any) -> Any:
        if not (_is_write(query) and self.wrapper.take_write_lock()):
            return run(query, params)
        try:
            return run(query, params)
        finally:
            self.wrapper.release_write_lock()


@lru_cache(maxsize=1024)
def _qmark(query: str) -> str:
    """Django's conversion of ``%s`` placeholders to SQLite's ``?``, remembered."""
    return str(sqlite3.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%"))


def _is_write(query: str) -> bool:
    return query.lstrip()[:7].upper().startswith(WRITES)

"""Fixtures of the channel tests: a real Dovecot IMAP server (``dovecot.py``) and a real SMTP
server (``smtp_server.py``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from dovecot import DOVECOT, Dovecot, running_dovecot

from channels.smtp_server import smtp_server

__all__ = ["dovecot", "dovecot_server", "smtp_server"]


@pytest.fixture(scope="session")
def dovecot_server() -> Iterator[Dovecot]:
    """One Dovecot for the session (per xdist worker); see :func:`dovecot`."""
    if not DOVECOT.exists():
        pytest.skip(f"{DOVECOT} is missing: install Debian's dovecot-imapd (.ci/run does)")
    with running_dovecot() as server:
        yield server


@pytest.fixture
def dovecot(dovecot_server: Dovecot) -> Iterator[Dovecot]:
    """The session's Dovecot, its mailbox emptied after the test: ``host``, ``port``,
    ``user``, ``password``, ``url`` (for ``SOPORTE_IMAP_URL``), ``deliver(raw,
    internaldate=None)`` (an IMAP APPEND into INBOX) and ``messages(folder)``."""
    yield dovecot_server
    dovecot_server.empty()

"""A real SMTP server for tests: aiosmtpd on 127.0.0.1 and a free port, keeping every message
it receives (the raw bytes as they came over the wire, and the envelope).

The ``smtp_server`` fixture starts one for a test and points Django's SMTP backend at it, so
whatever the outbox sends travels through SMTP (``tests/channels/conftest.py`` offers it to
every test under ``tests/channels``).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any, cast

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


@dataclass(frozen=True, slots=True)
class Delivered:
    """One message the server accepted: the envelope's sender and recipients, the raw bytes."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    raw: bytes

    def message(self) -> EmailMessage:
        """The message as a mail client reads it (``policy.default``)."""
        return cast(EmailMessage, message_from_bytes(self.raw, policy=policy.default))


class SmtpServer:
    """Accepts every message over plain SMTP on 127.0.0.1 and keeps it in ``delivered``."""

    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = _free_port(self.host)
        self.delivered: list[Delivered] = []
        self._lock = threading.Lock()
        self._controller = Controller(self, hostname=self.host, port=self.port)

    async def handle_DATA(  # noqa: N802 (aiosmtpd's name for the hook)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or b""
        sender = str(envelope.mail_from or "")
        with self._lock:
            self.delivered.append(Delivered(sender, tuple(envelope.rcpt_tos), bytes(raw)))
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    def messages(self) -> list[EmailMessage]:
        with self._lock:
            return [d.message() for d in self.delivered]


def _free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SmtpServer]:
    """A running :class:`SmtpServer`, Django's email going to it over SMTP."""
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        yield server
    finally:
        server.stop()

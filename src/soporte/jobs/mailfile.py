"""The ``file`` email backend (``SOPORTE_EMAIL_BACKEND=file``, the default on a laptop):
Django's, except that a message is written only once it is rendered, so a message that cannot
be sent leaves no file behind (Django's opens the file first and left an empty one)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends import filebased

SEPARATOR = b"\n" + b"-" * 79 + b"\n"


class EmailBackend(filebased.EmailBackend):
    def open(self) -> bool:
        return False  # the file is opened per message, once the message is rendered

    def close(self) -> None:
        return None

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        with self._lock:
            for message in email_messages:
                try:
                    data = message.message().as_bytes() + SEPARATOR
                except Exception:
                    if not self.fail_silently:
                        raise
                    continue
                with open(self._get_filename(), "ab") as stream:  # type: ignore[attr-defined]
                    stream.write(data)
                sent += 1
        return sent

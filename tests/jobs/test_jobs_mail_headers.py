"""Every email is built with one-line headers (``jobs.mailheaders``): a line break in a subject
or header never stops a message; what cannot be written at all fails at once, leaving no file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.mail import BadHeaderError, EmailMessage, get_connection
from django.utils import timezone

from soporte.jobs import outbox, services
from soporte.jobs.models import Job, OutboxMessage

pytestmark = pytest.mark.django_db


def _deliver(key: str) -> OutboxMessage:
    job = Job.objects.get(key=outbox.job_key(key))
    services.run_due(worker="w", now=job.due_at)
    return OutboxMessage.objects.get(idempotency_key=key)


def test_a_subject_or_header_with_line_breaks_is_sent_on_one_line() -> None:
    outbox.enqueue_email(
        key="page:1",
        to=["mateo@trackmyvend.example"],
        subject="[P0] Page: ticket #7, Caído\r\nBcc: everyone@example.com",
        body="Line one\nLine two",
        headers={"X-Soporte-Ticket": "7\n8", "In-Reply-To": "<a@b>\r\n"},
        due_at=timezone.now(),
    )

    message = _deliver("page:1")

    assert message.status == OutboxMessage.Status.SENT
    sent = mail.outbox[0]
    assert sent.subject == "[P0] Page: ticket #7, Caído Bcc: everyone@example.com"
    assert sent.body == "Line one\nLine two"
    assert (sent.extra_headers["X-Soporte-Ticket"], sent.extra_headers["In-Reply-To"]) == (
        "7 8",
        "<a@b>",
    )
    assert sent.bcc == []
    assert b"\nBcc:" not in sent.message().as_bytes()


def test_an_address_django_refuses_fails_at_once_without_retries() -> None:
    outbox.enqueue_email(
        key="bad:1", to=["a@b.example\nBcc: c@d"], subject="Hi", body="x", due_at=timezone.now()
    )

    message = _deliver("bad:1")

    assert (message.status, message.attempts) == (OutboxMessage.Status.FAILED, 1)
    assert "cannot be written" in message.last_error
    assert mail.outbox == []


def test_the_file_backend_writes_no_file_for_a_message_it_cannot_write(
    settings: Any, tmp_path: Path
) -> None:
    settings.EMAIL_BACKEND = "soporte.jobs.mailfile.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    outbox.enqueue_email(
        key="bad:2", to=["a@b.example\nBcc: c@d"], subject="Hi", body="x", due_at=timezone.now()
    )
    assert _deliver("bad:2").status == OutboxMessage.Status.FAILED
    with pytest.raises(BadHeaderError):
        EmailMessage("Hi\nthere", "x", to=["a@b.example"], connection=get_connection()).send()
    assert list(tmp_path.iterdir()) == []

    outbox.enqueue_email(
        key="good:1", to=["a@b.example"], subject="Hi\nthere", body="Hola", due_at=timezone.now()
    )

    assert _deliver("good:1").status == OutboxMessage.Status.SENT
    (written,) = tmp_path.iterdir()
    assert b"Subject: Hi there" in written.read_bytes()

"""The outbox: every external delivery is a row with an idempotency key, sent by a job.

``enqueue(transport=..., key=..., payload=...)`` joins the caller's transaction: the message
and its delivery job (``outbox.deliver``, key ``outbox:<key>``) commit with the data that
caused them, or not at all. Enqueueing the same key again returns the existing message.

Guarantees: **database effects are exactly once; external delivery is at least once.** The
transport is called *before* the completion commits, so a worker killed between the send and
the commit (or one whose lease expired during a slow send) causes a re-send. Every transport
therefore passes the idempotency key to the receiving side (email: a ``Message-ID`` derived
from the key; PagerDuty: the dedup key; webhooks: an ``Idempotency-Key`` header) so a duplicate
is recognisable there. Failed sends are retried with the jobs' backoff; after the job's last
attempt the message is marked ``failed`` and an error is logged.

Transports register with ``@transport("name")`` a ``deliver(message) -> None`` that raises on
failure: ``PermanentDeliveryError`` when a retry cannot help (the message fails at once),
anything else to be retried. The delivery runs with no database transaction open
(``atomic=False``), so a slow SMTP or HTTP call never holds SQLite's write lock.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any, NamedTuple

import structlog
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.files.storage import default_storage
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import DEFAULT_DB_ALIAS, transaction
from django.dispatch import Signal

from soporte.db.insert import insert_rows
from soporte.db.prepared import Prepared
from soporte.db.update import update
from soporte.jobs import services
from soporte.jobs.mailheaders import email_message
from soporte.jobs.models import Job, OutboxMessage, created_stamp
from soporte.jobs.registry import batch_scope, handler

log = structlog.get_logger(__name__)

DELIVER = "outbox.deliver"
TRANSPORTS = ("email", "pagerduty", "webhook", "slack", "whatsapp", "sms", "voice")

Transport = Callable[[OutboxMessage], None]

delivery_failed = Signal()
"""Sent once when a message fails for good (its last attempt, or a permanent error), inside
the transaction that marks it failed. Paging listens to send a page through its next
transport. Keyword arguments ``message_id`` and ``now`` (the worker's time)."""
_TRANSPORTS: dict[str, Transport] = {}


class DeliveryError(Exception):
    """A transport could not deliver a message (the job retries it)."""


class PermanentDeliveryError(DeliveryError):
    """The receiver refused the message for good (e.g. HTTP 400): it is failed, never retried."""


def transport(name: str) -> Callable[[Transport], Transport]:
    """Register ``deliver(message) -> None`` (raising on failure) for messages of ``name``."""

    def register(fn: Transport) -> Transport:
        _TRANSPORTS[name] = fn
        return fn

    return register


def get_transport(name: str) -> Transport | None:
    return _TRANSPORTS.get(name)


def job_key(key: str) -> str:
    return f"outbox:{key}"


def enqueue(
    *,
    transport: str,
    key: str,
    payload: dict[str, Any],
    due_at: datetime,
    max_attempts: int | None = None,
    urgent: bool = False,
) -> OutboxMessage:
    """Queue one delivery, due at ``due_at`` (the caller's ``now``, most often), idempotent on
    ``key``; joins the caller's transaction."""
    if not transport:
        raise ValueError("transport: must not be empty")
    if not key:
        raise ValueError("key: must not be empty")
    if not isinstance(payload, dict):
        raise ValueError("payload: expected a JSON object")
    row = {**_NEW_MESSAGE, "transport": transport, "idempotency_key": key, "payload": payload}
    row["created_at"] = created_stamp(OutboxMessage)
    # No savepoint: a taken key is skipped by the insert, not an error to recover from.
    with transaction.atomic(savepoint=False):
        created = insert_rows(OutboxMessage, [row], returning_ids=True, skip_conflicts=True)
        if not created:  # enqueued before (or concurrently): that message stands
            return OutboxMessage.objects.get(idempotency_key=key)
        stored = [*created, *(row[name] for name in _MESSAGE_FIELDS[1:])]  # the key comes first
        message = OutboxMessage.from_db(DEFAULT_DB_ALIAS, _MESSAGE_FIELDS, stored)
        job = delivery_job(message, due_at=due_at)
        services.schedule(
            kind=job.kind,
            key=job.key,
            due_at=job.due_at,
            payload=job.payload,
            max_attempts=max_attempts,
            urgent=urgent,
        )
    return message


_MESSAGE_FIELDS = tuple(f.attname for f in OutboxMessage._meta.concrete_fields)
_NEW_MESSAGE: dict[str, Any] = {
    "status": OutboxMessage.Status.PENDING,
    "attempts": 0,
    "last_error": "",
    "sent_at": None,
}
"""A new message's columns but its transport, key, payload and creation time."""


class Delivery(NamedTuple):
    """What a delivery job holds, named as ``Job``'s fields (a row builder writes
    ``{**delivery._asdict(), ...}``)."""

    kind: str
    key: str
    payload: dict[str, Any]
    due_at: datetime


def delivery(message: int, key: str, *, due_at: datetime) -> Delivery:
    """The delivery job of outbox message ``message`` (its primary key), whose idempotency key
    is ``key``: one job per message, ever (its key is the message's, prefixed)."""
    return Delivery(DELIVER, job_key(key), {"message": message, "idempotency_key": key}, due_at)


def delivery_job(message: OutboxMessage, *, due_at: datetime) -> Job:
    """The unsaved job that delivers ``message`` (a saved outbox row), due at ``due_at``."""
    job = delivery(message.pk, message.idempotency_key, due_at=due_at)
    return Job(**job._asdict())


def enqueue_email(
    *,
    key: str,
    to: Sequence[str],
    subject: str,
    body: str,
    due_at: datetime,
    html: str | None = None,
    headers: dict[str, str] | None = None,
    from_email: str | None = None,
    cc: Sequence[str] = (),
    attachments: Sequence[Attached] = (),
    max_attempts: int | None = None,
    urgent: bool = False,
) -> OutboxMessage:
    """Queue one email (see :func:`email_payload`), sent from ``due_at``; see
    :func:`enqueue`."""
    payload = email_payload(
        to=to,
        subject=subject,
        body=body,
        html=html,
        headers=headers,
        from_email=from_email,
        cc=cc,
        attachments=attachments,
    )
    return enqueue(
        transport="email",
        key=key,
        payload=payload,
        due_at=due_at,
        max_attempts=max_attempts,
        urgent=urgent,
    )


def email_payload(
    *,
    to: Sequence[str],
    subject: str,
    body: str,
    html: str | None = None,
    headers: dict[str, str] | None = None,
    from_email: str | None = None,
    cc: Sequence[str] = (),
    attachments: Sequence[Attached] = (),
) -> dict[str, Any]:
    """What an email's outbox row holds (and the email transport reads): plain ``body``,
    optional ``html`` alternative, copies to ``cc``, the stored files ``attachments``.
    Raises ``ValueError`` naming a wrong argument."""
    if isinstance(to, str) or not to or not _addresses(to):
        raise ValueError(f"to: expected a list of email addresses, got {to!r}")
    if isinstance(cc, str) or not _addresses(cc):
        raise ValueError(f"cc: expected a list of email addresses, got {cc!r}")
    if not isinstance(subject, str) or not subject.strip():
        raise ValueError("subject: must not be empty")
    if not isinstance(body, str):
        raise ValueError("body: expected text")
    payload: dict[str, Any] = {"to": list(to), "subject": subject, "body": body}
    if html is not None:
        payload["html"] = html
    if headers:
        payload["headers"] = dict(headers)
    if from_email:
        payload["from"] = from_email
    if cc:
        payload["cc"] = list(cc)
    if attachments:
        payload["attachments"] = [a._asdict() for a in attachments]
    return payload


class Attached(NamedTuple):
    """A stored file an email carries: its name in the default storage, the name the reader
    sees, its media type. The transport reads it when it sends."""

    file: str
    filename: str
    content_type: str


def _addresses(values: Sequence[object]) -> bool:
    return all(isinstance(a, str) and "@" in a for a in values)


def _mark_failed(job: Job, *, now: datetime) -> None:
    updated = OutboxMessage.objects.filter(
        pk=job.payload.get("message"), status=OutboxMessage.Status.PENDING
    ).update(status=OutboxMessage.Status.FAILED, last_error=job.last_error)
    if updated:
        log.error("outbox.failed", key=job.payload.get("idempotency_key"), job=job.key)
        delivery_failed.send(sender=OutboxMessage, message_id=job.payload.get("message"), now=now)


_MESSAGE = Prepared(lambda pk: OutboxMessage.objects.filter(pk=pk)[:1], 1)


@handler(DELIVER, atomic=False, on_failed=_mark_failed)
def deliver(job: Job, *, now: datetime) -> Callable[[], None] | None:
    """Send the message once more unless it is already sent; the "sent" record commits with
    the job's completion (a failed attempt is recorded at once)."""
    message = _MESSAGE.first(job.payload.get("message"))
    if message is None or message.status == OutboxMessage.Status.SENT:
        return None
    send = get_transport(message.transport)
    try:
        if send is None:
            known = ", ".join(sorted(_TRANSPORTS)) or "none"
            raise DeliveryError(f"no transport {message.transport!r} (known: {known})")
        send(message)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:4000]
        update(OutboxMessage, message.pk, increment=["attempts"], last_error=error)
        if isinstance(exc, PermanentDeliveryError):
            # Final: the message fails now (as after the last attempt), and the job completes
            # instead of raising, since the jobs layer retries whatever a handler raises. The
            # mark and what hooks on it commit together: if a hook raises, the message is still
            # pending and the job is retried, rather than failed with no hook run.
            job.last_error = error
            with transaction.atomic():
                _mark_failed(job, now=now)
            return None
        raise
    log.info("outbox.sent", transport=message.transport, key=message.idempotency_key)

    def record_sent() -> None:
        update(
            OutboxMessage,
            message.pk,
            increment=["attempts"],
            status=OutboxMessage.Status.SENT,
            sent_at=now,
            last_error="",
        )

    return record_sent


# --------------------------------------------------------------------------- email


def message_id(key: str) -> str:
    """A stable ``Message-ID`` for idempotency key ``key``: a re-send carries the same one."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    return f"<{digest}.outbox@{email_domain()}>"


def new_message_id() -> str:
    """A fresh ``Message-ID`` of ours, for an email others will reply to: unlike
    :func:`message_id`, never the same after a database reset. Random from the operating
    system (``uuid4``), not from ``random`` (which ``email.utils.make_msgid`` uses, and which
    a seeded caller such as hypothesis repeats)."""
    return f"<{uuid.uuid4().hex}@{email_domain()}>"


def email_domain() -> str:
    sender = str(getattr(settings, "DEFAULT_FROM_EMAIL", "") or "")
    domain = sender.rsplit("@", 1)[-1].strip(" >") if "@" in sender else ""
    return domain or "soporte.invalid"


@transport("email")
def send_email(message: OutboxMessage) -> None:
    """Deliver an email payload (to, subject, body, html?, headers?, from?, cc?,
    attachments?) through Django, over the batch's connection when a worker runs it (see
    :func:`_one_connection_per_batch`). Headers are written one line each
    (``jobs.mailheaders``), so no subject can break the email; an address Django refuses fails
    the message at once (a retry cannot help). Attachments are read from storage now; one that
    is gone is left out (and logged), never the whole email."""
    payload = message.payload
    headers = {str(k): v for k, v in (payload.get("headers") or {}).items()}
    if not any(k.lower() == "message-id" for k in headers):
        headers["Message-ID"] = message_id(message.idempotency_key)
    session = _BATCH_CONNECTION.get()
    email = email_message(
        subject=payload["subject"],
        body=payload.get("body", ""),
        from_email=payload.get("from"),
        to=payload["to"],
        cc=payload.get("cc") or (),
        headers=headers,
        html=payload.get("html"),
        attachments=_read_attachments(message),
        connection=session.connection() if session else get_connection(fail_silently=False),
    )
    try:
        accepted = email.send()
    except ValueError as exc:  # BadHeaderError, an invalid address: raised before sending
        raise PermanentDeliveryError(f"the email cannot be written: {exc}") from exc
    except Exception:
        if session:
            session.close()  # a broken connection must not fail the batch's other emails
        raise
    if accepted != 1:
        raise DeliveryError("the email backend accepted no message")


def _read_attachments(message: OutboxMessage) -> list[tuple[str, bytes, str]]:
    """The payload's attachments as (file name, content, media type), read from storage; a
    file storage no longer holds (deleted, or an unreadable entry) is logged and left out."""
    read = []
    for entry in message.payload.get("attachments") or ():
        try:
            attached = Attached(**entry)
            with default_storage.open(attached.file, "rb") as stored:
                content = stored.read()
        except (OSError, SuspiciousOperation, TypeError, ValueError) as exc:
            log.warning(
                "outbox.attachment_missing",
                key=message.idempotency_key,
                attachment=entry,
                error=f"{type(exc).__name__}: {exc}",
            )
            continue
        read.append((attached.filename, content, attached.content_type))
    return read


class _BatchConnection:
    """One email backend connection, opened at the batch's first email and closed at its end."""

    def __init__(self) -> None:
        self._backend: BaseEmailBackend | None = None

    def connection(self) -> BaseEmailBackend:
        if self._backend is None:
            backend = get_connection(fail_silently=False)
            backend.open()
            self._backend = backend
        return self._backend

    def close(self) -> None:
        backend, self._backend = self._backend, None
        if backend is not None:
            try:
                backend.close()
            except Exception:  # closing a connection the server already dropped
                log.debug("outbox.email_close_failed", exc_info=True)


_BATCH_CONNECTION: ContextVar[_BatchConnection | None] = ContextVar(
    "outbox_email_connection", default=None
)


@batch_scope
@contextmanager
def _one_connection_per_batch() -> Iterator[None]:
    """A worker's batch sends its emails over one connection (one SMTP handshake, not one per
    email); it is opened only if the batch sends an email."""
    session = _BatchConnection()
    token = _BATCH_CONNECTION.set(session)
    try:
        yield
    finally:
        _BATCH_CONNECTION.reset(token)
        session.close()

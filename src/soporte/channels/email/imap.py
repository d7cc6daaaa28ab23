"""The IMAP poll: every new message of the support mailbox, filed exactly once.

``SOPORTE_IMAP_URL`` names the mailbox: ``imaps://user:pass@host[:993]/INBOX`` (implicit TLS)
or ``imap://user:pass@host[:143]/INBOX`` (STARTTLS, required unless the host is the loopback
interface); user and password are percent-decoded, the folder defaults to ``INBOX``.

One poll selects the folder, and for each message (by UID, oldest first) fetches its raw bytes
without setting ``\\Seen`` and its INTERNALDATE (our receipt: the SLA clock starts there, not at
the sender's ``Date``), files it with :func:`soporte.channels.email.ingest.ingest` in its own
committed transaction, *then* moves it out of the folder: to ``SOPORTE_IMAP_PROCESSED``
(``Procesados``), or ``SOPORTE_IMAP_REJECTED`` (``Rechazados``) when it was rejected, so no
message is lost or retried forever. Both folders are created when missing. UID MOVE when the
server has it, else COPY, ``\\Deleted`` and EXPUNGE; if the folders cannot be created the
message is flagged ``\\Seen`` and only unseen messages are polled.

A crash between the commit and the move leaves the message in the folder: the next poll files
it again, and the ingest, idempotent on the Message-ID, answers ``duplicate`` and writes nothing.
"""

from __future__ import annotations

import ipaddress
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlsplit

import structlog
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, close_old_connections, transaction
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError

from soporte.channels.email.ingest import Outcome, Result, ingest

log = structlog.get_logger(__name__)

TIMEOUT = 30.0
"""Seconds a network operation may take before the poll gives up on the connection."""
MAX_BACKOFF = 300.0
"""The longest wait, in seconds, between attempts to reach a mailbox that went away."""

Unreachable = (OSError, IMAPClientError)
"""What a dropped connection, a refused login or a server that went away raises."""


@dataclass(frozen=True, slots=True)
class Mailbox:
    """Where the poll reads (the URL's parts) and where it files what it read."""

    host: str
    port: int
    tls: bool
    user: str = field(repr=False)
    password: str = field(repr=False)
    folder: str = "INBOX"
    processed: str = "Procesados"
    rejected: str = "Rechazados"

    def __str__(self) -> str:
        scheme = "imaps" if self.tls else "imap"
        return f"{scheme}://{self.host}:{self.port}/{self.folder}"


def mailbox_from_url(url: str, *, processed: str, rejected: str) -> Mailbox:
    """The mailbox ``url`` names; :class:`ImproperlyConfigured`, saying what is wrong, if it
    is not an ``imap://`` or ``imaps://`` URL with a host, a user and a password."""
    name = "SOPORTE_IMAP_URL"
    parts = urlsplit(url.strip())
    if parts.scheme not in {"imap", "imaps"}:
        raise ImproperlyConfigured(
            f"{name}: unsupported scheme {parts.scheme!r} (expected imaps://user:pass@host/INBOX "
            "or imap://...)"
        )
    try:
        port = parts.port
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: the port is not a number from 1 to 65535") from exc
    if not parts.hostname:
        raise ImproperlyConfigured(f"{name}: the host is missing")
    if not parts.username or parts.password is None:
        raise ImproperlyConfigured(f"{name}: the user and password are missing (user:pass@host)")
    if parts.query or parts.fragment:
        raise ImproperlyConfigured(f"{name}: unexpected ?query or #fragment after the folder")
    for setting, folder in (
        ("SOPORTE_IMAP_PROCESSED", processed),
        ("SOPORTE_IMAP_REJECTED", rejected),
    ):
        if not folder.strip():
            raise ImproperlyConfigured(f"{setting}: the folder name is empty")
    tls = parts.scheme == "imaps"
    return Mailbox(
        host=parts.hostname,
        port=port or (993 if tls else 143),
        tls=tls,
        user=unquote(parts.username),
        password=unquote(parts.password),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
        processed=processed.strip(),
        rejected=rejected.strip(),
    )


def configured() -> Mailbox | None:
    """The mailbox of ``SOPORTE_IMAP_URL``, or ``None`` when the desk polls no mailbox."""
    url = settings.SOPORTE_IMAP_URL
    if not url:
        return None
    return mailbox_from_url(
        url, processed=settings.SOPORTE_IMAP_PROCESSED, rejected=settings.SOPORTE_IMAP_REJECTED
    )


class InsecureMailbox(ImproperlyConfigured):
    """An ``imap://`` server on another host that offers no STARTTLS: the password would
    cross the network in clear."""


@contextmanager
def session(mailbox: Mailbox) -> Iterator[IMAPClient]:
    """A logged-in connection to ``mailbox``, logged out (or dropped) on the way out."""
    context = ssl.create_default_context()
    client = IMAPClient(
        mailbox.host, port=mailbox.port, ssl=mailbox.tls, ssl_context=context, timeout=TIMEOUT
    )
    try:
        if not mailbox.tls:
            if client.has_capability("STARTTLS"):
                client.starttls(context)
            elif not _loopback(mailbox.host):
                raise InsecureMailbox(
                    f"SOPORTE_IMAP_URL: {mailbox.host} offers no STARTTLS; use imaps:// "
                    "(the password would be sent in clear)"
                )
        client.normalise_times = False  # INTERNALDATE with its offset, not naive local time
        client.login(mailbox.user, mailbox.password)
        yield client
    finally:
        try:
            client.logout()
        except Unreachable:
            log.debug("imap.logout_failed", exc_info=True)  # the connection is gone already


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class Polled:
    """One message the poll filed: where it was (``INBOX/17``) and what became of it."""

    name: str
    result: Result


def poll(
    client: IMAPClient, mailbox: Mailbox, *, now: datetime, limit: int | None = None
) -> list[Polled]:
    """File up to ``limit`` messages of ``mailbox``'s folder at ``now``, oldest first, each
    committed before it is moved out of the folder. Raises what :data:`Unreachable` names
    when the connection fails, and :class:`django.db.DatabaseError` when the database does;
    the message at hand then stays where it was, for the next poll."""
    can_move = _ensure_folders(client, mailbox)
    client.select_folder(mailbox.folder)
    criteria = ["NOT", "DELETED"] if can_move else ["UNSEEN", "NOT", "DELETED"]
    uids = sorted(client.search(criteria))[:limit]
    done: list[Polled] = []
    for uid in uids:
        fetched = client.fetch([uid], ["BODY.PEEK[]", "INTERNALDATE"]).get(uid)
        if fetched is None:
            continue  # moved meanwhile, by another poll
        result = _file(fetched[b"BODY[]"], fetched[b"INTERNALDATE"], now=now)
        target = mailbox.rejected if result.outcome == Outcome.REJECTED else mailbox.processed
        _move(client, uid, target if can_move else None)
        log.info(
            "imap.filed", uid=uid, outcome=str(result.outcome), ticket=result.ticket, to=target
        )
        done.append(Polled(f"{mailbox.folder}/{uid}", result))
    return done


def _file(raw: bytes, internaldate: datetime, *, now: datetime) -> Result:
    """Ingest one message in a transaction of its own, committed on return. A message the
    ingest chokes on is rejected (and kept in the rejected folder), a database failure raised."""
    # Never after ``now``: a message arriving during the poll (``now`` is when it began) or a
    # server clock ahead of ours would start the ticket's clocks in its future.
    received_at = min(internaldate.astimezone(UTC), now)
    try:
        with transaction.atomic():
            return ingest(raw, received_at=received_at, now=now)
    except DatabaseError:
        raise
    except Exception as exc:
        log.exception("imap.ingest_failed")
        return Result(Outcome.REJECTED, None, None, f"cannot be read: {type(exc).__name__}: {exc}")


def _ensure_folders(client: IMAPClient, mailbox: Mailbox) -> bool:
    """Create the processed and rejected folders if missing; ``False`` if the server refuses."""
    try:
        for folder in (mailbox.processed, mailbox.rejected):
            if not client.folder_exists(folder):
                client.create_folder(folder)
    except IMAPClientAbortError:
        raise  # the connection dropped: not a refusal
    except IMAPClientError as exc:
        log.warning("imap.cannot_create_folders", error=str(exc))
        return False
    return True


def _move(client: IMAPClient, uid: int, folder: str | None) -> None:
    if folder is None:
        client.add_flags([uid], [b"\\Seen"])
    elif client.has_capability("MOVE"):
        client.move([uid], folder)
    else:
        client.copy([uid], folder)
        client.add_flags([uid], [b"\\Deleted"])
        client.uid_expunge([uid]) if client.has_capability("UIDPLUS") else client.expunge()


def poll_once(mailbox: Mailbox, *, now: datetime, limit: int | None = None) -> list[Polled]:
    """Connect, :func:`poll`, log out."""
    with session(mailbox) as client:
        return poll(client, mailbox, now=now, limit=limit)


def poll_forever(
    mailbox: Mailbox,
    *,
    clock: Callable[[], datetime],
    every: float,
    stop: threading.Event,
    report: Callable[[Polled], Any],
) -> None:
    """Poll every ``every`` seconds, at ``clock()``, until ``stop`` is set, handing each filed
    message to ``report``. A dropped connection or a database failure is logged and the poll
    tried again after a backoff (1 s, doubling up to :data:`MAX_BACKOFF`) on a new connection."""
    failures = 0
    while not stop.is_set():
        try:
            with session(mailbox) as client:
                while not stop.is_set():
                    for polled in poll(client, mailbox, now=clock()):
                        report(polled)
                    failures = 0
                    stop.wait(every)
        except (*Unreachable, DatabaseError) as exc:
            failures += 1
            wait = min(2.0 ** (failures - 1), MAX_BACKOFF)
            log.warning("imap.poll_failed", mailbox=str(mailbox), error=str(exc), retry_in=wait)
            close_old_connections()  # a database that went away: reconnect on the next poll
            stop.wait(wait)

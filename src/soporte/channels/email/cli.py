"""``soporte mail``: feed the email channel by hand or from an MTA.

- ``soporte mail ingest [FILE ...|-] [--json]``: raw RFC 5322 messages from files (``.eml``;
  a folder takes every ``.eml`` in it) or standard input (``-``, the default: an MTA's pipe);
- ``soporte mail poll [--once]``: fetch new messages from the IMAP mailbox
  ``SOPORTE_IMAP_URL`` (``soporte.channels.email.imap``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from soporte.channels.email.ingest import Result


def register(subparsers: Any) -> None:
    mail = subparsers.add_parser("mail", help="the email channel: ingest messages, poll IMAP")
    verbs = mail.add_subparsers(title="verbs", metavar="VERB", required=True)
    ingest = verbs.add_parser(
        "ingest",
        help="file raw messages (.eml files, folders of them, or - for standard input)",
        description="File each raw RFC 5322 message as a ticket or a reply, exactly once. "
        "Exit 0 when every message was handled (ignored counts), 1 if any was rejected.",
    )
    ingest.add_argument("paths", nargs="*", default=["-"], metavar="FILE", help="default: -")
    ingest.add_argument("--json", action="store_true", help="one JSON line per message")
    ingest.set_defaults(func=run_ingest, needs_django=True)
    poll = verbs.add_parser(
        "poll",
        help="file the new messages of the IMAP mailbox SOPORTE_IMAP_URL",
        description="File each message of the mailbox SOPORTE_IMAP_URL, then move it to the "
        "processed folder (or the rejected one), every SOPORTE_IMAP_POLL_SECONDS until stopped. "
        "With --once: exit 0 when every message was handled, 1 if any was rejected, 3 if the "
        "mailbox cannot be reached.",
    )
    poll.add_argument("--once", action="store_true", help="poll once, then exit")
    poll.add_argument("--json", action="store_true", help="one JSON line per message")
    poll.set_defaults(func=run_poll, needs_django=True)


def run_ingest(args: argparse.Namespace) -> int:
    from django.utils import timezone

    from soporte.channels.email.ingest import Outcome, ingest

    rejected = False
    for name, raw in _messages(args.paths):
        if raw is None:
            rejected = True
            continue
        now = timezone.now()
        result = ingest(raw, received_at=now, now=now)
        rejected = rejected or result.outcome == Outcome.REJECTED
        _print(name, result, as_json=args.json)
    return 1 if rejected else 0


EXIT_UNREACHABLE = 3


def run_poll(args: argparse.Namespace) -> int:
    import signal
    import threading

    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.utils import timezone

    from soporte.channels.email import imap
    from soporte.channels.email.ingest import Outcome

    mailbox = imap.configured()
    if mailbox is None:
        raise ImproperlyConfigured("SOPORTE_IMAP_URL is not set (imaps://user:pass@host/INBOX)")

    def report(polled: imap.Polled) -> None:
        _print(polled.name, polled.result, as_json=args.json)

    if not args.once:
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        every = float(settings.SOPORTE_IMAP_POLL_SECONDS)
        imap.poll_forever(mailbox, clock=timezone.now, every=every, stop=stop, report=report)
        return 0
    try:
        polled = imap.poll_once(mailbox, now=timezone.now())
    except imap.Unreachable as exc:
        print(f"soporte: cannot poll {mailbox}: {exc}", file=sys.stderr)
        return EXIT_UNREACHABLE
    for each in polled:
        report(each)
    return 1 if any(p.result.outcome == Outcome.REJECTED for p in polled) else 0


def _print(name: str, result: Result, *, as_json: bool) -> None:
    if as_json:
        print(json.dumps(result.as_json(), ensure_ascii=False), flush=True)
    else:
        where = f" #{result.ticket}" if result.ticket else ""
        why = f" ({result.reason})" if result.reason else ""
        print(f"{name}: {result.outcome}{where}{why}", flush=True)


def _messages(paths: list[str]) -> Iterator[tuple[str, bytes | None]]:
    """Each message's name and bytes (``None``, said on standard error, when unreadable)."""
    for name in paths:
        if name == "-":
            yield "-", sys.stdin.buffer.read()
            continue
        path = Path(name)
        files = sorted(path.glob("*.eml")) if path.is_dir() else [path]
        for file in files:
            try:
                yield str(file), file.read_bytes()
            except OSError as exc:
                print(f"soporte: cannot read {file}: {exc.strerror}", file=sys.stderr)
                yield str(file), None

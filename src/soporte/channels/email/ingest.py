"""One inbound email, exactly once: the single service behind the IMAP poll, the pipe
(``soporte mail ingest``) and the HTTP hook (``POST /hooks/email``).

A message is keyed on its Message-ID within the email channel's scope: delivered again (an IMAP
redelivery after a crash, an MTA retry), it is a ``duplicate`` and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from soporte.accounts.models import Contact
from soporte.channels.email.domain.message import InboundMail, TooLarge, parse
from soporte.tickets import services as tickets
from soporte.tickets.domain.intake import Intake
from soporte.tickets.selectors import MessageKey, keyed_message

SCOPE = "email"
"""The scope of inbound emails' Message-IDs (``tickets.selectors.MessageKey``)."""


class Outcome(StrEnum):
    CREATED = "created"
    APPENDED = "appended"
    DUPLICATE = "duplicate"
    IGNORED = "ignored"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class Result:
    """What became of one message (``soporte mail ingest --json`` prints one per line)."""

    outcome: Outcome
    ticket: int | None
    mail: InboundMail | None
    reason: str | None = None

    def as_json(self) -> dict[str, object]:
        mail = self.mail
        return {
            "outcome": str(self.outcome),
            "ticket": self.ticket,
            "message_id": mail.message_id if mail else None,
            "from": mail.from_address if mail else None,
            "subject": mail.subject if mail else None,
            "text": mail.text if mail else None,
            "reason": self.reason,
        }


def ingest(raw: bytes, *, received_at: datetime, now: datetime) -> Result:
    """Read ``raw`` (received by us at ``received_at``) and file it, at ``now``."""
    try:
        mail = parse(raw)
    except TooLarge as exc:
        return Result(Outcome.REJECTED, None, None, str(exc))
    key = MessageKey(SCOPE, mail.message_id)
    known = keyed_message(key)
    if known is not None:
        return Result(Outcome.DUPLICATE, known.ticket_id, mail)
    requester = Contact.objects.filter(user__email__iexact=mail.from_address).first()
    if requester is None:
        return Result(Outcome.IGNORED, None, mail, "unknown sender")
    ticket = tickets.open_ticket(
        requester=requester,
        channel="email",
        severity="P2",
        subject=mail.subject or "(no subject)",
        body=mail.text,
        intake=Intake(),
        now=now,
        received_at=received_at,
        key=key,
    )
    return Result(Outcome.CREATED, ticket.pk, mail)

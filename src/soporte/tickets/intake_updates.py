"""A customer's later reply completing a ticket's intake (READING.md §6): what it supplies is
decided by ``tickets.domain.intake.supplied``; this stores it in the caller's transaction."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from soporte.accounts.models import Contact
from soporte.public import public_url
from soporte.tickets import timeline
from soporte.tickets.domain.intake import IntakeField, supplied
from soporte.tickets.models import EventKind, Ticket

_SUPPLIED_COLUMNS = ("organisation_id", "url", "browser_os", "started_at")
"""The intake fields a message can supply that have a column (the screenshot has none)."""


def own_hosts() -> frozenset[str]:
    """The desk's own host names: a link to them, quoted from our emails, is not where the
    customer was."""
    return frozenset(filter(None, [urlsplit(public_url()).hostname]))


def record_supplied(
    ticket: Ticket, author: Contact, body: str, *, attached: bool, at: datetime
) -> None:
    """Store what the customer's reply supplies of the intake fields the ticket lacks, and its
    new completeness, with a timeline event (READING.md §6)."""
    # The screenshot is the one field without a column: the stored completeness counted it
    # when it is above the fields the columns hold.
    in_columns = len(ticket.intake(has_screenshot=False).present())
    before = ticket.intake(has_screenshot=ticket.completeness > in_columns)
    after = supplied(
        before,
        text=body,
        attached=attached,
        organisation_id=str(ticket.organisation_id),
        own_hosts=own_hosts(),
    )
    if after == before:
        return
    columns = [f"intake_{name}" for name in _SUPPLIED_COLUMNS]
    for name, column in zip(_SUPPLIED_COLUMNS, columns, strict=True):
        setattr(ticket, column, getattr(after, name))
    old, ticket.completeness = ticket.completeness, after.completeness
    ticket.save(update_fields=[*columns, "completeness"])
    came = [f.value for f in IntakeField if f in after.present() - before.present()]
    timeline.record(
        ticket,
        EventKind.INTAKE_UPDATED,
        at=at,
        actor=author,
        supplied=came,
        old=old,
        new=ticket.completeness,
    )

"""What one email costs the database: the queries of a new ticket and of a reply.

The email ingest runs once per message of a mailbox, so a query added to its path is paid by
every message (issue 10's ingest bench). These bounds are today's counts: a change that needs
more must say why here, and one that saves some lowers them.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from ingest_helpers import deliver, raw

from soporte.channels.email.ingest import Outcome

pytestmark = pytest.mark.django_db

NEW_TICKET = 20
"""Duplicate, own-mail and agent checks (3), the contact, the auto-reply's last send and its
record (3), the ticket and its rows (8), the weekly chains' next jobs (2: ``jobs.chains``), and
two savepoints (4: the filing's and ``open_ticket``'s; the test's transaction stands for the
commit)."""
REPLY = 18
"""The three checks, the thread (the referenced message and its ticket), then the reply as
``tickets.services.reply`` writes it (status, timeline, report facts; no T1 exchange count
while no agent has replied)."""


def test_a_new_ticket_and_a_reply_stay_within_their_queries(world: Any) -> None:
    # Another customer's ticket first: the first ticket of all also starts the weekly chains.
    deliver(raw(sender=f"Pro <{world.contacts['pro'].email}>", message_id="<warm@client.example>"))
    with CaptureQueriesContext(connection) as new:
        first = deliver(raw(message_id="<first@client.example>"))
    assert first.outcome == Outcome.CREATED
    with CaptureQueriesContext(connection) as answer:
        second = deliver(raw(body="Sigue igual.", in_reply_to="<first@client.example>"))
    assert second.outcome == Outcome.APPENDED
    assert second.ticket == first.ticket
    assert len(new) <= NEW_TICKET, "\n".join(q["sql"][:120] for q in new.captured_queries)
    assert len(answer) <= REPLY, "\n".join(q["sql"][:120] for q in answer.captured_queries)

"""The hook on-call paging plugs into.

``page_requested`` is sent inside the transaction that decided a page is due: a P0 opened (at
once, any hour, any plan) or a P0/P1 escalated to T3 as a code or infrastructure bug. The
escalation app connects a receiver that opens the page; until then the timeline records the
request. Keyword arguments: ``ticket``, ``reason`` (``"p0_opened"``, ``"p0_raised"`` or
``"t3_code_bug"``), ``at``.

``severity_changed`` is sent inside the transaction that changed a ticket's severity (after
the change is recorded); the escalation app re-plans the ticket's open page (READING §9).
Keyword arguments: ``ticket``, ``at``.

``ticket_resolved`` is sent inside the transaction that marks a ticket solved or closed (from any
other status); the escalation app resolves the ticket's page and the feedback app offers the
resolution's CSAT survey. Keyword arguments: ``ticket``, ``actor`` (the agent or contact who
resolved it), ``at``.

``ticket_reopened`` is sent inside the transaction that moves a solved or closed ticket back to
an open status; the feedback app voids the resolution's unanswered survey. Keyword arguments:
``ticket``, ``at``.

``tickets_opened`` is sent inside the transaction that wrote new tickets (``services.open_ticket``,
one; ``bulk.load``, each batch); the feedback app indexes their wording for similar-ticket
suggestions. Keyword arguments: ``numbers``, ``subjects``, ``bodies`` (as given: text or HTML),
``received`` (each ticket's ``opened_at``), in the same order; ``now`` (when they are written). The
feedback and kb apps start their weekly chains (the Monday digest, the pinned FAQs' count).

``agent_replied`` is sent inside the transaction that wrote an agent's public reply (never an
internal note); the knowledge base records the articles it links to. Keyword arguments:
``ticket``, ``message``, ``agent``, ``at``.
"""

from __future__ import annotations

from django.dispatch import Signal

page_requested = Signal()
severity_changed = Signal()
ticket_resolved = Signal()
ticket_reopened = Signal()
tickets_opened = Signal()
agent_replied = Signal()

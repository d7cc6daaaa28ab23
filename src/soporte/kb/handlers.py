"""The knowledge base's signal receivers: a public agent reply records the articles it links
to (``uses.record_uses``), in the reply's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.dispatch import receiver

from soporte.accounts.models import Agent
from soporte.kb.uses import record_uses
from soporte.tickets.models import Message, Ticket
from soporte.tickets.signals import agent_replied


@receiver(agent_replied, dispatch_uid="kb.record_uses")
def _answered(
    sender: Any, *, ticket: Ticket, message: Message, agent: Agent, at: datetime, **kwargs: Any
) -> None:
    record_uses(ticket=ticket, body=message.body, agent=agent, now=at)

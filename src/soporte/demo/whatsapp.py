"""The demo desk's WhatsApp conversation, sent through the channel as Meta sends it: webhook
bodies filed by the service behind the hook once it has checked the signature
(``ingest.receive``, as the email demo calls the email ingest), relative to ``now``. Luis
(Pro) reports a machine from the field, sends its location, gets Lucía's answer and
confirms; an unknown number lands with the unidentified senders.

Text and location only: a media message would need the Graph API to fetch its file, and the
demo has none. Without a configured token, the agent's reply shows in the console as not sent
(the outbox's error says why), as it would on a desk not yet connected to Meta.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from soporte.accounts.models import Agent, Contact
from soporte.channels.whatsapp.ingest import receive
from soporte.tickets import services as tickets
from soporte.tickets.models import Ticket

BUSINESS = {"display_phone_number": "528126982507", "phone_number_id": "100000000000001"}


def seed(*, luis: Contact, agent: Agent, now: datetime) -> None:
    luis.phone = "+52 81 1234 5678"
    luis.save(update_fields=["phone"])
    start = now - timedelta(minutes=50)
    number = _deliver(
        "5218112345678",
        luis.name,
        _text(
            "wamid.DEMO1", "La máquina 14 de la ruta norte no acepta billetes desde las 8", start
        ),
        _location("wamid.DEMO2", start + timedelta(minutes=1)),
    )
    assert number is not None
    ticket = Ticket.objects.get(pk=number)
    tickets.reply(
        ticket=ticket,
        author=agent,
        body="Gracias, Luis. Ya reiniciamos el validador de la máquina 14; ¿puedes probar?",
        at=start + timedelta(minutes=12),
    )
    _deliver(
        "5218112345678",
        luis.name,
        _text("wamid.DEMO3", "Listo, ya acepta 👍", start + timedelta(minutes=20)),
    )
    _deliver(
        "5215598765432",
        "Don Chuy",
        _text(
            "wamid.DEMO4",
            "Buenas, ¿a quién le reporto una máquina sin monedas?",
            now - timedelta(minutes=8),
        ),
    )


def _text(wamid: str, body: str, at: datetime) -> tuple[str, dict[str, Any]]:
    return wamid, {"timestamp": str(int(at.timestamp())), "type": "text", "text": {"body": body}}


def _location(wamid: str, at: datetime) -> tuple[str, dict[str, Any]]:
    place = {"latitude": 25.721, "longitude": -100.3099, "name": "Ruta norte, máquina 14"}
    return wamid, {"timestamp": str(int(at.timestamp())), "type": "location", "location": place}


def _deliver(sender: str, name: str, *messages: tuple[str, dict[str, Any]]) -> int | None:
    """A webhook body as Meta writes it, handed to the hook's service; the ticket."""
    value = {
        "messaging_product": "whatsapp",
        "metadata": BUSINESS,
        "contacts": [{"profile": {"name": name}, "wa_id": sender}],
        "messages": [{"from": sender, "id": wamid, **fields} for wamid, fields in messages],
    }
    raw = json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [{"id": "demo", "changes": [{"value": value, "field": "messages"}]}],
        }
    ).encode()
    latest = max(int(fields["timestamp"]) for _wamid, fields in messages)
    received = receive(raw, now=datetime.fromtimestamp(latest + 2, UTC))
    return received.messages[0].ticket

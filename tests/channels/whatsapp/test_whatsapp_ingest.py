"""What a WhatsApp message becomes: the sender by number (Mexico's 521 form), every message
type, replies (context), reactions, the conversation rule (reopen within 7 days, else a new
linked ticket), status callbacks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from whatsapp_helpers import message, payload, post, status, text

from soporte.channels.whatsapp.models import WhatsAppSender, WhatsAppSent, WhatsAppStatus
from soporte.tickets import services as tickets
from soporte.tickets.models import EventKind, Message, MessageKind, Status, Ticket

pytestmark = pytest.mark.django_db

AT = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)  # Monday 10:00 in Mexico City


def deliver(*messages: dict[str, Any], **kwargs: Any) -> list[dict[str, Any]]:
    """Post ``messages`` as WhatsApp would, a few seconds after the latest was written."""
    latest = max(int(m["timestamp"]) for m in messages)
    now = datetime.fromtimestamp(latest, UTC) + timedelta(seconds=3)
    response = post(payload(*messages, **kwargs), now=now)
    assert response.status_code == 200, response.content
    return list(response.json()["messages"])


def latest_text(ticket: Ticket) -> str:
    return str(ticket.messages.filter(author_kind="customer").last().body)


def test_a_mexican_521_number_finds_the_contact_stored_as_52(world: Any, whatsapp: Any) -> None:
    ana = world.contacts["pro"]
    ana.phone = "+52 81 2698 2507"
    ana.save(update_fields=["phone"])

    [result] = deliver(text("wamid.MX", "La máquina 12 no cobra", at=AT, sender="5218126982507"))

    ticket = Ticket.objects.get(pk=result["ticket"])
    assert (ticket.requester, ticket.organisation, ticket.plan) == (ana, ana.organisation, "pro")
    assert ticket.subject == "La máquina 12 no cobra"
    assert ticket.channel_entitled
    kinds = {c.kind: c.target for c in ticket.clocks.all()}
    assert kinds.get("channel") == "30 min" or "30 min" in {c.target for c in ticket.clocks.all()}


def test_an_unknown_number_is_an_unidentified_sender(world: Any, whatsapp: Any) -> None:
    [result] = deliver(text("wamid.U", "hola", at=AT, sender="5213312345678"), name="Pepe")

    ticket = Ticket.objects.get(pk=result["ticket"])
    assert ticket.organisation.unidentified
    assert (ticket.requester.name, ticket.requester.phone_e164) == ("Pepe", "+523312345678")
    assert WhatsAppSender.objects.get(wa_id="5213312345678").contact == ticket.requester


def test_a_new_ticket_is_acknowledged_over_whatsapp_not_by_email(
    world: Any, whatsapp: Any, mailoutbox: list[Any]
) -> None:
    ana = world.contacts["pro"]
    ana.phone = "8126982507"
    ana.save(update_fields=["phone"])

    [result] = deliver(text("wamid.ACK", "hola", at=AT))

    from soporte.jobs.models import OutboxMessage

    [queued] = OutboxMessage.objects.filter(transport="whatsapp")
    assert queued.payload["body"]["to"] == "5218126982507"  # the wa_id, as sent
    assert f"#{result['ticket']}" in queued.payload["body"]["text"]["body"]
    assert not OutboxMessage.objects.filter(transport="email", idempotency_key__startswith="ack:")


@pytest.mark.parametrize(
    ("kind", "part", "expected"),
    [
        (
            "location",
            {"location": {"latitude": 25.686614, "longitude": -100.316113, "name": "Planta Norte"}},
            [
                "Location: Planta Norte",
                "25.686614, -100.316113",
                "https://www.google.com/maps/search/?api=1&amp;query=25.686614,-100.316113",
            ],
        ),
        (
            "contacts",
            {
                "contacts": [
                    {"name": {"formatted_name": "Luis"}, "phones": [{"phone": "+52 81 1234 5678"}]}
                ]
            },
            ["Shared contact: Luis +52 81 1234 5678"],
        ),
        (
            "interactive",
            {
                "interactive": {
                    "type": "button_reply",
                    "button_reply": {"id": "y", "title": "Sí, sigue"},
                }
            },
            ["Sí, sigue"],
        ),
        ("button", {"button": {"text": "Confirmar", "payload": "OK"}}, ["Confirmar"]),
        (
            "unsupported",
            {"errors": [{"code": 131051, "title": "Message type unknown"}]},
            ["[A WhatsApp message the desk cannot show (Message type unknown)"],
        ),
        (
            "image",
            {"image": {"id": "m1", "mime_type": "image/jpeg", "caption": "pantalla"}},
            ["[Image]", "pantalla"],
        ),
        (
            "audio",
            {"audio": {"id": "m2", "mime_type": "audio/ogg", "voice": True}},
            ["[Voice note]"],
        ),
        (
            "document",
            {"document": {"id": "m3", "filename": "factura.pdf"}},
            ["[Document: factura.pdf]"],
        ),
        ("video", {"video": {"id": "m4"}}, ["[Video]"]),
        ("sticker", {"sticker": {"id": "m5"}}, ["[Sticker]"]),
    ],
)
def test_every_message_type_becomes_a_message(
    world: Any, whatsapp: Any, kind: str, part: dict[str, Any], expected: list[str]
) -> None:
    kate = world.contacts["enterprise"]
    kate.phone, kate.locale = "8126982507", "en"
    kate.save(update_fields=["phone", "locale"])
    [result] = deliver(message("wamid.T", at=AT, kind=kind, **part))

    assert result["outcome"] == "created"
    body = latest_text(Ticket.objects.get(pk=result["ticket"]))
    for piece in expected:
        assert piece in body


def test_a_reply_to_an_earlier_message_says_which(world: Any, whatsapp: Any) -> None:
    deliver(text("wamid.FIRST", "La máquina 7 no da cambio", at=AT))
    [result] = deliver(
        text(
            "wamid.SECOND",
            "sigue igual",
            at=AT + timedelta(minutes=5),
            context={"id": "wamid.FIRST"},
        ),
        text("wamid.THIRD", "?", at=AT + timedelta(minutes=6), context={"id": "wamid.GONE"}),
    )[:1]
    ticket = Ticket.objects.get(pk=result["ticket"])
    bodies = [m.body for m in ticket.messages.filter(author_kind="customer")]
    assert "(En respuesta a: «La máquina 7 no da cambio»)" in bodies[1]  # the desk speaks Spanish
    assert "(En respuesta a un mensaje anterior)" in bodies[2]


def test_a_reply_to_one_of_our_messages_quotes_it(world: Any, whatsapp: Any) -> None:
    [first] = deliver(text("wamid.Q1", "hola", at=AT))
    ticket = Ticket.objects.get(pk=first["ticket"])
    ours = tickets.reply(ticket=ticket, author=world.agents["t1"], body="¿Qué máquina?", at=AT)
    WhatsAppSent.objects.create(
        wamid="wamid.OURS", outbox_key="k", ticket=ticket, message=ours, kind="text", sent_at=AT
    )

    deliver(text("wamid.Q2", "la 12", at=AT + timedelta(minutes=1), context={"id": "wamid.OURS"}))

    assert "(En respuesta a: «¿Qué máquina?»)" in latest_text(ticket)


def test_a_reaction_is_a_note_that_changes_nothing(world: Any, whatsapp: Any) -> None:
    [first] = deliver(text("wamid.R0", "hola", at=AT))
    ticket = Ticket.objects.get(pk=first["ticket"])
    tickets.change_status(ticket=ticket, status=Status.SOLVED, actor=world.agents["t1"], at=AT)
    reaction = {"reaction": {"message_id": "wamid.R0", "emoji": "👍"}}

    [result] = deliver(message("wamid.R1", at=AT + timedelta(hours=1), kind="reaction", **reaction))
    deliver(message("wamid.R1", at=AT + timedelta(hours=1), kind="reaction", **reaction))

    assert (result["outcome"], result["ticket"]) == ("noted", ticket.pk)
    note = ticket.messages.get(provider_id="wamid.R1")
    assert (note.kind, note.author_kind) == (MessageKind.INTERNAL, "system")
    assert "reaccionó 👍 a «hola» en WhatsApp" in note.body
    ticket.refresh_from_db()
    assert ticket.status == Status.SOLVED


def test_a_reaction_with_no_ticket_is_ignored(world: Any, whatsapp: Any) -> None:
    reaction = {"reaction": {"message_id": "wamid.NONE", "emoji": "❤️"}}
    [result] = deliver(message("wamid.RX", at=AT, kind="reaction", **reaction))
    assert result["outcome"] == "ignored"
    assert not Ticket.objects.exists()


def test_while_open_messages_join_the_ticket(world: Any, whatsapp: Any) -> None:
    results = deliver(
        text("wamid.O1", "uno", at=AT), text("wamid.O2", "dos", at=AT + timedelta(hours=30))
    )
    assert [r["outcome"] for r in results] == ["created", "appended"]
    assert Ticket.objects.count() == 1


@pytest.mark.parametrize("days", [1, 7])
def test_a_message_within_7_days_of_solved_reopens_the_ticket(
    world: Any, whatsapp: Any, days: int
) -> None:
    [first] = deliver(text("wamid.S1", "hola", at=AT))
    ticket = Ticket.objects.get(pk=first["ticket"])
    tickets.change_status(
        ticket=ticket, status=Status.SOLVED, actor=world.agents["t1"], at=AT + timedelta(hours=1)
    )

    [again] = deliver(text("wamid.S2", "volvió a fallar", at=AT + timedelta(hours=1, days=days)))

    assert (again["outcome"], again["ticket"]) == ("appended", ticket.pk)
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN


def test_a_message_after_7_days_opens_a_new_ticket_linked_to_the_old(
    world: Any, whatsapp: Any
) -> None:
    [first] = deliver(text("wamid.L1", "hola", at=AT))
    old = Ticket.objects.get(pk=first["ticket"])
    tickets.change_status(ticket=old, status=Status.SOLVED, actor=world.agents["t1"], at=AT)

    [again] = deliver(text("wamid.L2", "otra falla", at=AT + timedelta(days=7, seconds=1)))

    assert again["outcome"] == "created"
    new = Ticket.objects.get(pk=again["ticket"])
    assert new.pk != old.pk
    assert new.timeline.get(kind=EventKind.LINKED).data["other"] == old.pk
    assert old.timeline.get(kind=EventKind.LINKED).data["other"] == new.pk
    old.refresh_from_db()
    assert old.status == Status.SOLVED
    assert deliver(text("wamid.L3", "y otra", at=AT + timedelta(days=8)))[0]["ticket"] == new.pk


def test_status_callbacks_are_kept_once_in_any_order(world: Any, whatsapp: Any) -> None:
    statuses = [
        status("wamid.OUT1", "read", at=AT + timedelta(minutes=2)),
        status("wamid.OUT1", "delivered", at=AT),
    ]
    failed = status(
        "wamid.OUT2",
        "failed",
        at=AT,
        errors=[
            {
                "code": 131047,
                "title": "Re-engagement message",
                "error_data": {"details": "more than 24 hours"},
            }
        ],
    )

    first = post(payload(statuses=[*statuses, failed])).json()
    again = post(payload(statuses=statuses)).json()

    assert (first["statuses"], again["statuses"]) == (3, 0)
    assert set(WhatsAppStatus.objects.values_list("wamid", "status")) == {
        ("wamid.OUT1", "read"),
        ("wamid.OUT1", "delivered"),
        ("wamid.OUT2", "failed"),
    }
    assert (
        WhatsAppStatus.objects.get(status="failed").errors
        == "131047 Re-engagement message more than 24 hours"
    )


def test_two_deliveries_of_one_message_in_one_request_file_it_once(
    world: Any, whatsapp: Any
) -> None:
    results = deliver(text("wamid.D", "hola", at=AT), text("wamid.D", "hola", at=AT))
    assert [r["outcome"] for r in results] == ["created", "duplicate"]
    assert Message.objects.filter(provider_id="wamid.D").count() == 1

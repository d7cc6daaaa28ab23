"""Out over WhatsApp against the local fake Graph API: replies inside the 24-hour window,
templates or email outside it, attachments uploaded, failures and status callbacks shown,
customer media fetched within the size limit, pages as a template."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from fake_graph import FakeGraph
from whatsapp_helpers import message, payload, post, status, text

from soporte.channels.whatsapp import paging, selectors
from soporte.channels.whatsapp import services as conversations
from soporte.channels.whatsapp.models import WhatsAppSent
from soporte.jobs.models import OutboxMessage
from soporte.tickets import services as tickets
from soporte.tickets.models import Attachment, Ticket
from soporte.tickets.services import TicketError

pytestmark = pytest.mark.django_db

AT = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


def opened(world: Any, *, email: bool = True, **extra: Any) -> Ticket:
    """A WhatsApp ticket from Luis (Pro), opened by his message at ``AT``."""
    luis = world.contacts["pro"]
    luis.phone = "8126982507"
    luis.save(update_fields=["phone"])
    if not email:
        luis.user.email = ""
        luis.user.save(update_fields=["email"])
    response = post(
        payload(text("wamid.IN1", "No cobra", at=AT, **extra)), now=AT + timedelta(seconds=2)
    )
    return Ticket.objects.get(pk=response.json()["messages"][0]["ticket"])


def sent_to_graph(graph: FakeGraph, worker: Any) -> list[dict[str, Any]]:
    worker.run()
    assert graph.problems == []
    return graph.sent()


def test_a_reply_inside_the_window_goes_as_text_in_the_documented_format(
    world: Any, graph: FakeGraph, worker: Any, mailoutbox: list[Any]
) -> None:
    ticket = opened(world)
    reply = tickets.reply(
        ticket=ticket, author=world.agents["t1"], body="¿Qué máquina?", at=AT + timedelta(hours=23)
    )

    ack, answer = sent_to_graph(graph, worker)

    assert answer == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "5218126982507",
        "type": "text",
        "text": {"preview_url": False, "body": "¿Qué máquina?"},
    }
    assert f"#{ticket.pk}" in ack["text"]["body"]
    request = graph.requests[-1]
    assert request.headers["Authorization"] == "Bearer test-graph-token"
    assert request.path == "/v21.0/106540352242922/messages"
    sent = WhatsAppSent.objects.get(message=reply)
    assert (sent.wamid, sent.ticket, sent.kind) == ("wamid.FAKE2", ticket, "text")
    assert not [m for m in mailoutbox if "¿Qué máquina?" in m.body]  # not by email too
    assert selectors.deliveries(ticket)[reply.pk].state == "accepted"


def test_status_callbacks_show_on_the_reply_as_the_highest_reached(
    world: Any, graph: FakeGraph, worker: Any
) -> None:
    ticket = opened(world)
    reply = tickets.reply(
        ticket=ticket, author=world.agents["t1"], body="Listo", at=AT + timedelta(minutes=5)
    )
    sent_to_graph(graph, worker)
    wamid = WhatsAppSent.objects.get(message=reply).wamid

    post(payload(statuses=[status(wamid, "read", at=AT), status(wamid, "delivered", at=AT)]))

    assert selectors.deliveries(ticket)[reply.pk].state == "read"
    failure = [{"code": 131026, "title": "Message undeliverable"}]
    post(payload(statuses=[status(wamid, "failed", at=AT, errors=failure)]))
    assert selectors.deliveries(ticket)[reply.pk] == selectors.Delivery(
        "failed", "131026 Message undeliverable"
    )


def test_outside_the_window_the_reply_goes_as_the_default_template(
    world: Any, graph: FakeGraph, worker: Any, mailoutbox: list[Any]
) -> None:
    ticket = opened(world)
    at = AT + timedelta(hours=24)
    window = selectors.window(ticket, now=at)
    assert window is not None
    assert (window.open, window.closes_at, window.route, window.template) == (
        False,
        at,
        "template",
        "soporte_respuesta",
    )

    tickets.reply(
        ticket=ticket, author=world.agents["t1"], body="Ya quedó.\nRevisa la máquina 12.", at=at
    )

    template = sent_to_graph(graph, worker)[-1]
    assert template["type"] == "template"
    assert template["template"] == {
        "name": "soporte_respuesta",
        "language": {"code": "es_MX"},
        "components": [
            {
                "type": "body",
                "parameters": [
                    {"type": "text", "text": str(ticket.pk)},
                    {"type": "text", "text": "Ya quedó. Revisa la máquina 12."},
                ],
            }
        ],
    }
    assert not [m for m in mailoutbox if "Ya quedó" in m.body]


def test_outside_the_window_the_agent_may_choose_another_template_or_email(
    world: Any, graph: FakeGraph, worker: Any, mailoutbox: list[Any]
) -> None:
    ticket = opened(world)
    agent = world.agents["t1"]
    later = AT + timedelta(days=2)
    conversations.choose_closed_window_route(
        ticket=ticket, route="template", template="soporte_seguimiento", actor=agent
    )
    tickets.reply(ticket=ticket, author=agent, body="Seguimos", at=later)
    assert sent_to_graph(graph, worker)[-1]["template"]["name"] == "soporte_seguimiento"

    conversations.choose_closed_window_route(ticket=ticket, route="email", actor=agent)
    tickets.reply(ticket=ticket, author=agent, body="Por correo", at=later)
    worker.run()

    assert len(graph.sent()) == 2
    assert [m.to for m in mailoutbox if "Por correo" in m.body] == [[ticket.requester.email]]


def test_the_route_refusals_name_the_problem(world: Any, whatsapp: Any) -> None:
    ticket = opened(world, email=False)
    agent = world.agents["t1"]
    with pytest.raises(TicketError, match="«nope» no es una plantilla de WhatsApp aprobada"):
        conversations.choose_closed_window_route(
            ticket=ticket, route="template", template="nope", actor=agent
        )
    with pytest.raises(TicketError, match="El cliente no tiene correo electrónico"):
        conversations.choose_closed_window_route(ticket=ticket, route="email", actor=agent)
    with pytest.raises(TicketError, match="Elige una plantilla o el correo"):
        conversations.choose_closed_window_route(ticket=ticket, route="sms", actor=agent)


def test_without_templates_outside_the_window_the_reply_goes_by_email(
    world: Any, graph: FakeGraph, worker: Any, mailoutbox: list[Any], settings: Any
) -> None:
    settings.SOPORTE_WHATSAPP_TEMPLATES = []
    ticket = opened(world)
    window = selectors.window(ticket, now=AT + timedelta(days=1))
    assert window is not None
    assert window.route == "email"

    tickets.reply(
        ticket=ticket, author=world.agents["t1"], body="Por correo", at=AT + timedelta(days=1)
    )
    worker.run()

    assert len(graph.sent()) == 1  # the acknowledgement only
    assert [m for m in mailoutbox if "Por correo" in m.body]


def test_a_send_the_api_refuses_fails_at_once_and_shows(
    world: Any, graph: FakeGraph, worker: Any
) -> None:
    ticket = opened(world)
    worker.run()
    graph.answer("131047")
    reply = tickets.reply(
        ticket=ticket, author=world.agents["t1"], body="Hola", at=AT + timedelta(hours=1)
    )

    worker.run()

    row = OutboxMessage.objects.get(idempotency_key=f"whatsapp:message:{reply.pk}:0")
    assert (row.status, row.attempts) == ("failed", 1)
    delivery = selectors.deliveries(ticket)[reply.pk]
    assert delivery.state == "not_sent"
    assert "131047" in delivery.error
    assert "Re-engagement message" in delivery.error


def test_a_server_error_is_retried(world: Any, graph: FakeGraph, worker: Any) -> None:
    opened(world)
    graph.answer("500")
    worker.run()
    assert graph.sent() == []
    worker.later(minutes=5)
    assert len(graph.sent()) == 1


def test_an_agents_attachment_is_uploaded_then_sent(
    world: Any, graph: FakeGraph, worker: Any
) -> None:
    ticket = opened(world)
    upload = SimpleUploadedFile("captura.png", PNG, content_type="image/png")
    tickets.reply(
        ticket=ticket,
        author=world.agents["t1"],
        body="Mira",
        uploads=[upload],
        at=AT + timedelta(minutes=3),
    )

    *_, words, picture = sent_to_graph(graph, worker)

    assert words["text"]["body"] == "Mira"
    [(media_id, (data, kind))] = graph.uploads.items()
    assert (data, kind) == (PNG, "image/png")
    assert picture["type"] == "image"
    assert picture["image"] == {"id": media_id}


def test_a_long_reply_goes_in_pieces(world: Any, graph: FakeGraph, worker: Any) -> None:
    ticket = opened(world)
    tickets.reply(
        ticket=ticket,
        author=world.agents["t1"],
        body="palabra " * 1000,
        at=AT + timedelta(minutes=1),
    )
    pieces = [m["text"]["body"] for m in sent_to_graph(graph, worker)[1:]]
    assert len(pieces) == 2
    assert all(len(p) <= 4096 for p in pieces)


# --------------------------------------------------------------------------- customer media


def media_ticket(world: Any, graph: FakeGraph, worker: Any, media_id: str) -> Ticket:
    image = {"image": {"id": media_id, "mime_type": "image/png"}}
    response = post(
        payload(message("wamid.IMG", at=AT, kind="image", **image)), now=AT + timedelta(seconds=1)
    )
    ticket = Ticket.objects.get(pk=response.json()["messages"][0]["ticket"])
    worker.run()
    return ticket


def test_a_customers_image_is_fetched_after_the_commit(
    world: Any, graph: FakeGraph, worker: Any
) -> None:
    graph.add_media("media.1", PNG, "image/png")

    ticket = media_ticket(world, graph, worker, "media.1")

    [attachment] = Attachment.objects.filter(ticket=ticket)
    assert (attachment.filename, attachment.content_type, attachment.size) == (
        "whatsapp-image.png",
        "image/png",
        len(PNG),
    )
    assert attachment.message.provider_id == "wamid.IMG"
    gets = [r for r in graph.requests if r.method == "GET"]
    assert [r.path for r in gets] == ["/v21.0/media.1", "/files/media.1"]
    assert all(r.headers["Authorization"] == "Bearer test-graph-token" for r in gets)


@pytest.mark.parametrize(
    ("declared", "content_length"),
    [
        (-1, True),  # the media endpoint states the size: never downloaded
        (None, True),  # the download's Content-Length says it
        (None, False),  # nothing says it: cut off as it streams
    ],
)
def test_media_too_large_is_left_out_with_a_note(
    world: Any,
    graph: FakeGraph,
    worker: Any,
    settings: Any,
    declared: int | None,
    content_length: bool,
) -> None:
    settings.SOPORTE_MAX_UPLOAD_BYTES = 1000
    graph.add_media(
        "media.big", b"x" * 5000, "image/png", declared=declared, content_length=content_length
    )

    ticket = media_ticket(world, graph, worker, "media.big")

    assert not Attachment.objects.filter(ticket=ticket).exists()
    body = ticket.messages.get(provider_id="wamid.IMG").body
    assert "whatsapp-image.png" in body
    assert "1000" in body.replace("\xa0", " ").replace(",", "")
    downloads = [r for r in graph.requests if r.path == "/files/media.big"]
    assert len(downloads) == (0 if declared == -1 else 1)


def test_media_the_api_does_not_know_leaves_a_note(
    world: Any, graph: FakeGraph, worker: Any
) -> None:
    ticket = media_ticket(world, graph, worker, "media.gone")
    body = ticket.messages.get(provider_id="wamid.IMG").body
    assert "WhatsApp" in body
    assert "whatsapp-image.png" in body
    assert not Attachment.objects.filter(ticket=ticket).exists()


# --------------------------------------------------------------------------- paging


def test_a_page_goes_as_the_page_template(world: Any, graph: FakeGraph, worker: Any) -> None:
    row = paging.enqueue_page(
        key="page:7:primary",
        to="+52 1 81 2698 2507",
        text_params=["#7 P0", "Checkout caído\nen ACME"],
        lang="en",
        due_at=AT,
        max_attempts=3,
    )
    again = paging.enqueue_page(
        key="page:7:primary",
        to="8126982507",
        text_params=["x"],
        lang="en",
        due_at=AT,
        max_attempts=3,
    )

    [sent] = sent_to_graph(graph, worker)

    assert again.pk == row.pk
    assert sent["to"] == "528126982507"
    assert sent["template"]["name"] == "soporte_page"
    assert sent["template"]["language"] == {"code": "en_US"}
    assert [p["text"] for p in sent["template"]["components"][0]["parameters"]] == [
        "#7 P0",
        "Checkout caído en ACME",
    ]
    row.refresh_from_db()
    assert row.status == "sent"
    assert WhatsAppSent.objects.get(outbox_key="page:7:primary").message is None


def test_a_page_to_something_that_is_not_a_number_is_refused(world: Any, whatsapp: Any) -> None:
    with pytest.raises(ValueError, match="to: 'nobody' is not a valid phone number"):
        paging.enqueue_page(
            key="k", to="nobody", text_params=[], lang="es", due_at=AT, max_attempts=1
        )

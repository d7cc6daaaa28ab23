"""The widget's knowledge base: the pinned FAQs in its empty state, and the articles matching
the first message as it is typed (``where="widget"`` suggestion sessions), which the first
message's ticket closes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from kb_helpers import WRITTEN, write
from soporte.channels.chat.models import Conversation
from soporte.kb.models import Deflection, PinnedFaq

pytestmark = pytest.mark.django_db


def begin(client: Client, contact: Any, lang: str = "es") -> str:
    """A conversation with an unsigned widget (the widget's own auth: its token)."""
    fields = {"email": contact.email, "lang": lang}
    answer = client.post("/chat/api/start", json.dumps(fields), content_type="application/json")
    assert answer.status_code == 200, answer.content
    token: str = answer.json()["token"]
    return token


def suggestions(client: Client, token: str, q: str, deflection: str = "") -> Any:
    query = {"q": q, "deflection": deflection}
    return client.get("/chat/api/suggestions", query, headers={"X-Chat-Token": token})


def test_the_empty_state_lists_the_pinned_faqs_in_the_widgets_language(client: Client) -> None:
    ventas = write("Ventas en cero")
    sales = write("Sales at zero", language="en", source=ventas)
    PinnedFaq.objects.create(language="es", article=ventas, pinned_at=WRITTEN)
    PinnedFaq.objects.create(language="en", article=sales, pinned_at=WRITTEN)
    spanish = client.get("/chat/api/faqs?lang=es").json()["faqs"]
    assert [f["title"] for f in spanish] == ["Ventas en cero"]
    assert spanish[0]["url"].startswith("http")
    assert spanish[0]["url"].endswith(f"/kb/es/{ventas.slug}")
    assert [f["title"] for f in client.get("/chat/api/faqs?lang=en").json()["faqs"]] == [
        "Sales at zero"
    ]


def test_typing_the_first_message_suggests_articles_and_the_message_closes_the_session(
    world: Any, client: Client
) -> None:
    ventas = write("Ventas en cero")
    write("Sales at zero", language="en", source=ventas)
    token = begin(client, world.contacts["pro"])
    first = suggestions(client, token, "ventas")
    assert first.status_code == 200
    data = first.json()
    assert [s["title"] for s in data["suggestions"]] == ["Ventas en cero"]
    assert "/kb/suggested/" in data["suggestions"][0]["url"]
    assert (
        suggestions(client, token, "ventas en cero", data["deflection"]).json()["deflection"]
        == data["deflection"]
    )
    session = Deflection.objects.get()
    chat = Conversation.objects.get()
    assert (session.where, session.contact, session.query) == (
        "widget",
        chat.contact,
        "ventas en cero",
    )

    message = {
        "client_id": "m1",
        "body": "Mis ventas salen en cero",
        "deflection": data["deflection"],
    }
    sent = client.post(
        "/chat/api/messages", json.dumps(message), content_type="application/json",
        headers={"X-Chat-Token": token},
    )  # fmt: skip
    assert sent.status_code == 200
    session.refresh_from_db()
    assert session.ticket_id == sent.json()["ticket"]
    # Once the chat has its ticket there is nothing more to suggest.
    assert suggestions(client, token, "ventas").json() == {"suggestions": [], "deflection": ""}


def test_suggestions_need_the_chats_token_and_a_short_query(world: Any, client: Client) -> None:
    write("Ventas en cero")
    assert suggestions(client, "not-a-token", "ventas").status_code == 401
    token = begin(client, world.contacts["pro"])
    long = suggestions(client, token, "v" * 201)
    assert long.status_code == 400
    assert long.json()["error"].startswith("q:")
    assert suggestions(client, token, "").json() == {"suggestions": [], "deflection": ""}
    assert not Deflection.objects.exists()

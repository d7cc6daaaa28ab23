"""The widget's JSON endpoints: identity verification, start/send/receive, idempotent retries,
screenshots, the live-or-email rule for agent replies, the transcript, CORS and the demo page."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from soporte.accounts.models import Contact
from soporte.channels.chat import selectors
from soporte.channels.chat.domain.identity import signature
from soporte.channels.chat.models import Conversation
from soporte.jobs.models import OutboxMessage
from soporte.sla.models import Clock
from soporte.tickets import services as tickets
from soporte.tickets.models import Attachment, Message, Ticket

pytestmark = pytest.mark.django_db

SECRET = "test-chat-secret"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
WROTE = datetime.fromisoformat("2026-12-01T10:00:00-06:00")  # a Tuesday, in business hours


@pytest.fixture(autouse=True)
def _chat_settings(settings: Any) -> None:
    settings.SOPORTE_CHAT_SECRET = SECRET
    settings.SOPORTE_CHAT_ORIGINS = ["https://app.trackmyvend.example"]


def start(client: Client, **fields: str) -> Any:
    return client.post("/chat/api/start", json.dumps(fields), content_type="application/json")


def signed(contact: Contact, org: str | None = None) -> dict[str, str]:
    org = org or str(contact.organisation_id)
    return {
        "email": contact.email,
        "organisation": org,
        "signature": signature(SECRET, contact.email, org),
    }


def started(client: Client, **fields: str) -> tuple[str, dict[str, Any]]:
    answer = start(client, **fields)
    assert answer.status_code == 200, answer.content
    data = answer.json()
    return data["token"], data


def say(client: Client, token: str, client_id: str, body: str, **extra: Any) -> Any:
    payload = {"client_id": client_id, "body": body}
    return client.post(
        "/chat/api/messages",
        json.dumps(payload),
        content_type="application/json",
        headers={"X-Chat-Token": token},
    )


def poll(client: Client, token: str, after: int = 0) -> dict[str, Any]:
    answer = client.get(f"/chat/api/messages?after={after}&wait=0", headers={"X-Chat-Token": token})
    assert answer.status_code == 200, answer.content
    data: dict[str, Any] = answer.json()
    return data


# ------------------------------------------------------------------ identity verification


def test_a_valid_signature_opens_the_chat_as_that_contact(world: Any, client: Client) -> None:
    contact = world.contacts["pro"]
    token, data = started(client, **signed(contact), lang="en")
    chat = Conversation.objects.get()
    assert data["identified"] is True
    assert data["name"] == contact.name
    assert chat.contact == contact
    assert chat.identified
    assert len(token) >= 40
    assert chat.token_digest != token


def test_a_valid_signature_for_a_new_email_makes_a_contact_in_that_organisation(
    world: Any, client: Client
) -> None:
    org = world.orgs["enterprise"]
    email = "luis@enterprise.example"
    fields = {"email": email, "organisation": str(org.pk)}
    started(client, **fields, signature=signature(SECRET, email, str(org.pk)), name="Luis")
    chat = Conversation.objects.get()
    assert chat.identified
    assert chat.contact.organisation == org
    assert chat.contact.email == email
    assert chat.contact.name == "Luis"


@pytest.mark.parametrize(
    "case", ["wrong signature", "wrong organisation", "missing signature", "other org's contact"]
)
def test_an_unverified_widget_becomes_an_unidentified_sender_chat(
    world: Any, client: Client, case: str
) -> None:
    contact = world.contacts["pro"]
    fields = signed(contact)
    if case == "wrong signature":
        fields["signature"] = signature("guessed", contact.email, fields["organisation"])
    elif case == "wrong organisation":
        fields["organisation"] = str(world.orgs["enterprise"].pk)
    elif case == "missing signature":
        fields = {"email": contact.email}
    else:  # a correct signature, but the email is another organisation's contact
        fields = signed(contact, org=str(world.orgs["enterprise"].pk))
    token, data = started(client, **fields)
    chat = Conversation.objects.get()
    assert data["identified"] is False
    assert not chat.identified
    assert chat.contact != contact  # an email typed in an unsigned widget proves nothing
    assert chat.contact.email == contact.email
    assert chat.contact.organisation.unidentified
    assert chat.contact.organisation.plan == "starter"
    say(client, token, "m1", "¿Me ayudan?")
    ticket = Ticket.objects.get()
    assert (ticket.plan, ticket.tier, ticket.organisation) == (
        "starter",
        "T1",
        chat.contact.organisation,
    )


def test_an_unidentified_sender_keeps_one_contact_across_chats(client: Client, db: Any) -> None:
    started(client, email="Visitor@Example.com")
    started(client, email="visitor@example.com")
    assert Contact.objects.count() == 1
    assert Conversation.objects.filter(contact=Contact.objects.get()).count() == 2


@pytest.mark.parametrize("email", ["", "not an email", "a@b"])
def test_a_bad_email_is_refused_by_name(client: Client, db: Any, email: str) -> None:
    answer = start(client, email=email, lang="en")
    assert answer.status_code == 422
    assert answer.json() == {"error": "Enter a valid email address."}


def test_a_body_that_is_not_json_is_refused(client: Client, db: Any) -> None:
    answer = client.post("/chat/api/start", "{nope", content_type="application/json")
    assert answer.status_code == 400
    assert "JSON" in answer.json()["error"]


def test_an_unknown_token_is_refused(client: Client, db: Any) -> None:
    answer = client.get("/chat/api/conversation?lang=en", headers={"X-Chat-Token": "nope"})
    assert answer.status_code == 401
    assert answer.json()["error"] == "This chat is not known: start a new one."


# ------------------------------------------------------------------ messages


def test_the_first_message_opens_a_chat_ticket_and_later_ones_reply_on_it(
    world: Any, client: Client
) -> None:
    contact = world.contacts["pro"]
    token, _ = started(client, **signed(contact), url="https://app.trackmyvend.example/m/7")
    first = say(client, token, "c-1", "La máquina 7 no reporta ventas desde las 9 de la mañana")
    assert first.status_code == 200, first.content
    ticket = Ticket.objects.get()
    assert ticket.channel == "chat"
    assert ticket.requester == contact
    assert ticket.severity == "P3"  # the chat's reading: short questions, raised by agents
    assert ticket.subject == "La máquina 7 no reporta ventas desde las 9 de la mañana"
    assert ticket.intake_url == "https://app.trackmyvend.example/m/7"
    assert ticket.intake_organisation_id == str(contact.organisation_id)
    kinds = set(Clock.objects.filter(ticket=ticket).values_list("kind", "target"))
    assert kinds == {("first_response", "2 bd"), ("channel_response", "15 min")}
    assert first.json()["message"]["author"] == "customer"
    say(client, token, "c-2", "Es la del centro.")
    assert Ticket.objects.count() == 1
    other, _ = started(client, **signed(world.contacts["starter"]))
    say(client, other, "c-1", "palabra " * 30)
    assert (
        Ticket.objects.get(requester=world.contacts["starter"]).subject
        == ("palabra " * 10).strip() + "…"
    )
    texts = [m["text"] for m in poll(client, token)["messages"]]
    assert texts[0].startswith("La máquina 7")
    assert texts[-1] == "Es la del centro."
    assert any(f"#{ticket.pk}" in t for t in texts)  # the acknowledgement, in the chat


def test_a_retried_send_never_duplicates(world: Any, client: Client) -> None:
    token, _ = started(client, **signed(world.contacts["pro"]))
    one = say(client, token, "c-1", "Hola")
    again = say(client, token, "c-1", "Hola")
    say(client, token, "c-2", "¿Siguen ahí?")
    twice = say(client, token, "c-2", "¿Siguen ahí?")
    assert one.json()["message"]["id"] == again.json()["message"]["id"]
    assert twice.status_code == 200
    assert Ticket.objects.count() == 1
    assert Message.objects.filter(author_kind="customer").count() == 2


def test_the_same_client_id_in_another_chat_is_another_message(world: Any, client: Client) -> None:
    first, _ = started(client, **signed(world.contacts["pro"]))
    second, _ = started(client, **signed(world.contacts["starter"]))
    say(client, first, "c-1", "Hola")
    say(client, second, "c-1", "Hola")
    assert Ticket.objects.count() == 2


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        ({"client_id": "c-1", "body": "  "}, "Write a message or attach a screenshot."),
        ({"client_id": "", "body": "hola"}, "Each message needs a client id of 1 to 100"),
        ({"client_id": "x" * 101, "body": "hola"}, "Each message needs a client id of 1 to 100"),
    ],
)
def test_a_bad_message_is_refused_by_name(
    world: Any, client: Client, payload: dict[str, str], problem: str
) -> None:
    token, _ = started(client, **signed(world.contacts["pro"]), lang="en")
    answer = client.post(
        "/chat/api/messages",
        json.dumps(payload),
        content_type="application/json",
        headers={"X-Chat-Token": token},
    )
    assert answer.status_code == 422
    assert answer.json()["error"].startswith(problem)
    assert not Ticket.objects.exists()


def test_the_customer_attaches_a_screenshot(world: Any, client: Client) -> None:
    token, _ = started(client, **signed(world.contacts["pro"]), lang="en")
    shot = SimpleUploadedFile("pantalla.png", PNG, content_type="image/png")
    answer = client.post(
        "/chat/api/messages",
        {"client_id": "c-1", "body": "", "files": shot},
        headers={"X-Chat-Token": token},
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["message"]["files"] == ["pantalla.png"]
    ticket = Ticket.objects.get()
    assert Attachment.objects.get().ticket == ticket
    assert ticket.completeness >= 1
    assert ticket.subject == "Screenshot sent in the chat"
    not_image = SimpleUploadedFile("notes.txt", b"hello", content_type="image/png")
    refused = client.post(
        "/chat/api/messages",
        {"client_id": "c-2", "body": "another", "files": not_image},
        headers={"X-Chat-Token": token},
    )
    assert refused.status_code == 422
    assert "notes.txt" in refused.json()["error"]


# ------------------------------------------------------------------ agent replies


def test_an_agent_reply_reaches_the_live_widget_and_is_not_emailed(
    world: Any, client: Client
) -> None:
    token, _ = started(client, **signed(world.contacts["pro"]))
    sent = say(client, token, "c-1", "Hola").json()["message"]
    chat = Conversation.objects.get()
    ticket = Ticket.objects.get()
    at = chat.last_seen_at + timedelta(minutes=1)
    reply = tickets.reply(ticket=ticket, author=world.agents["t1"], body="¡Hola! Te ayudo.", at=at)
    assert not OutboxMessage.objects.filter(idempotency_key=f"message:{reply.pk}").exists()
    got = poll(client, token, after=sent["id"])["messages"]
    assert [(m["author"], m["name"], m["text"]) for m in got][-1] == (
        "agent",
        "T1",
        "¡Hola! Te ayudo.",
    )
    ticket.refresh_from_db()
    assert ticket.first_replied_at == at
    assert Clock.objects.get(ticket=ticket, kind="channel_response").fulfilled_at == at


def test_internal_notes_never_reach_the_widget(world: Any, client: Client) -> None:
    token, _ = started(client, **signed(world.contacts["pro"]))
    sent = say(client, token, "c-1", "Hola").json()["message"]
    ticket = Ticket.objects.get()
    tickets.reply(
        ticket=ticket,
        author=world.agents["t1"],
        body="nota",
        public=False,
        at=Conversation.objects.get().last_seen_at,
    )
    assert all(m["text"] != "nota" for m in poll(client, token, after=sent["id"])["messages"])


def test_once_the_customer_left_agent_replies_go_by_email(world: Any, client: Client) -> None:
    token, _ = started(client, **signed(world.contacts["pro"]))
    say(client, token, "c-1", "Hola")
    chat = Conversation.objects.get()
    ticket = Ticket.objects.get()
    idle = chat.last_seen_at + timedelta(minutes=5)
    assert not selectors.is_live(ticket, idle)
    assert selectors.is_live(ticket, idle - timedelta(seconds=1))
    reply = tickets.reply(ticket=ticket, author=world.agents["t1"], body="¿Sigues?", at=idle)
    assert OutboxMessage.objects.filter(idempotency_key=f"message:{reply.pk}").exists()


# ------------------------------------------------------------------ ending


def test_ending_the_chat_emails_the_transcript_in_the_customers_language(
    world: Any, client: Client
) -> None:
    token, _ = started(client, **signed(world.contacts["pro"]), lang="en")
    say(client, token, "c-1", "The card reader declines every payment")
    ticket = Ticket.objects.get()
    chat = Conversation.objects.get()
    tickets.reply(
        ticket=ticket, author=world.agents["t1"], body="Restart it, please.", at=chat.last_seen_at
    )
    assert client.post("/chat/api/end", headers={"X-Chat-Token": token}).json() == {"ended": True}
    client.post("/chat/api/end", headers={"X-Chat-Token": token})  # twice: one email
    transcript = OutboxMessage.objects.get(idempotency_key=f"chat-transcript:{chat.pk}")
    payload = transcript.payload
    assert payload["to"] == [world.contacts["pro"].email]
    assert payload["subject"].startswith(f"[#{ticket.pk}] Your chat with TrackMyVend support")
    body = payload["body"]
    assert "The card reader declines every payment" in body
    assert "Restart it, please." in body
    assert body.index("card reader") < body.index("Restart it")
    refused = say(client, token, "c-2", "one more thing")
    assert refused.status_code == 422
    assert "ended" in refused.json()["error"]
    later = tickets.reply(ticket=ticket, author=world.agents["t1"], body="Done?", at=WROTE)
    assert OutboxMessage.objects.filter(idempotency_key=f"message:{later.pk}").exists()


def test_ending_a_chat_without_messages_emails_nothing(world: Any, client: Client) -> None:
    token, _ = started(client, **signed(world.contacts["pro"]))
    client.post("/chat/api/end", headers={"X-Chat-Token": token})
    assert not OutboxMessage.objects.exists()


def test_a_reloaded_page_resumes_the_conversation(world: Any, client: Client) -> None:
    token, _ = started(client, **signed(world.contacts["pro"]))
    say(client, token, "c-1", "Hola")
    again = client.get("/chat/api/conversation", headers={"X-Chat-Token": token}).json()
    assert again["ticket"] == Ticket.objects.get().pk
    assert again["ended"] is False
    assert again["messages"][0]["text"] == "Hola"


# ------------------------------------------------------------------ CORS, script, demo


def test_cors_answers_the_host_pages_origin_and_our_own_only(db: Any, client: Client) -> None:
    allowed = client.options(
        "/chat/api/start",
        headers={
            "Origin": "https://app.trackmyvend.example",
            "Access-Control-Request-Method": "POST",
        },
    )
    assert allowed.status_code == 204
    assert allowed["Access-Control-Allow-Origin"] == "https://app.trackmyvend.example"
    assert "X-Chat-Token" in allowed["Access-Control-Allow-Headers"]
    assert "POST" in allowed["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in allowed  # no cookies
    foreign = client.options("/chat/api/start", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in foreign
    own = client.get("/chat/api/hours?lang=en", headers={"Origin": "http://testserver"})
    assert own["Access-Control-Allow-Origin"] == "http://testserver"
    answer = start(client, email="x@example.com")
    assert "Access-Control-Allow-Origin" not in answer  # no Origin: not a browser's CORS call


def test_the_widget_script_is_served_from_our_origin(client: Client) -> None:
    answer = client.get("/chat/widget.js")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/javascript")
    assert b"X-Chat-Token" in answer.content


def test_the_demo_page_exists_only_in_demo_mode(world: Any, client: Client, settings: Any) -> None:
    settings.SOPORTE_DEMO = False
    assert client.get("/chat/demo/").status_code == 404
    settings.SOPORTE_DEMO = True
    page = client.get("/chat/demo/").content.decode()
    contact = Contact.objects.order_by("pk").first()
    assert contact is not None
    assert signature(SECRET, contact.email, str(contact.organisation_id)) in page
    unsigned = client.get("/chat/demo/?unsigned=1").content.decode()
    assert "data-signature" not in unsigned
    assert 'src="/chat/widget.js"' in unsigned

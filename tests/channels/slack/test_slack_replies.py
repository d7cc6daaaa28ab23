"""What the desk posts in Slack: agents' replies in the ticket's thread (with their name),
Starter's one polite reply, failures recorded and retried as the outbox does, pages by direct
message; all against the local fake Web API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from fake_slack import FakeSlack
from slack_helpers import CHANNEL, TUESDAY, Worker, deliver, envelope, link, message

from soporte.channels.slack.paging import enqueue_page
from soporte.jobs.models import OutboxMessage
from soporte.tickets import services as tickets
from soporte.tickets.models import EventKind, Ticket

pytestmark = pytest.mark.django_db


def send(event: dict[str, Any], worker: Worker, *, event_id: str, **delivery: Any) -> None:
    assert deliver(envelope(event, event_id=event_id), **delivery).status_code == 200
    worker.run()


@pytest.fixture
def opened(world: Any, fake_slack: FakeSlack, worker: Worker) -> Ticket:
    link(world.orgs["pro"])
    fake_slack.user("U444", email="ana@pro.example", name="Ana")
    send(message(), worker, event_id="Ev1")
    fake_slack.posts.clear()
    return Ticket.objects.get()


def test_an_agents_reply_posts_in_the_thread_with_their_name(
    opened: Ticket, world: Any, fake_slack: FakeSlack, worker: Worker, mailoutbox: list[Any]
) -> None:
    tickets.reply(
        ticket=opened,
        author=world.agents["t1"],
        body="Estamos revisando <b>ya</b> & te aviso",
        at=worker.now,
    )
    worker.run()

    (post,) = fake_slack.calls("chat.postMessage")[-1:]
    sent = post.json()
    assert post.headers["Authorization"] == "Bearer xoxb-test-0000-token"
    assert post.headers["Content-Type"].startswith("application/json")
    assert (sent["channel"], sent["thread_ts"]) == (CHANNEL, message()["ts"])
    assert sent["text"] == "*T1*: Estamos revisando &lt;b&gt;ya&lt;/b&gt; &amp; te aviso"
    assert sent["metadata"]["event_type"] == "soporte_message"
    assert mailoutbox == []  # the thread carries it, not email
    opened.refresh_from_db()
    assert opened.first_replied_at is not None


def test_internal_notes_never_reach_slack(
    opened: Ticket, world: Any, fake_slack: FakeSlack, worker: Worker
) -> None:
    tickets.reply(
        ticket=opened, author=world.agents["t1"], body="nota", public=False, at=worker.now
    )
    worker.run()

    assert fake_slack.posts == []


def test_the_solved_notice_goes_to_the_thread_too(
    opened: Ticket, world: Any, fake_slack: FakeSlack, worker: Worker
) -> None:
    tickets.change_status(ticket=opened, status="solved", actor=world.agents["t1"], at=worker.now)
    worker.run()

    (post,) = fake_slack.posts
    assert post["thread_ts"] == message()["ts"]
    assert f"#{opened.pk}" in post["text"]


def test_slacks_refusal_fails_the_post_with_its_error(
    opened: Ticket, world: Any, fake_slack: FakeSlack, worker: Worker
) -> None:
    fake_slack.answer("not_in_channel")
    reply = tickets.reply(ticket=opened, author=world.agents["t1"], body="Hola", at=worker.now)
    worker.run()

    sent = OutboxMessage.objects.get(idempotency_key=f"message:{reply.pk}")
    assert sent.status == OutboxMessage.Status.FAILED
    assert "not_in_channel" in sent.last_error
    assert sent.attempts == 1


def test_a_post_that_fails_for_good_is_on_the_tickets_timeline_and_console_page(
    opened: Ticket, world: Any, fake_slack: FakeSlack, worker: Worker
) -> None:
    fake_slack.answer("not_in_channel")
    reply = tickets.reply(ticket=opened, author=world.agents["t1"], body="Hola", at=worker.now)
    worker.run()

    [failed] = opened.timeline.filter(kind=EventKind.DELIVERY_FAILED)
    assert failed.data["channel"] == "slack"
    assert (failed.data["message"], failed.data["to"]) == (reply.pk, CHANNEL)
    assert "not_in_channel" in failed.data["error"]
    assert failed.at == worker.now
    client = Client()
    client.force_login(world.agents["t1"].user)
    page = client.get(f"/console/tickets/{opened.pk}").content.decode()
    assert "No se pudo publicar el mensaje en el hilo de Slack del ticket" in page


def test_a_failed_page_by_direct_message_is_on_no_timeline(
    opened: Ticket, fake_slack: FakeSlack, worker: Worker
) -> None:
    fake_slack.answer("channel_not_found")
    enqueue_page(key="page:7", user_id="U0ENGINEER", text="P0", due_at=worker.now, max_attempts=1)
    worker.run()

    assert OutboxMessage.objects.get(idempotency_key="page:7").status == "failed"
    assert not opened.timeline.filter(kind=EventKind.DELIVERY_FAILED).exists()


@pytest.mark.parametrize("trouble", ["ratelimited", "500", "internal_error"])
def test_rate_limits_and_slacks_failures_are_retried(
    opened: Ticket, world: Any, fake_slack: FakeSlack, worker: Worker, trouble: str
) -> None:
    fake_slack.answer(trouble)
    reply = tickets.reply(ticket=opened, author=world.agents["t1"], body="Hola", at=worker.now)
    worker.run()
    sent = OutboxMessage.objects.get(idempotency_key=f"message:{reply.pk}")
    assert (sent.status, sent.attempts) == (OutboxMessage.Status.PENDING, 1)
    if trouble == "ratelimited":
        assert "Retry-After: 1" in sent.last_error

    worker.run(minutes=1)

    sent.refresh_from_db()
    assert sent.status == OutboxMessage.Status.SENT
    assert [p["text"] for p in fake_slack.posts] == ["*T1*: Hola"]


# --------------------------------------------------------------------------- entitlement


@pytest.fixture
def starter(world: Any, fake_slack: FakeSlack) -> Any:
    link(world.orgs["starter"])
    fake_slack.user("U444", email="ana@starter.example", name="Ana", locale="en-US")
    return world.orgs["starter"]


def test_starter_gets_an_email_grade_ticket_and_one_polite_reply(
    starter: Any, world: Any, fake_slack: FakeSlack, worker: Worker
) -> None:
    world.contacts["starter"].locale = "en"
    world.contacts["starter"].save()
    body = envelope(message(), event_id="Ev1")
    for retry in range(3):
        assert deliver(body, at=TUESDAY + timedelta(seconds=retry), retry=retry).status_code == 200
    worker.run()
    later = TUESDAY + timedelta(minutes=3)
    send(message("more", at=later, thread_ts=message()["ts"]), worker, event_id="Ev2", at=later)

    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.channel_entitled, ticket.plan) == ("slack", False, "starter")
    assert {c.kind for c in ticket.clocks.all()} == {"first_response"}  # the SLA grid only
    (reply,) = fake_slack.posts
    assert reply["thread_ts"] == message()["ts"]
    assert "Your plan (Starter) does not include Slack Connect" in reply["text"]
    assert "Your plan includes: Email, Portal, In-app chat and WhatsApp." in reply["text"]


def test_starters_reply_is_in_spanish_for_a_spanish_contact(
    starter: Any, fake_slack: FakeSlack, worker: Worker
) -> None:
    send(message(), worker, event_id="Ev1")

    (reply,) = fake_slack.posts
    assert "Tu plan (Starter) no incluye Slack Connect" in reply["text"]


# --------------------------------------------------------------------------- paging


def test_a_page_is_a_direct_message_to_the_engineer(
    db: Any, fake_slack: FakeSlack, worker: Worker
) -> None:
    page = enqueue_page(
        key="page:7:slack:U0ENGINEER",
        user_id="U0ENGINEER",
        text="P0 #7: checkout down <ack: https://desk.example/p/7>",
        due_at=worker.now,
        max_attempts=3,
    )
    again = enqueue_page(
        key="page:7:slack:U0ENGINEER",
        user_id="U0ENGINEER",
        text="x",
        due_at=worker.now,
        max_attempts=3,
    )
    worker.run()

    assert again.pk == page.pk
    (post,) = fake_slack.posts
    assert post["channel"] == "U0ENGINEER"
    assert "thread_ts" not in post
    assert post["text"] == "P0 #7: checkout down &lt;ack: https://desk.example/p/7&gt;"
    page.refresh_from_db()
    assert page.status == OutboxMessage.Status.SENT


def test_a_page_that_slack_refuses_fails_after_its_attempts(
    db: Any, fake_slack: FakeSlack, worker: Worker
) -> None:
    fake_slack.answer("500", "500")
    page = enqueue_page(
        key="page:8", user_id="U0ENGINEER", text="P0", due_at=worker.now, max_attempts=2
    )
    worker.run()
    worker.run(minutes=5)

    page.refresh_from_db()
    assert (page.status, page.attempts) == (OutboxMessage.Status.FAILED, 2)


@pytest.mark.parametrize("user_id", ["", "C333", "U 1", "#general"])
def test_a_page_needs_a_slack_user_id(db: Any, user_id: str) -> None:
    with pytest.raises(ValueError, match="user_id"):
        enqueue_page(key="page:9", user_id=user_id, text="P0", due_at=TUESDAY, max_attempts=1)


def test_without_a_bot_token_a_post_fails_saying_so(
    db: Any, fake_slack: FakeSlack, worker: Worker, settings: Any
) -> None:
    settings.SOPORTE_SLACK_BOT_TOKEN = ""
    page = enqueue_page(
        key="page:10", user_id="U0ENGINEER", text="P0", due_at=worker.now, max_attempts=3
    )
    worker.run()

    page.refresh_from_db()
    assert page.status == OutboxMessage.Status.FAILED
    assert "SOPORTE_SLACK_BOT_TOKEN" in page.last_error

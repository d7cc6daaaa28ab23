"""Slack messages become tickets and replies, exactly once, through the event job; the
senders are found with ``users.info`` on the local fake."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

import pytest
from fake_slack import FakeSlack
from slack_helpers import CHANNEL, TUESDAY, Worker, deliver, envelope, link, message, ts

from soporte.accounts.models import Contact
from soporte.channels.slack.models import SlackChannel, SlackThread
from soporte.tickets.models import AuthorKind, MessageKind, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def pro(world: Any, fake_slack: FakeSlack) -> Any:
    link(world.orgs["pro"])
    fake_slack.user("U444", email="ana@pro.example", name="Ana Pro (Slack)", locale="es-LA")
    return world.orgs["pro"]


def send(event: dict[str, Any], worker: Worker, *, event_id: str, at: datetime = TUESDAY) -> None:
    assert deliver(envelope(event, event_id=event_id, at=at), at=at).status_code == 200
    worker.now = max(worker.now, at)
    worker.run()


def customer_messages(ticket: Ticket) -> list[str]:
    rows = ticket.messages.filter(author_kind=AuthorKind.CUSTOMER).order_by("created_at", "pk")
    return [m.body for m in rows]


def test_a_top_level_message_opens_a_slack_ticket_for_the_known_contact(
    pro: Any, world: Any, fake_slack: FakeSlack, worker: Worker
) -> None:
    send(message("Our checkout is down\nsince 9:40"), worker, event_id="Ev1")

    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.requester, ticket.organisation) == (
        "slack",
        world.contacts["pro"],
        pro,
    )
    assert ticket.subject == "Our checkout is down"
    assert ticket.channel_entitled
    assert ticket.opened_at == TUESDAY  # the message's ts, Slack's timestamp
    assert SlackThread.objects.get().thread_ts == message()["ts"]
    lookup = fake_slack.calls("users.info")
    assert [dict(parse_qsl(r.body.decode())) | r.query for r in lookup] == [
        {"user": "U444", "include_locale": "true"}
    ]
    assert lookup[0].headers["Authorization"] == "Bearer xoxb-test-0000-token"


def test_the_channel_clock_is_due_at_the_close_of_the_same_business_day(
    pro: Any, worker: Worker
) -> None:
    send(message(), worker, event_id="Ev1")

    clocks = {c.kind: c for c in Ticket.objects.get().clocks.all()}
    assert clocks["channel_response"].target == "same bd"
    # 18:00 in Mexico City (UTC-6) on Tuesday 6 January 2026
    assert clocks["channel_response"].due_at == datetime(2026, 1, 7, 0, 0, tzinfo=UTC)


def test_the_acknowledgement_goes_once_to_the_thread_and_no_email(
    pro: Any, fake_slack: FakeSlack, worker: Worker, mailoutbox: list[Any]
) -> None:
    send(message(), worker, event_id="Ev1")

    (ack,) = fake_slack.posts
    assert (ack["channel"], ack["thread_ts"]) == (CHANNEL, message()["ts"])
    number = Ticket.objects.get().pk
    assert ack["text"].startswith("Hola Ana pro:\nTu número de ticket es")
    assert f"#{number}" in ack["text"]
    assert mailoutbox == []


def test_replies_in_the_thread_append_to_the_ticket(
    pro: Any, fake_slack: FakeSlack, worker: Worker
) -> None:
    root = message()["ts"]
    send(message(), worker, event_id="Ev1")
    later = TUESDAY + timedelta(minutes=5)
    send(
        message("Still down, <https://app.trackmyvend.com/pos|POS>", at=later, thread_ts=root),
        worker,
        event_id="Ev2",
        at=later,
    )

    ticket = Ticket.objects.get()
    assert len(customer_messages(ticket)) == 2
    assert "POS (https://app.trackmyvend.com/pos)" in customer_messages(ticket)[1]
    assert len(fake_slack.posts) == 1  # one acknowledgement, for the ticket only
    assert len(fake_slack.calls("users.info")) == 1  # the sender is remembered


def test_a_reply_in_a_thread_no_ticket_has_opens_one_on_that_thread(
    pro: Any, worker: Worker
) -> None:
    send(message(thread_ts=ts(TUESDAY - timedelta(days=3))), worker, event_id="Ev1")

    assert SlackThread.objects.get().thread_ts == ts(TUESDAY - timedelta(days=3))


def test_an_unknown_address_becomes_a_contact_of_the_channels_organisation(
    pro: Any, fake_slack: FakeSlack, worker: Worker
) -> None:
    fake_slack.user("U555", email="Luis@Pro-Partner.example", name="Luis Treviño", locale="en-US")
    send(message(user="U555"), worker, event_id="Ev1")

    requester = Ticket.objects.get().requester
    assert (requester.email, requester.name, requester.locale) == (
        "luis@pro-partner.example",
        "Luis Treviño",
        "en",
    )
    assert requester.organisation == pro


@pytest.mark.parametrize("email", ["", "ana@starter.example"])
def test_no_address_or_another_organisations_makes_a_contact_without_one(
    pro: Any, world: Any, fake_slack: FakeSlack, worker: Worker, email: str
) -> None:
    fake_slack.user("U666", email=email, name="Marta")
    send(message(user="U666"), worker, event_id="Ev1")

    requester = Ticket.objects.get().requester
    assert (requester.email, requester.name, requester.organisation) == ("", "Marta", pro)
    assert world.contacts["starter"].organisation == world.orgs["starter"]


def test_without_a_profile_the_user_id_names_the_contact(pro: Any, worker: Worker) -> None:
    send(message(user="U777"), worker, event_id="Ev1")  # users.info: user_not_found

    assert Ticket.objects.get().requester.name == "U777"


@pytest.mark.parametrize(
    "extra",
    [{"bot_id": "B1"}, {"user": "U_BOT"}, {"subtype": "channel_join"}],
)
def test_bots_our_own_messages_and_notices_file_nothing(
    pro: Any, fake_slack: FakeSlack, worker: Worker, extra: dict[str, Any]
) -> None:
    send(message(**extra), worker, event_id="Ev1")

    assert not Ticket.objects.exists()
    assert fake_slack.posts == []


def test_an_agent_writing_in_slack_files_nothing(
    pro: Any, world: Any, fake_slack: FakeSlack, worker: Worker
) -> None:
    fake_slack.user("U_AGENT", email=world.agents["t1"].user.email, name="T1")
    send(message(user="U_AGENT"), worker, event_id="Ev1")

    assert not Ticket.objects.exists()
    assert not Contact.objects.filter(name="T1").exists()


def test_edits_and_deletions_are_internal_notes_by_the_slack_integration(
    pro: Any, fake_slack: FakeSlack, worker: Worker
) -> None:
    first = message("Checkout down")
    send(first, worker, event_id="Ev1")
    edit = {
        "type": "message",
        "subtype": "message_changed",
        "channel": CHANNEL,
        "ts": ts(TUESDAY, 900),
        "message": {**first, "text": "Checkout down in every store", "edited": {"user": "U444"}},
        "previous_message": first,
    }
    deletion = {
        "type": "message",
        "subtype": "message_deleted",
        "channel": CHANNEL,
        "ts": ts(TUESDAY, 901),
        "deleted_ts": first["ts"],
        "previous_message": first,
    }
    send(edit, worker, event_id="Ev2")
    send(deletion, worker, event_id="Ev3")

    ticket = Ticket.objects.get()
    notes = ticket.messages.filter(kind=MessageKind.INTERNAL).order_by("pk")
    assert [n.author_agent.name for n in notes if n.author_agent] == ["Slack", "Slack"]
    assert "Checkout down in every store" in notes[0].body
    assert customer_messages(ticket) == ["<p>Checkout down</p>"]
    assert len(fake_slack.posts) == 1  # notes never leave


def test_a_message_in_an_unlinked_channel_is_kept_with_the_unidentified_senders(
    world: Any, fake_slack: FakeSlack, worker: Worker
) -> None:
    fake_slack.user("U444", email="someone@else.example", name="Someone")
    send(message(channel="C_OTHER"), worker, event_id="Ev1")

    ticket = Ticket.objects.get()
    assert ticket.organisation.unidentified
    assert (ticket.channel, ticket.requester.email) == ("slack", "someone@else.example")
    channel = SlackChannel.objects.get(channel_id="C_OTHER")
    assert channel.organisation is None  # listed in the admin, waiting for a link
    assert fake_slack.posts == []  # nothing said in a channel nobody linked


def test_a_shared_screenshot_is_attached_and_a_file_over_the_limit_noted(
    pro: Any, fake_slack: FakeSlack, worker: Worker, settings: Any
) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 100
    fake_slack.files["F1"] = png
    settings.SOPORTE_MAX_UPLOAD_BYTES = 1000
    files = [
        {
            "id": "F1",
            "name": "pantalla.png",
            "mimetype": "image/png",
            "size": len(png),
            "url_private_download": fake_slack.file_url("F1"),
        },
        {
            "id": "F2",
            "name": "video.mp4",
            "mimetype": "video/mp4",
            "size": 5000,
            "url_private_download": fake_slack.file_url("F2"),
        },
        {
            "id": "F3",
            "name": "gone.png",
            "mimetype": "image/png",
            "size": 10,
            "url_private_download": fake_slack.file_url("F3"),
        },
        {
            "id": "F4",
            "name": "elsewhere.png",
            "size": 10,
            "url_private_download": "https://evil.example/F4",
        },
    ]
    send(message("Mira", subtype="file_share", files=files), worker, event_id="Ev1")

    ticket = Ticket.objects.get()
    (kept,) = ticket.attachments.all()
    assert (kept.filename, kept.content_type, kept.size) == ("pantalla.png", "image/png", len(png))
    body = customer_messages(ticket)[0]
    assert "video.mp4" in body
    assert "gone.png" in body
    assert "elsewhere.png" in body
    fetched = [r.path for r in fake_slack.requests if r.path.startswith("/files/")]
    assert fetched == ["/files/F1", "/files/F3"]  # never the one over the limit, nor elsewhere


def test_when_slack_stays_unreachable_the_message_is_filed_with_what_the_event_carries(
    pro: Any, fake_slack: FakeSlack, worker: Worker
) -> None:
    fake_slack.answer(*["500"] * 8)  # users.info fails on every attempt
    files = [
        {
            "id": "F1",
            "name": "shot.png",
            "size": 10,
            "url_private_download": fake_slack.file_url("F1"),
        }
    ]
    event = message(
        user="U999", user_profile={"real_name": "Rosa"}, subtype="file_share", files=files
    )
    send(event, worker, event_id="Ev1")
    assert not Ticket.objects.exists()  # retried meanwhile
    for _ in range(8):
        worker.run(minutes=15)

    ticket = Ticket.objects.get()
    assert ticket.requester.name == "Rosa"
    assert "shot.png" in customer_messages(ticket)[0]
    assert not [r for r in fake_slack.requests if r.path.startswith("/files/")]

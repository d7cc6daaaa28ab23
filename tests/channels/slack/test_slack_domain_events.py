"""The Events API envelope and what a message event is for the desk; Slack's text."""

from __future__ import annotations

import json
from typing import Any

import pytest
from slack_helpers import envelope, message

from soporte.channels.slack.domain.events import (
    BadEnvelope,
    Callback,
    Challenge,
    File,
    Kind,
    Other,
    parse,
    read_message,
)
from soporte.channels.slack.domain.mrkdwn import escape, plain


def test_url_verification_gives_its_challenge() -> None:
    challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    body = json.dumps(
        {"token": "Jhj5dZrVaK7ZwHHjRyZWjbDl", "challenge": challenge, "type": "url_verification"}
    ).encode()
    assert parse(body) == Challenge(challenge)


def test_an_event_callback_is_keyed_on_its_event_id() -> None:
    parsed = parse(envelope(message()))
    assert isinstance(parsed, Callback)
    assert (parsed.event_id, parsed.team_id, parsed.own_users) == ("Ev0123ABC", "T111", {"U_BOT"})


def test_another_type_is_acknowledged_and_ignored() -> None:
    assert parse(b'{"type":"app_rate_limited","minute_rate_limited":1}') == Other(
        "app_rate_limited"
    )


@pytest.mark.parametrize(
    ("body", "named"),
    [
        (b"", "not JSON"),
        (b"token=x&team_id=T1", "not JSON"),
        (b"[1]", "not a JSON object"),
        (b"{}", "type: required"),
        (b'{"type":"url_verification"}', "challenge"),
        (b'{"type":"event_callback","team_id":"T1","event":{"type":"message"}}', "event_id"),
        (b'{"type":"event_callback","event_id":"Ev1","event":{"type":"message"}}', "team_id"),
        (b'{"type":"event_callback","event_id":"Ev1","team_id":"T1"}', "event:"),
        (b'{"type":"event_callback","event_id":"Ev1","team_id":"T1","event":{}}', "event:"),
        (json.dumps({"type": "event_callback", "event_id": "E" * 201}).encode(), "event_id"),
        (b"[" * 100000, "not JSON"),
    ],
)
def test_a_body_that_is_not_an_envelope_is_named(body: bytes, named: str) -> None:
    with pytest.raises(BadEnvelope, match=named):
        parse(body)


def read(event: dict[str, Any]) -> Any:
    parsed = parse(envelope(event))
    assert isinstance(parsed, Callback)
    return read_message(parsed)


def test_a_top_level_message_is_a_post_without_thread() -> None:
    read_back = read(message(user_profile={"real_name": "Ana López"}))
    assert (read_back.kind, read_back.channel, read_back.user) == (Kind.POST, "C333", "U444")
    assert (read_back.ts, read_back.thread_ts, read_back.name) == (
        "1767715320.000200",
        None,
        "Ana López",
    )


def test_a_reply_names_its_thread_and_a_thread_root_is_top_level() -> None:
    assert read(message(thread_ts="1767715000.000100")).thread_ts == "1767715000.000100"
    assert read(message(thread_ts="1767715320.000200")).thread_ts is None


@pytest.mark.parametrize("subtype", ["file_share", "thread_broadcast", "me_message"])
def test_subtypes_of_someone_writing_are_posts(subtype: str) -> None:
    assert read(message(subtype=subtype)).kind == Kind.POST


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        (message(bot_id="B1"), "bot"),
        (message(subtype="bot_message"), "bot"),
        (message(user="U_BOT"), "our own"),
        (message(subtype="channel_join"), "channel notice"),
        (message(subtype="channel_topic"), "channel notice"),
        (message(hidden=True), "hidden"),
        (message(user=""), "without channel"),
        ({"type": "app_mention", "channel": "C333", "user": "U444", "ts": "1.1"}, "app_mention"),
        ({"type": "reaction_added"}, "reaction_added"),
    ],
)
def test_what_the_desk_ignores_says_why(event: dict[str, Any], reason: str) -> None:
    read_back = read(event)
    assert read_back.kind == Kind.IGNORED
    assert reason in read_back.reason


def changed(new: dict[str, Any], old: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "message",
        "subtype": "message_changed",
        "channel": "C333",
        "message": new,
        "previous_message": old,
        "ts": "1767715400.000001",
    }


def test_an_edit_names_the_edited_message() -> None:
    edit = read(
        changed(
            {"user": "U444", "text": "Checkout is down again", "ts": "1767715320.000200"},
            {"user": "U444", "text": "Checkout down", "ts": "1767715320.000200"},
        )
    )
    assert (edit.kind, edit.ts, edit.text) == (
        Kind.EDIT,
        "1767715320.000200",
        "Checkout is down again",
    )


@pytest.mark.parametrize(
    ("new", "reason"),
    [
        ({"user": "U444", "text": "same", "ts": "1.2"}, "left the text"),
        ({"user": "U_BOT", "text": "new", "ts": "1.2"}, "ours"),
        ({"bot_id": "B1", "text": "new", "ts": "1.2"}, "ours"),
        ({"text": "new", "ts": "1.2"}, "without"),
    ],
)
def test_edits_the_desk_ignores(new: dict[str, Any], reason: str) -> None:
    edit = read(changed(new, {"user": "U444", "text": "same", "ts": "1.2"}))
    assert edit.kind == Kind.IGNORED
    assert reason in edit.reason


def test_a_deletion_names_the_deleted_message() -> None:
    event = {
        "type": "message",
        "subtype": "message_deleted",
        "channel": "C333",
        "deleted_ts": "1767715320.000200",
        "previous_message": {"user": "U444", "text": "oops", "ts": "1767715320.000200"},
    }
    deleted = read(event)
    assert (deleted.kind, deleted.ts, deleted.user) == (Kind.DELETE, "1767715320.000200", "U444")
    event["previous_message"] = {"bot_id": "B1", "ts": "1767715320.000200"}
    assert read(event).kind == Kind.IGNORED


def test_shared_files_are_read_tolerantly() -> None:
    files = [
        {
            "id": "F1",
            "name": "shot.png",
            "mimetype": "image/png",
            "size": 10,
            "url_private_download": "https://files.slack.com/F1",
        },
        {"id": "F2", "title": "untitled", "size": "big"},
        {"name": "no id"},
        "junk",
    ]
    assert read(message(subtype="file_share", files=files)).files == (
        File("F1", "shot.png", "image/png", 10, "https://files.slack.com/F1"),
        File("F2", "untitled", "application/octet-stream", 0, ""),
    )


@pytest.mark.parametrize(
    ("text", "read_as"),
    [
        ("plain", "plain"),
        (
            "see <https://app.trackmyvend.com/x|the report>",
            "see the report (https://app.trackmyvend.com/x)",
        ),
        ("<https://a.example/b>", "https://a.example/b"),
        ("<https://a.example/b|https://a.example/b>", "https://a.example/b"),
        ("hi <@U444> and <@U555|luis>", "hi @U444 and @luis"),
        ("in <#C333|soporte>", "in #soporte"),
        ("<!here> <!channel> <!subteam^S1|@ops>", "@here @channel @ops"),
        ("<mailto:ana@x.mx|ana@x.mx>", "ana@x.mx"),
        ("1 &lt; 2 &amp;&amp; 3 &gt; 2", "1 < 2 && 3 > 2"),
        ("&amp;lt;", "&lt;"),
    ],
)
def test_slack_text_reads_as_plain_text(text: str, read_as: str) -> None:
    assert plain(text) == read_as


def test_outgoing_text_escapes_slacks_control_characters() -> None:
    assert escape("a <b> & c") == "a &lt;b&gt; &amp; c"
    assert plain(escape("<@U1> & <!here>")) == "<@U1> & <!here>"

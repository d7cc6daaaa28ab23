"""Slack request signing v0: the known-answer vector of protocols.md §6 and its edges."""

from __future__ import annotations

import pytest

from soporte.channels.slack.domain.signing import MAX_SKEW_S, sign, verify

# protocols.md §6.1-6.2: Slack's documented example (a slash command's form body).
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TS = "1531420618"
B1 = (
    b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
    b"&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
    b"&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands"
    b"%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
    b"&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)
SIG = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
NOW = int(TS)


def test_the_known_answer_vector() -> None:
    assert sign(secret=SECRET, raw_body=B1, timestamp=TS) == SIG
    assert verify(secret=SECRET, raw_body=B1, timestamp=TS, signature=SIG, now=NOW)


@pytest.mark.parametrize(
    ("now", "valid"),
    [
        (NOW + MAX_SKEW_S, True),
        (NOW - MAX_SKEW_S, True),
        (NOW + MAX_SKEW_S + 1, False),  # stale
        (NOW - MAX_SKEW_S - 1, False),  # from the future
    ],
)
def test_the_timestamp_is_within_five_minutes_either_way(now: int, valid: bool) -> None:
    assert verify(secret=SECRET, raw_body=B1, timestamp=TS, signature=SIG, now=now) is valid


@pytest.mark.parametrize(
    ("secret", "body", "timestamp", "signature"),
    [
        (SECRET, B1 + b"x", TS, SIG),  # tampered body
        ("another-secret", B1, TS, SIG),
        (SECRET, B1, str(NOW + 1), SIG),  # the timestamp is signed too
        (SECRET, B1, TS, SIG.upper()),
        (SECRET, B1, TS, SIG[3:]),  # no "v0="
        (SECRET, B1, TS, "v1=" + SIG[3:]),
        (SECRET, B1, TS, None),  # missing
        (SECRET, B1, None, SIG),
        (SECRET, B1, "", SIG),
        (SECRET, B1, "15314206l8", SIG),  # not a number
        (SECRET, B1, "-1531420618", SIG),
        (SECRET, B1, TS, "v0=ä" + SIG[4:]),  # not ASCII
        ("", B1, TS, SIG),  # no secret configured
        ("   ", B1, TS, SIG),
        (SECRET, b"\xff\xfe" + B1, TS, SIG),  # not UTF-8
    ],
)
def test_anything_else_is_invalid(
    secret: str, body: bytes, timestamp: str | None, signature: str | None
) -> None:
    assert not verify(
        secret=secret, raw_body=body, timestamp=timestamp, signature=signature, now=NOW
    )

"""The line's pure rules: Twilio's signature (protocols.md §6 known-answer vector) and reading
its webhooks' parameters, to the edges."""

from __future__ import annotations

import pytest
from fake_twilio import sign

from soporte.channels.voice.domain import calls, signature

TW_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
TW = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+12349013030",
    "Digits": "1234",
    "From": "+12349013030",
    "To": "+18005551212",
}
TW_SIG = "0/KCTR6DLpKmkAf8muzZqo1nDgQ="


def test_the_known_answer_vector() -> None:
    assert signature.signature("12345", TW_URL, TW) == TW_SIG
    assert sign("12345", TW_URL, TW) == TW_SIG  # the fake's own, from §6.3
    assert signature.verify(["12345"], TW_URL, TW, TW_SIG)


def test_the_other_token_while_rotating() -> None:
    assert signature.verify(["old-token", "12345"], TW_URL, TW, TW_SIG)
    assert signature.verify(["12345", ""], TW_URL, TW, TW_SIG)


@pytest.mark.parametrize(
    ("tokens", "url", "params", "header"),
    [
        (["12345"], TW_URL, {**TW, "Digits": "1"}, TW_SIG),  # a parameter changed
        (["12345"], TW_URL, {**TW, "Extra": "x"}, TW_SIG),  # a parameter added
        (["12345"], TW_URL.replace("foo=1", "foo=2"), TW, TW_SIG),  # the query changed
        (["12345"], "http://mycompany.com/myapp.php?foo=1&bar=2", TW, TW_SIG),  # the scheme
        (["1234"], TW_URL, TW, TW_SIG),  # another token
        ([""], TW_URL, TW, TW_SIG),  # no token
        ([], TW_URL, TW, TW_SIG),
        (["12345"], TW_URL, TW, ""),  # no header
        (["12345"], TW_URL, TW, TW_SIG[:-1]),
        (["12345"], TW_URL, TW, TW_SIG + "=" * 300),  # absurdly long
        (["12345"], TW_URL, TW, "ñ" * 28),  # not ASCII
    ],
)
def test_anything_else_fails(
    tokens: list[str], url: str, params: dict[str, str], header: str
) -> None:
    assert not signature.verify(tokens, url, params, header)


def test_an_unknown_parameter_signed_with_the_rest_validates() -> None:
    params = {**TW, "NewParameter": "value Twilio added"}
    assert signature.verify(["12345"], TW_URL, params, sign("12345", TW_URL, params))


def test_the_url_with_its_default_port_validates_too() -> None:
    url = "https://mycompany.com:443/myapp.php?foo=1&bar=2"
    assert signature.verify(["12345"], url, TW, TW_SIG)


CALL = {"CallSid": "CA" + "a" * 32, "From": "+528126982507", "To": "+528100000000"}


def test_a_call_is_read() -> None:
    call = calls.read_call({**CALL, "CallerName": " ANA LOPEZ "})
    assert call == calls.Call("CA" + "a" * 32, "+528126982507", "+528100000000", "ANA LOPEZ")


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"CallSid": ""}, "CallSid: missing"),
        ({"CallSid": "XX" + "a" * 32}, "CallSid: expected CA"),
        ({"CallSid": "CA"}, "CallSid: expected CA"),
        ({"CallSid": "CA" + "a" * 63}, "CallSid: expected CA"),
        ({"CallSid": "CA12-34"}, "CallSid: expected CA"),
        ({"From": "  "}, "From: missing"),
    ],
)
def test_an_unreadable_call_names_the_parameter(changes: dict[str, str], problem: str) -> None:
    with pytest.raises(calls.BadRequest, match=problem):
        calls.read_call({**CALL, **changes})


def test_the_longest_call_sid_is_read() -> None:
    assert calls.read_call({**CALL, "CallSid": "CA" + "a" * 62}).sid == "CA" + "a" * 62


def test_a_recording_is_read() -> None:
    params = {**CALL, "RecordingSid": "RE1", "RecordingUrl": "https://api.twilio.com/r/RE1"}
    recording = calls.read_recording({**params, "RecordingDuration": "17"})
    assert (recording.sid, recording.url, recording.seconds) == ("RE1", params["RecordingUrl"], 17)
    assert calls.read_recording({**params, "RecordingDuration": "-1"}).seconds is None
    assert calls.read_recording(params).seconds is None


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"RecordingSid": ""}, "RecordingSid: missing"),
        ({"RecordingSid": "CA1"}, "RecordingSid: expected RE"),
        ({"RecordingUrl": ""}, "RecordingUrl: missing"),
        ({"RecordingUrl": "ftp://x/y"}, "RecordingUrl: expected an http"),
        ({"CallSid": ""}, "CallSid: missing"),
    ],
)
def test_an_unreadable_recording_names_the_parameter(changes: dict[str, str], problem: str) -> None:
    params = {**CALL, "RecordingSid": "RE1", "RecordingUrl": "https://api.twilio.com/r/RE1"}
    with pytest.raises(calls.BadRequest, match=problem):
        calls.read_recording({**params, **changes})


def test_a_transcription_is_read_and_cut_to_the_limit() -> None:
    params = {**CALL, "RecordingSid": "RE1", "TranscriptionStatus": "completed"}
    text = calls.read_transcription({**params, "TranscriptionText": "x" * (calls.MAX_TEXT + 5)})
    assert (text.recording_sid, text.completed, len(text.text)) == ("RE1", True, calls.MAX_TEXT)
    failed = calls.read_transcription({**params, "TranscriptionStatus": "failed"})
    assert (failed.completed, failed.text) == (False, "")
    with pytest.raises(calls.BadRequest, match="TranscriptionStatus: expected"):
        calls.read_transcription({**params, "TranscriptionStatus": "queued"})
    with pytest.raises(calls.BadRequest, match="TranscriptionStatus: missing"):
        calls.read_transcription({**params, "TranscriptionStatus": ""})


@pytest.mark.parametrize(
    ("number", "lang"),
    [("+528126982507", "es"), (None, "es"), ("+14155550100", "en"), ("+34911234567", "en")],
)
def test_an_unknown_caller_is_greeted_in_their_numbers_language(
    number: str | None, lang: str
) -> None:
    assert calls.language_of_number(number) == lang

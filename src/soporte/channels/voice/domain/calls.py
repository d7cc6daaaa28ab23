"""What Twilio's voice webhooks carry (protocols.md §4.1): the call, the recording of the
caller's message and its transcription. Parameters vary and new ones appear without notice,
so only the few soporte needs are read, each checked; ``BadRequest`` names the first wrong one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

_SID = {prefix: re.compile(rf"^{prefix}[0-9A-Za-z]{{1,62}}$") for prefix in ("CA", "RE", "TR")}
MAX_TEXT = 10_000
"""The longest transcription kept whole (Twilio's are far shorter)."""


class BadRequest(ValueError):
    """A signed request soporte cannot read; the message names the parameter."""


@dataclass(frozen=True, slots=True)
class Call:
    """An incoming call: ``caller`` and ``called`` as Twilio wrote them (E.164, or a SIP or
    client address, or a withheld number)."""

    sid: str
    caller: str
    called: str
    caller_name: str = ""


@dataclass(frozen=True, slots=True)
class Recording:
    call: Call
    sid: str
    url: str
    seconds: int | None


@dataclass(frozen=True, slots=True)
class Transcription:
    call: Call
    recording_sid: str
    text: str
    completed: bool


def read_call(params: Mapping[str, str]) -> Call:
    """The call of any voice webhook (each carries the call's parameters)."""
    return Call(
        sid=_sid(params, "CallSid", "CA"),
        caller=_text(params, "From", required=True),
        called=_text(params, "To"),
        caller_name=_text(params, "CallerName"),
    )


def read_recording(params: Mapping[str, str]) -> Recording:
    """``<Record action=…>``'s request: the recording's sid, URL and length."""
    url = _text(params, "RecordingUrl", required=True)
    if not url.startswith(("https://", "http://")):
        raise BadRequest(f"RecordingUrl: expected an http(s) URL, got {url[:80]!r}")
    seconds = _text(params, "RecordingDuration")
    return Recording(
        call=read_call(params),
        sid=_sid(params, "RecordingSid", "RE"),
        url=url,
        seconds=int(seconds) if seconds.isdigit() else None,
    )


def read_transcription(params: Mapping[str, str]) -> Transcription:
    """``transcribeCallback``'s request: the text of a recording (``completed`` or
    ``failed``)."""
    status = _text(params, "TranscriptionStatus", required=True)
    if status not in ("completed", "failed"):
        raise BadRequest(f"TranscriptionStatus: expected completed or failed, got {status[:40]!r}")
    return Transcription(
        call=read_call(params),
        recording_sid=_sid(params, "RecordingSid", "RE"),
        text=_text(params, "TranscriptionText")[:MAX_TEXT],
        completed=status == "completed",
    )


def language_of_number(e164: str | None) -> str:
    """The language to greet an unknown caller in: Spanish for a Mexican number (or none),
    English otherwise."""
    return "es" if e164 is None or e164.startswith("+52") else "en"


def _sid(params: Mapping[str, str], name: str, prefix: str) -> str:
    value = _text(params, name, required=True)
    if not _SID[prefix].match(value):
        raise BadRequest(
            f"{name}: expected {prefix} followed by letters and digits, got {value[:80]!r}"
        )
    return value


def _text(params: Mapping[str, str], name: str, *, required: bool = False) -> str:
    value = str(params.get(name) or "").strip()
    if required and not value:
        raise BadRequest(f"{name}: missing")
    return value

"""Posting Twilio's signed webhooks to the desk through Django's test client."""

from __future__ import annotations

from typing import Any

from django.test import Client
from fake_twilio import AUTH_TOKEN, sign

PUBLIC = "https://desk.example.com"


def post(path: str, params: dict[str, str], *, token: str | None = AUTH_TOKEN) -> Any:
    """POST ``params`` to ``path`` signed as Twilio signs it for the public URL (unsigned when
    ``token`` is None)."""
    headers = {"X-Twilio-Signature": sign(token, PUBLIC + path, params)} if token else {}
    return Client(enforce_csrf_checks=True).post(path, data=params, headers=headers)


def recording_params(call: dict[str, str], sid: str, seconds: str = "42") -> dict[str, str]:
    return {
        **call,
        "CallStatus": "in-progress",
        "RecordingSid": sid,
        "RecordingUrl": f"https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/{sid}",
        "RecordingDuration": seconds,
        "Digits": "#",
    }


def transcription_params(
    call: dict[str, str], recording: str, text: str, status: str = "completed"
) -> dict[str, str]:
    return {
        **call,
        "RecordingSid": recording,
        "TranscriptionSid": "TR" + recording[2:],
        "TranscriptionStatus": status,
        "TranscriptionText": text,
        "TranscriptionType": "fast",
        "TranscriptionUrl": "https://api.twilio.com/2010-04-01/Accounts/AC1/Transcriptions/TR1",
    }

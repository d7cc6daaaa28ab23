"""The demo desk's emergency calls, filed as Twilio's webhooks are: each request's parameters
signed and checked (``channels.voice.domain.signature``), read, then handed to the line's
services. Kate (Enterprise) calls at night and leaves a voice message, which is transcribed:
a P0 at T3 that paged on-call; Luis (Pro) calls too: an email-grade ticket."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from django.urls import reverse

from soporte.accounts.models import Contact
from soporte.channels.voice import services
from soporte.channels.voice.domain import calls, signature
from soporte.public import public_url

TOKEN = "demo-twilio-token"
LINE = "+528126982500"


def seed(*, contacts: list[Contact], now: datetime) -> None:
    """The calls of ``contacts`` (one per plan: Starter, Pro, Enterprise)."""
    _ana, luis, kate = contacts
    for contact, phone in ((luis, "+52 81 8123 4567"), (kate, "+1 415 555 0100")):
        contact.phone = phone
        contact.save(update_fields=["phone"])
    _call(
        kate,
        now - timedelta(minutes=25),
        "All our machines in Monterrey are offline since midnight, nothing reports sales.",
    )
    _call(luis, now - timedelta(minutes=50), "")


def _call(contact: Contact, at: datetime, said: str) -> None:
    sid = "CA" + hashlib.sha256(f"demo:{contact.pk}".encode()).hexdigest()[:32]
    params = {
        "AccountSid": "AC" + "0" * 32,
        "CallSid": sid,
        "CallStatus": "ringing",
        "Direction": "inbound",
        "From": contact.phone_e164,
        "To": LINE,
    }
    services.take_call(calls.read_call(_signed("voice:call", params)), now=at)
    if not said:
        return
    recording = "RE" + sid[2:]
    url = (
        f"https://api.twilio.com/2010-04-01/Accounts/{params['AccountSid']}/Recordings/{recording}"
    )
    recorded = {**params, "RecordingSid": recording, "RecordingUrl": url, "RecordingDuration": "31"}
    services.add_recording(
        calls.read_recording(_signed("voice:recording", recorded)), now=at + timedelta(seconds=50)
    )
    text = {**recorded, "TranscriptionStatus": "completed", "TranscriptionText": said}
    services.add_transcription(
        calls.read_transcription(_signed("voice:transcription", text)),
        now=at + timedelta(minutes=2),
    )


def _signed(route: str, params: dict[str, str]) -> dict[str, str]:
    """``params`` as the line's hook accepts them: signed by Twilio for the desk's URL."""
    url = public_url(reverse(route))
    header = signature.signature(TOKEN, url, params)
    if not signature.verify([TOKEN], url, params, header):
        raise AssertionError(f"the demo call to {url} does not verify")
    return params

"""The caller's voice message and its transcription, appended once to the call's ticket."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

import pytest
from fake_twilio import call_params, call_sid
from voice_helpers import post, recording_params, transcription_params

from soporte.tickets.models import AuthorKind, Message, Ticket

pytestmark = pytest.mark.django_db

CALLER = "+528126982507"


@pytest.fixture
def caller(world: Any, twilio: Any) -> Any:
    contact = world.contacts["pro"]
    contact.phone = CALLER
    contact.save(update_fields=["phone"])
    return contact


def _customer_messages(ticket: Ticket) -> list[str]:
    rows = Message.objects.filter(ticket=ticket, author_kind=AuthorKind.CUSTOMER).order_by("pk")
    return [m.body for m in rows]


def test_the_recording_and_its_transcription_are_appended_once(caller: Any) -> None:
    call = call_params(call_sid(), CALLER)
    post("/hooks/voice", call)
    ticket = Ticket.objects.get()
    recording = recording_params(call, "RE" + "1" * 32)

    answers = [post("/hooks/voice/recording", recording) for _ in range(3)]
    texts = [
        post(
            "/hooks/voice/transcription",
            transcription_params(call, recording["RecordingSid"], "Todas las máquinas offline"),
        )
        for _ in range(2)
    ]

    assert [a.status_code for a in answers] == [200] * 3
    assert [t.status_code for t in texts] == [204] * 2
    root = ElementTree.fromstring(answers[0].content)
    assert [child.tag for child in root] == ["Say", "Hangup"]
    assert str(ticket.pk) in (root[0].text or "")
    messages = _customer_messages(ticket)
    assert len(messages) == 3  # the call, the recording, the transcription
    assert recording["RecordingUrl"] in messages[1]
    assert "42 s" in messages[1]
    assert "Todas las máquinas offline" in messages[2]
    ticket.refresh_from_db()
    assert ticket.requester == caller


def test_a_failed_transcription_says_so(caller: Any) -> None:
    call = call_params(call_sid(), CALLER)
    post("/hooks/voice", call)
    post(
        "/hooks/voice/transcription",
        transcription_params(call, "RE" + "2" * 32, "", status="failed"),
    )
    assert "no pudo transcribir" in _customer_messages(Ticket.objects.get())[-1]


def test_a_recording_of_a_call_never_filed_files_the_call_first(caller: Any) -> None:
    """The database was down when the phone rang (the fallback URL recorded the message)."""
    call = call_params(call_sid(), CALLER)
    assert (
        post("/hooks/voice/recording", recording_params(call, "RE" + "3" * 32)).status_code == 200
    )
    ticket = Ticket.objects.get()
    assert ticket.channel == "phone"
    assert len(_customer_messages(ticket)) == 2
    post("/hooks/voice", call)  # Twilio's late retry of the call: nothing new
    assert Ticket.objects.count() == 1


@pytest.mark.parametrize("path", ["/hooks/voice/recording", "/hooks/voice/transcription"])
def test_callbacks_are_signed_too(caller: Any, path: str) -> None:
    call = call_params(call_sid(), CALLER)
    params = (
        recording_params(call, "RE" + "4" * 32)
        if path.endswith("recording")
        else transcription_params(call, "RE" + "4" * 32, "x")
    )
    assert post(path, params, token="wrong").status_code == 403
    assert post(path, params, token=None).status_code == 403
    assert not Ticket.objects.exists()


def test_an_unreadable_recording_is_400(caller: Any) -> None:
    call = call_params(call_sid(), CALLER)
    params = {**recording_params(call, "RE" + "5" * 32), "RecordingUrl": "javascript:alert(1)"}
    response = post("/hooks/voice/recording", params)
    assert response.status_code == 400
    assert "RecordingUrl" in response.content.decode()
    assert not Ticket.objects.exists()

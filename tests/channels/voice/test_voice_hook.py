"""``POST /hooks/voice`` (and its fallback URL): signature first, one ticket per CallSid, the
route the policy gives the caller's plan, and TwiML in the caller's language."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from xml.etree import ElementTree

import pytest
from django.db import OperationalError
from django.utils import timezone
from fake_twilio import call_params, call_sid
from voice_helpers import post

from soporte.accounts.models import Contact
from soporte.channels.voice import services
from soporte.escalation.models import Page, PageNotification
from soporte.jobs.models import OutboxMessage
from soporte.oncall.services import create_rotation
from soporte.sla.models import Clock
from soporte.tickets.models import EventKind, Message, Ticket

ENTERPRISE_PHONE = "+52 (81) 2698-2507"
PRO_PHONE = "+52 55 1234 5678"


@pytest.fixture
def line(world: Any, twilio: Any) -> Any:
    """Twilio configured; the Enterprise and Pro contacts have phones; T3 is on call."""
    for plan, phone in (("enterprise", ENTERPRISE_PHONE), ("pro", PRO_PHONE)):
        contact = world.contacts[plan]
        contact.phone = phone
        contact.save(update_fields=["phone"])
    create_rotation(
        name="Plataforma",
        members=[world.agents["t3"], world.agents["lead3"]],
        starts_at=timezone.now() - timedelta(days=1),
        now=timezone.now(),
    )
    return world


def says(response: Any) -> list[tuple[str, str]]:
    """The ``<Say>`` verbs of a TwiML answer: (language, text)."""
    assert response["Content-Type"].startswith("text/xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == "Response"
    return [(say.get("language", ""), say.text or "") for say in root.iter("Say")]


def record(response: Any) -> dict[str, str]:
    found = ElementTree.fromstring(response.content).find("Record")
    assert found is not None
    return dict(found.attrib)


def test_without_a_token_the_hooks_do_not_exist(line: Any, settings: Any) -> None:
    settings.SOPORTE_TWILIO_AUTH_TOKEN = ""
    for path in ("/hooks/voice", "/hooks/voice/fallback", "/hooks/voice/recording"):
        assert post(path, call_params(call_sid(), "+528126982507")).status_code == 404
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("token", [None, "wrong-token"])
@pytest.mark.parametrize("path", ["/hooks/voice", "/hooks/voice/fallback"])
def test_a_wrong_or_missing_signature_is_403_and_writes_nothing(
    line: Any, token: str | None, path: str
) -> None:
    response = post(path, call_params(call_sid(), "+528126982507"), token=token)
    assert response.status_code == 403
    assert "X-Twilio-Signature" in response.content.decode()
    assert not Ticket.objects.exists()


def test_a_signature_for_another_host_is_refused(line: Any, settings: Any) -> None:
    settings.PUBLIC_BASE_URL = "https://other.example.com"  # what Twilio signed is not ours
    assert post("/hooks/voice", call_params(call_sid(), "+528126982507")).status_code == 403
    assert not Ticket.objects.exists()


def test_the_alternate_token_is_accepted_while_rotating(line: Any, settings: Any) -> None:
    settings.SOPORTE_TWILIO_ALT_AUTH_TOKEN = settings.SOPORTE_TWILIO_AUTH_TOKEN
    settings.SOPORTE_TWILIO_AUTH_TOKEN = "the-new-token"
    assert post("/hooks/voice", call_params(call_sid(), "+528126982507")).status_code == 200


def test_a_get_is_not_allowed(line: Any) -> None:
    from django.test import Client

    assert Client().get("/hooks/voice").status_code == 405


def test_an_unreadable_call_is_400_naming_the_parameter(line: Any) -> None:
    response = post("/hooks/voice", call_params("not-a-sid", "+528126982507"))
    assert response.status_code == 400
    assert "CallSid" in response.content.decode()
    assert not Ticket.objects.exists()


def test_an_enterprise_caller_gets_a_p0_at_t3_paged_with_both_clocks(line: Any) -> None:
    response = post("/hooks/voice", call_params(call_sid(1), "5218126982507"))

    assert response.status_code == 200
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.severity, ticket.tier) == ("phone", "P0", "T3")
    assert ticket.requester == line.contacts["enterprise"]
    assert ticket.channel_entitled
    clocks = {c.kind: c for c in Clock.objects.filter(ticket=ticket)}
    assert set(clocks) == {"first_response", "channel_response"}
    channel = clocks["channel_response"]
    assert (channel.basis, channel.target) == ("wall", "15 min 24/7")
    assert channel.due_at == ticket.opened_at + timedelta(minutes=15)
    page = Page.objects.get(ticket=ticket)
    sent = PageNotification.objects.get(page=page, step=0)
    assert sent.agent == line.agents["t3"]
    assert ticket.timeline.filter(kind=EventKind.PAGE_SENT).exists()
    spoken = says(response)
    assert all(lang == "es-MX" for lang, _text in spoken)
    text = " ".join(t for _lang, t in spoken)
    assert "guardia" in text
    assert str(ticket.pk) in text
    assert record(response)["action"] == "https://desk.example.com/hooks/voice/recording"
    assert record(response)["transcribeCallback"] == (
        "https://desk.example.com/hooks/voice/transcription"
    )


def test_an_english_speaking_caller_hears_english(line: Any) -> None:
    contact = line.contacts["enterprise"]
    contact.locale = "en"
    contact.save(update_fields=["locale"])

    spoken = says(post("/hooks/voice", call_params(call_sid(), "+528126982507")))

    assert {lang for lang, _text in spoken} == {"en-US"}
    assert "paged the on-call engineer" in " ".join(t for _lang, t in spoken)


def test_retries_and_the_fallback_url_file_one_ticket(line: Any) -> None:
    params = call_params(call_sid(7), "+528126982507")
    answers = [post("/hooks/voice", params)]
    written = (PageNotification.objects.count(), OutboxMessage.objects.count())
    answers += [post("/hooks/voice", params) for _ in range(2)]
    answers.append(post("/hooks/voice/fallback", {**params, "ErrorCode": "11205"}))

    assert [a.status_code for a in answers] == [200] * 4
    ticket = Ticket.objects.get()
    assert Message.objects.filter(ticket=ticket, provider_id=params["CallSid"]).count() == 1
    assert Page.objects.filter(ticket=ticket).count() == 1
    assert PageNotification.objects.filter(page__ticket=ticket, step=0).count() == 1
    assert (PageNotification.objects.count(), OutboxMessage.objects.count()) == written
    assert all(str(ticket.pk) in " ".join(t for _l, t in says(a)) for a in answers)


def test_a_pro_caller_hears_the_included_channels_and_whatsapp_and_gets_an_email_grade_ticket(
    line: Any,
) -> None:
    response = post("/hooks/voice", call_params(call_sid(), "5512345678"))

    ticket = Ticket.objects.get()
    assert ticket.requester == line.contacts["pro"]
    assert (ticket.severity, ticket.tier, ticket.channel_entitled) == ("P2", "T1", False)
    assert not Page.objects.exists()
    kinds = set(Clock.objects.filter(ticket=ticket).values_list("kind", flat=True))
    assert kinds == {"first_response"}  # the SLA grid only: no channel clock
    text = " ".join(t for _lang, t in says(response))
    assert "Pro" in text
    assert "Slack Connect" in text
    assert "WhatsApp" in text
    assert "+52 (81) 2698-2507" in text
    assert "Línea de emergencia" not in text.split("incluye:")[1]
    # The acknowledgement (by email) says why the ticket is email-grade.
    ack = OutboxMessage.objects.get(idempotency_key=f"ack:{ticket.pk}")
    assert ack.payload["to"] == ["ana@pro.example"]
    assert "no incluye" in ack.payload["body"]


def test_an_unknown_number_lands_with_the_unidentified_senders(line: Any) -> None:
    response = post("/hooks/voice", call_params(call_sid(), "+14155550100", CallerName="JOHN"))

    ticket = Ticket.objects.get()
    assert ticket.organisation.unidentified
    assert ticket.requester.phone_e164 == "+14155550100"
    assert ticket.requester.name == "JOHN"
    assert not ticket.channel_entitled
    assert not Page.objects.exists()
    spoken = says(response)
    assert {lang for lang, _t in spoken} == {"en-US"}  # a US number
    assert "do not recognise this number" in spoken[0][1]


@pytest.mark.parametrize("caller", ["+266696687", "Anonymous", "client:alice"])
def test_a_withheld_number_is_still_filed(line: Any, caller: str) -> None:
    for _n in range(2):
        assert post("/hooks/voice", call_params(call_sid(), caller)).status_code == 200
    assert Ticket.objects.count() == 2
    assert Contact.objects.filter(user__username=services.WITHHELD).count() == 1
    assert all(t.organisation.unidentified for t in Ticket.objects.all())


def test_database_down_the_call_url_is_503_and_the_fallback_still_speaks(
    line: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("connection refused")

    params = call_params(call_sid(), "+528126982507")
    with monkeypatch.context() as patched:
        patched.setattr(services, "take_call", down)
        assert post("/hooks/voice", params).status_code == 503
        fallback = post("/hooks/voice/fallback", params)
    assert fallback.status_code == 200
    text = " ".join(t for _lang, t in says(fallback))
    assert "WhatsApp" in text
    assert "+52 (81) 2698-2507" in text
    assert record(fallback)["action"].endswith("/hooks/voice/recording")
    assert not Ticket.objects.exists()
    # Twilio retries, the database is back: one ticket.
    assert post("/hooks/voice", params).status_code == 200
    assert Ticket.objects.count() == 1

"""The desk's rules running on the real database: intake, clocks, replies, escalation, timers."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core import mail
from django.utils import timezone

from soporte.jobs import services as jobs
from soporte.jobs.models import Job
from soporte.jobs.outbox import OutboxMessage
from soporte.notify.models import Notification
from soporte.policy import default_policy
from soporte.sla import services as sla
from soporte.tickets import services
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import EventKind, Status
from soporte.tickets.selectors import MessageKey
from soporte.tickets.signals import page_requested

pytestmark = pytest.mark.django_db

POLICY = default_policy()
FRIDAY_1740 = datetime.fromisoformat("2026-11-27T17:40:00-06:00")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def open_(world, plan="pro", severity="P1", channel="email", **kw):  # type: ignore[no-untyped-def]
    return services.open_ticket(
        requester=world.contacts[plan],
        channel=channel,
        severity=severity,
        subject="Dashboard broken",
        body="Dashboard broken, please fix.",
        intake=kw.pop("intake", Intake()),
        received_at=(received := kw.pop("received_at", FRIDAY_1740)),
        now=kw.pop("now", received),
        **kw,
    )


def kinds(ticket):  # type: ignore[no-untyped-def]
    return [e.kind for e in ticket.timeline.all()]


def test_new_ticket_has_clocks_timers_timeline_and_an_acknowledgement(world):  # type: ignore[no-untyped-def]
    ticket = open_(
        world, channel="chat", intake=Intake(url="https://app/x", browser_os="Chrome 123")
    )
    assert (ticket.tier, ticket.status, ticket.plan, ticket.completeness) == ("T1", "new", "pro", 2)
    clocks = {c.kind: c for c in ticket.clocks.all()}
    assert clocks["first_response"].due_at == at("2026-11-30T12:40:00-06:00")
    assert clocks["channel_response"].due_at == at("2026-11-27T17:55:00-06:00")
    assert ticket.next_due_at == at("2026-11-27T17:55:00-06:00")
    assert kinds(ticket) == [
        EventKind.CREATED,
        EventKind.CLOCK_STARTED,
        EventKind.CLOCK_STARTED,
        EventKind.ACKNOWLEDGED,
    ]
    timers = sorted(Job.objects.filter(kind__startswith="sla.").values_list("kind", flat=True))
    assert timers == ["sla.breach", "sla.breach", "sla.warning", "sla.warning"]
    ack = OutboxMessage.objects.get(idempotency_key=f"ack:{ticket.pk}")
    body = ack.payload["body"]
    assert f"#{ticket.pk}" in body
    assert "lunes 30 de noviembre de 2026, 12:40 CST" in body
    assert "(4 horas hábiles: de lunes a viernes" in body  # the target in words, never "4 bh"
    for missing in ("ID de tu organización", "captura de pantalla", "qué pasó"):
        assert missing.lower() in body.lower(), missing
    assert "URL" not in body.split("falta")[-1]
    assert "navegador" not in body.lower()


def test_acknowledgement_is_in_the_contacts_language_and_says_when_support_resumes(world):  # type: ignore[no-untyped-def]
    contact = world.contacts["starter"]
    contact.locale, contact.time_zone = "en", "America/Tijuana"
    contact.save()
    ticket = open_(world, plan="starter", received_at=at("2026-11-28T11:00:00-06:00"))
    body = OutboxMessage.objects.get(idempotency_key=f"ack:{ticket.pk}").payload["body"]
    assert "Monday 30 November 2026, 16:00 PST" in body  # 1 bd from Monday 09:00 Mexico City
    assert "Support is closed right now; it resumes Monday 30 November 2026, 07:00 PST." in body
    assert "Your organisation ID" in body


def test_first_human_public_reply_fulfils_the_clocks(world):  # type: ignore[no-untyped-def]
    ticket = open_(world)
    services.reply(
        ticket=ticket,
        author=world.agents["t1"],
        body="internal",
        public=False,
        at=at("2026-11-30T09:05:00-06:00"),
    )
    ticket.refresh_from_db()
    assert ticket.first_replied_at is None
    services.reply(
        ticket=ticket, author=world.agents["t1"], body="Hola", at=at("2026-11-30T09:10:00-06:00")
    )
    ticket.refresh_from_db()
    clock = ticket.clocks.get()
    assert clock.fulfilled_at == at("2026-11-30T09:10:00-06:00")
    assert ticket.next_due_at is None
    assert ticket.status == Status.PENDING
    fulfilled = ticket.timeline.get(kind=EventKind.CLOCK_FULFILLED)
    assert fulfilled.data["met"] is True
    assert fulfilled.data["business_seconds"] == 30 * 60
    assert not Job.objects.filter(kind__startswith="sla.", status="pending").exists()


def test_two_back_and_forths_move_the_ticket_to_t2(world):  # type: ignore[no-untyped-def]
    ticket = open_(world)
    t1, ana = world.agents["t1"], world.contacts["pro"]
    services.reply(ticket=ticket, author=t1, body="Try again", at=timezone.now())
    services.reply(ticket=ticket, author=ana, body="Still broken", at=timezone.now())
    ticket.refresh_from_db()
    assert ticket.tier == "T1"
    services.reply(ticket=ticket, author=t1, body="Clear the cache", at=timezone.now())
    services.reply(ticket=ticket, author=ana, body="Still broken!", at=timezone.now())
    ticket.refresh_from_db()
    assert (ticket.tier, ticket.status) == ("T2", Status.OPEN)
    escalated = ticket.timeline.get(kind=EventKind.ESCALATED)
    assert escalated.data["automatic"] is True
    assert escalated.data["old"] == "T1"


def test_severity_change_recomputes_from_the_original_start(world):  # type: ignore[no-untyped-def]
    ticket = open_(
        world, plan="starter", severity="P3", received_at=at("2026-11-30T09:00:00-06:00")
    )
    services.change_severity(
        ticket=ticket,
        severity="P1",
        actor=world.agents["t1"],
        reason="more users affected",
        at=at("2026-12-01T12:00:00-06:00"),
    )
    clock = ticket.clocks.get()
    assert clock.due_at == at("2026-11-30T18:00:00-06:00")
    assert clock.version == 2
    event = ticket.timeline.get(kind=EventKind.CLOCK_RECOMPUTED)
    assert event.data["due_before"] == "2026-12-04T18:00:00-06:00"
    assert "severity P3 → P1" in event.data["reason"]
    pending = Job.objects.filter(kind="sla.breach", status="pending").get()
    assert pending.key.endswith(":v2")


def test_p0_requests_a_page_at_once(world):  # type: ignore[no-untyped-def]
    received = []
    page_requested.connect(lambda **kw: received.append(kw["reason"]), weak=False, dispatch_uid="t")
    try:
        ticket = open_(world, plan="starter", severity="P0")
    finally:
        page_requested.disconnect(dispatch_uid="t")
    assert received == ["p0_opened"]
    assert EventKind.PAGE_REQUESTED in kinds(ticket)


def test_t2_to_t3_as_a_code_bug_pages_for_p1_not_p2(world):  # type: ignore[no-untyped-def]
    p1 = open_(world, severity="P1")
    p2 = open_(world, severity="P2")
    for ticket in (p1, p2):
        services.escalate(
            ticket=ticket, actor=world.agents["t1"], reason="needs logs", at=timezone.now()
        )
        services.escalate(
            ticket=ticket,
            actor=world.agents["t2"],
            reason="RLS bug",
            code_bug=True,
            at=timezone.now(),
        )
    assert EventKind.PAGE_REQUESTED in kinds(p1)
    assert EventKind.PAGE_REQUESTED not in kinds(p2)
    p1.refresh_from_db()
    assert p1.tier == "T3"
    with pytest.raises(services.TicketError, match="already at the last tier"):
        services.escalate(ticket=p1, actor=world.agents["t3"], reason="again", at=timezone.now())


def test_inbound_retry_never_duplicates(world):  # type: ignore[no-untyped-def]
    first = open_(world, key=MessageKey("email:in", "<abc@mail>"))
    again = open_(world, key=MessageKey("email:in", "<abc@mail>"))
    assert first.pk == again.pk
    message = services.reply(
        ticket=first,
        author=world.contacts["pro"],
        body="x",
        key=MessageKey("email:in", "m2"),
        at=timezone.now(),
    )
    assert (
        services.reply(
            ticket=first,
            author=world.contacts["pro"],
            body="x",
            key=MessageKey("email:in", "m2"),
            at=timezone.now(),
        )
        == message
    )


def test_warning_and_breach_tell_the_tiers_leads_once(world):  # type: ignore[no-untyped-def]
    ticket = open_(world, severity="P1", received_at=at("2026-11-30T09:00:00-06:00"))  # 4 bh
    jobs.run_due(worker="w", now=at("2026-11-30T12:11:00-06:00"))
    assert not Notification.objects.exists()
    jobs.run_due(worker="w", now=at("2026-11-30T12:12:00-06:00"))
    jobs.run_due(worker="w", now=at("2026-11-30T12:13:00-06:00"))
    warned = Notification.objects.get()
    assert (warned.agent, warned.event) == (world.agents["lead1"], "sla_at_risk")
    assert f"#{ticket.pk}" in warned.title
    jobs.run_due(worker="w", now=at("2026-11-30T13:00:00.000001-06:00"))
    jobs.run_due(worker="w", now=at("2026-11-30T13:05:00-06:00"))
    assert list(Notification.objects.order_by("id").values_list("event", flat=True)) == [
        "sla_at_risk",
        "sla_breached",
    ]
    assert [
        e.kind for e in ticket.timeline.filter(kind__in=["clock_warning", "clock_breached"])
    ] == [
        "clock_warning",
        "clock_breached",
    ]
    jobs.run_due(worker="w", now=at("2026-11-30T14:00:00-06:00"))
    digests = OutboxMessage.objects.filter(idempotency_key__startswith="digest:")
    weekly = {d.payload["subject"] for d in digests}  # opened Monday 09:00: last week's digest
    to_leads = [
        m for m in mail.outbox if m.to != [world.contacts["pro"].email] and m.subject not in weekly
    ]
    assert len(to_leads) == 2
    assert {tuple(m.to) for m in to_leads} == {("lead1@trackmyvend.example",)}
    assert all(f"#{ticket.pk}" in m.subject for m in to_leads)


def test_breach_waits_for_business_time_when_due_on_a_close(world):  # type: ignore[no-untyped-def]
    ticket = open_(world, severity="P1", received_at=at("2026-11-30T14:00:00-06:00"))  # due 18:00
    jobs.run_due(worker="w", now=at("2026-11-30T23:00:00-06:00"))
    assert not ticket.timeline.filter(kind="clock_breached").exists()
    jobs.run_due(worker="w", now=at("2026-12-01T09:00:01-06:00"))
    assert ticket.timeline.filter(kind="clock_breached").count() == 1


def test_customer_reply_reopens_a_solved_ticket(world):  # type: ignore[no-untyped-def]
    ticket = open_(world)
    services.change_status(
        ticket=ticket, status="solved", actor=world.agents["t1"], at=timezone.now()
    )
    ticket.refresh_from_db()
    assert ticket.solved_at is not None
    services.reply(
        ticket=ticket, author=world.contacts["pro"], body="It broke again", at=timezone.now()
    )
    ticket.refresh_from_db()
    assert (ticket.status, ticket.solved_at) == (Status.OPEN, None)
    with pytest.raises(services.TicketError, match="unknown status 'done'"):
        services.change_status(
            ticket=ticket, status="done", actor=world.agents["t1"], at=timezone.now()
        )
    with pytest.raises(services.TicketError, match="customers can mark"):
        services.change_status(
            ticket=ticket, status="closed", actor=world.contacts["pro"], at=timezone.now()
        )


def test_raising_to_p0_requests_one_page_and_plan_change_recomputes(world):  # type: ignore[no-untyped-def]
    ticket = open_(world, plan="pro", severity="P2", received_at=at("2026-11-30T09:00:00-06:00"))
    lead = world.agents["lead1"]
    for _ in range(2):
        services.change_severity(
            ticket=ticket, severity="P0", actor=lead, reason="all down", at=timezone.now()
        )
    assert kinds(ticket).count(EventKind.PAGE_REQUESTED) == 1
    services.change_plan(
        ticket=ticket, plan="enterprise", actor=lead, reason="upgraded last week", at=timezone.now()
    )
    clock = ticket.clocks.get()
    assert (clock.target, clock.due_at) == ("15 min 24/7", at("2026-11-30T09:15:00-06:00"))
    with pytest.raises(services.TicketError, match="unknown plan 'gold'"):
        services.change_plan(ticket=ticket, plan="gold", actor=lead, at=timezone.now())


def test_enterprise_csm_hears_of_p0_and_p1_once(world):  # type: ignore[no-untyped-def]
    org = world.orgs["enterprise"]
    org.csm = world.agents["lead3"]
    org.save()
    p2 = open_(world, plan="enterprise", severity="P2")
    assert not Notification.objects.filter(event="csm_p0_p1").exists()
    services.change_severity(
        ticket=p2, severity="P1", actor=world.agents["t1"], reason="worse", at=timezone.now()
    )
    open_(world, plan="enterprise", severity="P0")
    open_(world, plan="pro", severity="P0")  # no CSM outside Enterprise
    notes = Notification.objects.filter(event="csm_p0_p1").order_by("id")
    assert [(n.agent, n.ticket.severity) for n in notes] == [
        (world.agents["lead3"], "P1"),
        (world.agents["lead3"], "P0"),
    ]
    assert OutboxMessage.objects.filter(idempotency_key__startswith="notify:csm:").count() == 2


def test_an_integrations_public_reply_never_fulfils_the_first_response_clock(world):  # type: ignore[no-untyped-def]
    from soporte.accounts.services import create_agent

    bot = create_agent(email="zapier@bots.example", name="Zapier", kind="integration")
    ticket = open_(world)
    services.reply(ticket=ticket, author=bot, body="Recibido", at=at("2026-11-30T09:05:00-06:00"))
    ticket.refresh_from_db()
    assert ticket.first_replied_at is None
    assert ticket.clocks.get().fulfilled_at is None
    assert not ticket.timeline.filter(kind=EventKind.CLOCK_FULFILLED).exists()
    sla.fulfil_clocks(ticket=ticket, at=at("2026-11-30T09:06:00-06:00"), actor=bot, policy=POLICY)
    assert ticket.clocks.get().fulfilled_at is None
    services.reply(
        ticket=ticket, author=world.agents["t1"], body="Hola", at=at("2026-11-30T09:10:00-06:00")
    )
    ticket.refresh_from_db()
    assert ticket.first_replied_at == at("2026-11-30T09:10:00-06:00")
    assert ticket.clocks.get().fulfilled_at == at("2026-11-30T09:10:00-06:00")


def test_a_customer_reply_after_two_t1_replies_in_a_row_moves_the_ticket_to_t2(world):  # type: ignore[no-untyped-def]
    ticket = open_(world)
    t1, ana = world.agents["t1"], world.contacts["pro"]
    services.reply(ticket=ticket, author=t1, body="Try again", at=timezone.now())
    services.reply(ticket=ticket, author=t1, body="Or clear the cache", at=timezone.now())
    services.reply(ticket=ticket, author=ana, body="Still broken", at=timezone.now())
    ticket.refresh_from_db()
    assert (ticket.tier, ticket.status) == ("T2", Status.OPEN)


def test_a_thank_you_to_a_solved_ticket_reopens_it_at_t1_and_starts_the_count_again(world):  # type: ignore[no-untyped-def]
    from soporte.accounts.services import create_agent

    bot = create_agent(email="zapier@bots.example", name="Zapier", kind="integration")
    ticket = open_(world)
    t1, ana = world.agents["t1"], world.contacts["pro"]
    services.reply(ticket=ticket, author=t1, body="Try again", at=timezone.now())
    services.reply(ticket=ticket, author=ana, body="Still broken", at=timezone.now())
    services.reply(ticket=ticket, author=t1, body="Fixed on our side", at=timezone.now())
    services.change_status(ticket=ticket, status="solved", actor=t1, at=timezone.now())
    services.reply(ticket=ticket, author=ana, body="¡Gracias!", at=timezone.now())
    ticket.refresh_from_db()
    assert (ticket.tier, ticket.status) == ("T1", Status.OPEN)
    assert not ticket.timeline.filter(kind=EventKind.ESCALATED).exists()
    services.reply(ticket=ticket, author=t1, body="Anything else?", at=timezone.now())
    services.reply(
        ticket=ticket, author=bot, body="Automatic survey", at=timezone.now()
    )  # a bot is no T1 reply
    services.reply(ticket=ticket, author=ana, body="One more thing", at=timezone.now())
    ticket.refresh_from_db()
    assert ticket.tier == "T1"
    services.reply(ticket=ticket, author=t1, body="Tell me", at=timezone.now())
    services.reply(ticket=ticket, author=ana, body="It broke again", at=timezone.now())
    ticket.refresh_from_db()
    assert ticket.tier == "T2"


def test_a_reply_written_before_the_ticket_was_solved_is_a_failed_back_and_forth(world):  # type: ignore[no-untyped-def]
    ticket = open_(world)
    t1, ana = world.agents["t1"], world.contacts["pro"]
    services.reply(ticket=ticket, author=t1, body="Try again", at=at("2026-11-30T09:00:00-06:00"))
    services.reply(ticket=ticket, author=t1, body="Fixed", at=at("2026-11-30T09:30:00-06:00"))
    services.change_status(
        ticket=ticket, status="solved", actor=t1, at=at("2026-11-30T10:00:00-06:00")
    )
    # Written at 09:59 (the email's arrival time), read after the ticket was solved.
    services.reply(
        ticket=ticket, author=ana, body="Still broken", at=at("2026-11-30T09:59:00-06:00")
    )
    ticket.refresh_from_db()
    assert (ticket.tier, ticket.status) == ("T2", Status.OPEN)


def test_a_channel_the_plan_lacks_is_answered_with_the_channels_the_plan_includes(world):  # type: ignore[no-untyped-def]
    starter = open_(world, plan="starter", channel="slack")
    body = OutboxMessage.objects.get(idempotency_key=f"ack:{starter.pk}").payload["body"]
    assert (
        "Tu plan (Starter) no incluye Slack Connect, así que atendemos tu mensaje como un ticket "
        "de correo. Tu plan incluye: Correo, Portal, Chat en la app y WhatsApp." in body
    )
    contact = world.contacts["pro"]
    contact.locale = "en"
    contact.save()
    pro = open_(world, plan="pro", channel="phone")
    body = OutboxMessage.objects.get(idempotency_key=f"ack:{pro.pk}").payload["body"]
    assert (
        "Your plan (Pro) does not include Emergency phone line, so we handle your message as an "
        "email ticket. Your plan includes: Email, Portal, In-app chat, WhatsApp and Slack "
        "Connect." in " ".join(body.split())
    )


def test_a_later_reply_that_supplies_missing_fields_updates_the_intake(world, settings, tmp_path):  # type: ignore[no-untyped-def]
    import base64

    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )
    ticket = open_(world, intake=Intake(url="https://app.trackmyvend.com/"))
    ana, org = world.contacts["pro"], world.orgs["pro"]
    services.reply(ticket=ticket, author=ana, body="Gracias, sigue igual", at=timezone.now())
    services.reply(
        ticket=ticket,
        author=ana,
        body=f"Mi organización es {org.pk}; uso Chrome 123 en Windows 11.",
        uploads=[SimpleUploadedFile("mapa.png", png, content_type="image/png")],
        at=at("2026-11-30T09:30:00-06:00"),
    )
    ticket.refresh_from_db()
    assert ticket.completeness == 4
    assert (ticket.intake_organisation_id, ticket.intake_browser_os) == (
        str(org.pk),
        "Chrome 123, Windows 11",
    )
    [updated] = ticket.timeline.filter(kind=EventKind.INTAKE_UPDATED)
    assert updated.actor_contact == ana
    assert updated.at == at("2026-11-30T09:30:00-06:00")
    assert updated.data == {
        "supplied": ["organisation_id", "screenshot", "browser_os"],
        "old": 1,
        "new": 4,
    }
    services.reply(
        ticket=ticket,
        author=world.agents["t1"],
        body=f"Chrome en Linux, {org.pk}",
        at=timezone.now(),
    )
    assert (
        ticket.timeline.filter(kind=EventKind.INTAKE_UPDATED).count() == 1
    )  # agents supply nothing


def test_the_portals_next_steps_name_the_plans_channels_too(world):  # type: ignore[no-untyped-def]
    from zoneinfo import ZoneInfo

    from django.utils import translation

    from soporte.tickets.acknowledgement import next_steps

    ticket = open_(world, plan="starter", channel="slack")
    with translation.override("es-mx"):
        steps = next_steps(
            ticket,
            list(ticket.clocks.all()),
            POLICY,
            zone=ZoneInfo("America/Mexico_City"),
            now=FRIDAY_1740,
        )
    assert steps[-1] == (
        "Tu plan (Starter) no incluye Slack Connect, así que atendemos tu mensaje como un ticket "
        "de correo. Tu plan incluye: Correo, Portal, Chat en la app y WhatsApp."
    )

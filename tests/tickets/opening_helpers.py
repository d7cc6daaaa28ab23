"""What opening a ticket writes, read back from the database (``snapshot``), and the same rows
made with plain ORM ``create`` calls (``open_by_orm``): the reference the fast path
(``tickets.opening``, behind ``open_ticket`` and ``bulk.load``) is held to."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.db import models

from soporte.accounts.models import Contact
from soporte.channels.email.secrets import ticket_reply_address
from soporte.jobs.models import Job, OutboxMessage
from soporte.jobs.outbox import DELIVER, job_key, new_message_id
from soporte.notify import services as notify
from soporte.notify.models import Notification
from soporte.policy import default_policy
from soporte.sla import services as sla
from soporte.sla.models import Clock
from soporte.tickets import bulk, replies, sanitize, services
from soporte.tickets.acknowledgement import FirstClock, Received, acknowledgements
from soporte.tickets.domain import routing
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import (
    AuthorKind,
    EventKind,
    Message,
    MessageKind,
    Ticket,
    TimelineEvent,
)

START = datetime.fromisoformat("2026-11-27T16:10:00-06:00")  # a Friday afternoon
INTAKES = [
    Intake(),
    Intake(organisation_id="ORG-1", url="https://app.example/x", browser_os="Firefox"),
    Intake(
        organisation_id="ORG-2",
        url="https://app.example/y",
        expected="a map",
        actual="a blank page",
        browser_os="Chrome 123 on Windows",
        started_at="09:00 CST",
        still_happening="yes",
    ),
]
CHANNELS = ["email", "portal", "chat", "whatsapp", "slack", "phone"]


def specs(world: Any, n: int, start: datetime = START) -> list[bulk.TicketSpec]:
    """Every plan, channel (the phone opens a P0 at T3 for Enterprise), severity and intake,
    received around the clock: in business hours, at night, over the weekend."""
    contacts = [
        Contact.objects.select_related("user", "organisation__csm").get(pk=c.pk)
        for c in world.contacts.values()
    ]
    return [
        bulk.TicketSpec(
            requester=contacts[i % 3],
            channel=CHANNELS[i % len(CHANNELS)],
            severity=("P0", "P1", "P2", "P3")[i % 4],
            subject=f"  Vending map {i} broken  " if i % 5 else "",
            body=f"<p>It <b>broke</b> {i}</p><script>x()</script>" if i % 7 == 0 else f"Hi\n\n{i}",
            body_is_html=i % 7 == 0,
            intake=INTAKES[i % len(INTAKES)],
            received_at=start + timedelta(minutes=97 * i),
        )
        for i in range(n)
    ]


def open_one(spec: bulk.TicketSpec, now: datetime) -> int:
    ticket = services.open_ticket(
        requester=spec.requester,
        channel=spec.channel,
        severity=spec.severity,
        subject=spec.subject,
        body=spec.body,
        intake=spec.intake,
        received_at=spec.received_at,
        body_is_html=spec.body_is_html,
        now=now,
    )
    return int(ticket.pk)


def open_by_orm(spec: bulk.TicketSpec, *, now: datetime, pages: bool = True) -> int:
    """Open ``spec``'s ticket with one ORM ``create`` per row, the rules' own functions giving
    the values; the ORM's ``auto_now`` stamps read the clock, so it is set to ``now``.
    ``pages``: whether a P0 requests a page (an old import does not)."""
    policy = default_policy()
    requester, at = spec.requester, spec.received_at
    organisation = requester.organisation
    route = routing.route_new_ticket(
        policy, plan=organisation.plan, channel=spec.channel, severity=spec.severity
    )
    clocks = sla.new_clocks(
        policy,
        plan=organisation.plan,
        severity=route.severity,
        channel=spec.channel,
        opened_at=at,
    )
    intake = spec.intake
    with time_machine.travel(now, tick=False):
        ticket = Ticket.objects.create(
            organisation=organisation,
            requester=requester,
            subject=spec.subject.strip()[:200] or "(no subject)",
            channel=spec.channel,
            severity=route.severity,
            tier=route.tier,
            intake_organisation_id=intake.organisation_id,
            intake_url=intake.url,
            intake_expected=intake.expected,
            intake_actual=intake.actual,
            intake_browser_os=intake.browser_os,
            intake_started_at=intake.started_at,
            intake_still_happening=intake.still_happening,
            completeness=intake.completeness,
            plan=organisation.plan,
            policy_version=policy.version,
            channel_entitled=route.entitled,
            opened_at=at,
            next_due_at=min(c.due_at for c in clocks),
            updated_at=now,
        )
        body = sanitize.from_html(spec.body) if spec.body_is_html else sanitize.from_text(spec.body)
        Message.objects.create(
            ticket=ticket,
            kind=MessageKind.PUBLIC,
            author_kind=AuthorKind.CUSTOMER,
            author_contact=requester,
            body=body,
            created_at=at,
        )
        event = TimelineEvent.objects.create
        event(
            ticket=ticket,
            kind=EventKind.CREATED,
            actor_contact=requester,
            at=at,
            data={
                "channel": spec.channel,
                "severity": route.severity,
                "tier": route.tier,
                "completeness": intake.completeness,
            },
        )
        first = None
        for new in clocks:
            clock = Clock.objects.create(
                ticket=ticket, **new._asdict(), policy_version=policy.version
            )
            for kind, key, due_at, payload in sla.new_timers(
                clock.pk, clock.version, warn_at=clock.warn_at, breach_after=clock.breach_after
            ):
                Job.objects.create(kind=kind, key=key, due_at=due_at, payload=payload)
            event(
                ticket=ticket,
                kind=EventKind.CLOCK_STARTED,
                at=at,
                data=sla.started_data(new, policy),
            )
            if first is None and new.kind == "first_response":
                first = FirstClock(new.basis, new.target, new.due_at)
        missing = tuple(intake.missing())
        event(
            ticket=ticket,
            kind=EventKind.ACKNOWLEDGED,
            at=at,
            data={"missing": [f.value for f in missing]},
        )
        paged = route.pages and pages
        if paged:
            event(
                ticket=ticket,
                kind=EventKind.PAGE_REQUESTED,
                at=at,
                data={"reason": "p0_opened", "severity": route.severity},
            )
        received = Received(
            number=ticket.pk,
            subject=ticket.subject,
            name=requester.name,
            lang=requester.locale,
            zone=ZoneInfo(requester.time_zone),
            first=first,
            plan=organisation.plan,
            channel=spec.channel,
            entitled=route.entitled,
            missing=missing,
            received_at=at,
        )
        [(subject, letter)] = acknowledgements([received], policy)
        thread = new_message_id() if requester.email else None  # the root of the thread
        ack = Message.objects.create(
            ticket=ticket,
            kind=MessageKind.PUBLIC,
            author_kind=AuthorKind.SYSTEM,
            body=sanitize.from_text(letter),
            created_at=at,
            email_message_id=thread,
        )
        if thread is not None:
            emailed = spec.key is not None and spec.key.scope == "email"
            email = replies.acknowledgement(
                ticket.pk,
                subject=subject,
                body=letter,
                markup=ack.body,
                lang=requester.locale,
                ticket_subject=ticket.subject,
                message_id=thread,
                answers=spec.key.id if emailed and spec.key else None,
            )
            _email(
                f"ack:{ticket.pk}",
                [requester.email],
                email.subject,
                letter,
                now,
                email.headers,
                email.html,
            )
        notice = notify.ticket_csm_notice(ticket)
        if notice is not None:
            Notification.objects.create(
                agent=notice.agent,
                ticket=ticket,
                event=notice.event,
                key=notice.key,
                title=notice.title,
                titles=notice.titles,
                created_at=now,
            )
            if notice.agent.email:
                _email(
                    f"notify:{notice.key}", [notice.agent.email], notice.title, notice.title, now
                )
    if paged:
        services.send_page_request(ticket, "p0_opened", at)  # the page is escalation's
    return int(ticket.pk)


def _email(
    key: str,
    to: list[str],
    subject: str,
    body: str,
    now: datetime,
    headers: dict[str, str] | None = None,
    html: str | None = None,
) -> None:
    payload: dict[str, Any] = {"to": to, "subject": subject, "body": body}
    if html is not None:
        payload["html"] = html
    if headers:
        payload["headers"] = headers
    message = OutboxMessage.objects.create(transport="email", idempotency_key=key, payload=payload)
    Job.objects.create(
        kind=DELIVER,
        key=job_key(key),
        due_at=now,
        payload={"message": message.pk, "idempotency_key": key},
    )


def values(row: models.Model) -> dict[str, Any]:
    """Every column of ``row`` (``auto_now`` stamps too), by attribute name."""
    return {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}


def snapshot(number: int) -> dict[str, Any]:
    """Every row written for ticket ``number``, every column, with the keys the database gave
    (the ticket's, its clocks', its outbox messages') named by what they are."""
    ticket = Ticket.objects.get(pk=number)
    clocks = list(ticket.clocks.order_by("kind"))
    names: dict[str, dict[int, str]] = {"clock": {c.pk: f"C{c.kind}" for c in clocks}}
    texts = {rf"#{number}(?!\d)": "#T", rf"ack:{number}$": "ack:T", f"csm:{number}:": "csm:T:"}
    texts |= {f"postmortem:{number}:": "postmortem:T:"}  # a P0's post-mortem notice
    texts |= {f":{c.pk}:v": f":C{c.kind}:v" for c in clocks}
    texts |= {f"_on_call:{p.pk}:": "_on_call:P:" for p in ticket.pages.all()}  # a P0's page
    threads = ticket.messages.exclude(email_message_id=None)
    texts |= {re.escape(m.email_message_id): "<thread root>" for m in threads}  # a fresh id
    texts |= {re.escape(ticket_reply_address(number)): "<reply address>"}

    def clean(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            skip = {"id", "ticket_id", "page"}
            return {k: clean(v, k) for k, v in value.items() if k not in skip}
        if isinstance(value, list):
            return [clean(v) for v in value]
        if key in names and isinstance(value, int):  # a timer's clock, a delivery's message
            return names[key][value]
        if isinstance(value, str):
            for old, new in texts.items():
                value = re.sub(old, new, value)
        return value

    def rows(queryset: Any) -> list[Any]:
        return [clean(values(row)) for row in queryset]

    notes = Notification.objects.filter(ticket=ticket).order_by("key")
    keys = [f"ack:{number}"] + [f"notify:{note.key}" for note in notes]
    outbox = list(OutboxMessage.objects.filter(idempotency_key__in=keys).order_by("id"))
    names["message"] = {m.pk: clean(m.idempotency_key) for m in outbox}
    timer_keys = [f"{kind}:{c.pk}:v1" for c in clocks for kind in ("sla.warning", "sla.breach")]
    deliveries = Job.objects.filter(key__in=[job_key(k) for k in keys])
    return {
        "ticket": clean(values(ticket)),
        "messages": rows(ticket.messages.order_by("id")),
        "timeline": rows(ticket.timeline.order_by("at", "id")),
        "clocks": rows(clocks),
        "timers": sorted(rows(Job.objects.filter(key__in=timer_keys)), key=lambda r: r["key"]),
        "outbox": [_opening_stamp(r, r["idempotency_key"]) for r in rows(outbox)],
        "delivery": sorted(
            (_opening_stamp(r, r["key"]) for r in rows(deliveries)), key=lambda r: r["key"]
        ),
        "notifications": rows(notes),
    }


def _opening_stamp(row: dict[str, Any], key: str) -> dict[str, Any]:
    """``row`` (an outbox message or its delivery job), without its creation stamp when the page
    wrote it (escalation's code, the same ORM calls on either path, stamped by the real clock)."""
    if key.removeprefix("outbox:").startswith(("ack:", "notify:csm:")):
        return row
    return {k: v for k, v in row.items() if k != "created_at"}

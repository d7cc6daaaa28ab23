"""``tickets.bulk.load`` writes exactly the rows ``services.open_ticket`` writes, field by field."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from soporte.accounts.models import Contact
from soporte.jobs.models import Job, OutboxMessage
from soporte.jobs.outbox import job_key
from soporte.notify import services as notify
from soporte.notify.models import Notification
from soporte.tickets import bulk, services
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import Ticket
from soporte.tickets.signals import page_requested

pytestmark = pytest.mark.django_db

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


def specs(world: Any, n: int) -> list[bulk.TicketSpec]:
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
            received_at=START + timedelta(minutes=97 * i),
        )
        for i in range(n)
    ]


def open_one(spec: bulk.TicketSpec) -> int:
    ticket = services.open_ticket(
        requester=spec.requester,
        channel=spec.channel,
        severity=spec.severity,
        subject=spec.subject,
        body=spec.body,
        intake=spec.intake,
        received_at=spec.received_at,
        body_is_html=spec.body_is_html,
        now=timezone.now(),
    )
    return int(ticket.pk)


def snapshot(number: int) -> dict[str, Any]:
    """Every row written for ticket ``number``, ids and creation timestamps taken out."""
    ticket = Ticket.objects.get(pk=number)
    clocks = list(ticket.clocks.order_by("kind"))
    names = {c.pk: f"C{c.kind}" for c in clocks}
    texts = {rf"#{number}(?!\d)": "#T", rf"ack:{number}$": "ack:T", f"csm:{number}:": "csm:T:"}
    texts |= {f":{c.pk}:v": f":C{c.kind}:v" for c in clocks}
    texts |= {f"_on_call:{p.pk}:": "_on_call:P:" for p in ticket.pages.all()}  # a P0's page

    def clean(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            skip = {"id", "ticket", "page"}
            return {k: clean(v, k) for k, v in value.items() if k not in skip}
        if isinstance(value, list):
            return [clean(v) for v in value]
        if key == "clock" and isinstance(value, int):  # a timer's payload
            return names[value]
        if isinstance(value, str):
            for old, new in texts.items():
                value = re.sub(old, new, value)
        return value

    def rows(queryset: Any, *exclude: str) -> list[Any]:
        return [clean(model_to_dict(row, exclude=list(exclude))) for row in queryset]

    notes = Notification.objects.filter(ticket=ticket).order_by("key")
    keys = [f"ack:{number}"] + [f"notify:{note.key}" for note in notes]
    outbox = list(OutboxMessage.objects.filter(idempotency_key__in=keys))
    timer_keys = [f"{kind}:{c.pk}:v1" for c in clocks for kind in ("sla.warning", "sla.breach")]
    jobs = Job.objects.filter(key__in=timer_keys).order_by("kind", "key")
    delivery = Job.objects.filter(key__in=[job_key(m.idempotency_key) for m in outbox]).order_by(
        "key"
    )
    message_pks = {m.pk for m in outbox}
    return {
        "ticket": clean({**model_to_dict(ticket), "next_due_at": ticket.next_due_at}),
        "messages": rows(ticket.messages.order_by("id")),
        "timeline": rows(ticket.timeline.order_by("at", "id")),
        "clocks": rows(clocks),
        "timers": sorted(rows(jobs, "created_at"), key=repr),
        "outbox": sorted(rows(outbox, "created_at"), key=repr),
        "delivery": [
            (j.kind, clean(j.key), j.status, j.payload["message"] in message_pks) for j in delivery
        ],
        "notifications": rows(notes, "agent"),
    }


def unpaged(rows: dict[str, Any]) -> dict[str, Any]:
    """``snapshot`` without the page: no request, no page, nobody told of it."""

    def kept(key: str) -> bool:
        return key.removeprefix("outbox:").startswith(("ack:", "notify:csm:"))

    return {
        **rows,
        "timeline": [e for e in rows["timeline"] if not e["kind"].startswith("page_")],
        "outbox": [m for m in rows["outbox"] if kept(m["idempotency_key"])],
        "delivery": [d for d in rows["delivery"] if kept(d[1])],
        "notifications": [n for n in rows["notifications"] if n["event"] == "csm_p0_p1"],
    }


@pytest.fixture
def csm(world: Any) -> Any:
    """The Enterprise organisation has a CSM, who hears of its P0 and P1 tickets."""
    org = world.orgs["enterprise"]
    org.csm = world.agents["lead3"]
    org.save()
    return org.csm


def test_bulk_load_writes_what_open_ticket_writes(world: Any, csm: Any) -> None:
    wanted = specs(world, 36)
    pages: list[tuple[int, str]] = []

    def heard(sender: Any, ticket: Ticket, reason: str, **kw: Any) -> None:
        pages.append((int(ticket.pk), reason))

    page_requested.connect(heard)
    try:
        one_by_one = [open_one(spec) for spec in wanted]
        paged_one_by_one = list(pages)
        pages.clear()
        # The load runs 20 minutes after the middle P0 arrived: it and the later ones page,
        # the earlier ones are beyond the chain's reach (READING.md §23).
        middle = paged_one_by_one[len(paged_one_by_one) // 2][0]
        now = wanted[one_by_one.index(middle)].received_at + timedelta(minutes=20)
        loaded = bulk.load(wanted, batch=7, now=now)
    finally:
        page_requested.disconnect(heard)

    assert len(loaded) == len(wanted) == len(set(loaded))
    assert min(loaded) > max(one_by_one)
    still = [(n, why) for n, why in paged_one_by_one if n >= middle]
    assert pages == [(loaded[one_by_one.index(n)], why) for n, why in still]
    assert len(paged_one_by_one) > len(still) > 0, "the phone line's P0 pages, or is too old"
    kinds: set[str] = set()
    for spec, a, b in zip(wanted, one_by_one, loaded, strict=True):
        expected, got = snapshot(a), snapshot(b)
        if spec.received_at < now - timedelta(minutes=30):
            expected = unpaged(expected)
        assert got == expected, a
        kinds |= {e["kind"] for e in got["timeline"]}
        assert all(expected[part] for part in ("timers", "outbox", "delivery"))
    assert {"created", "clock_started", "acknowledged", "page_requested"} <= kinds
    told = Notification.objects.filter(event="csm_p0_p1")
    assert told.count() == 2 * told.filter(ticket_id__in=loaded).count() > 0


def test_bulk_load_writes_the_csms_notices(world: Any, csm: Any) -> None:
    """Each loaded ticket's ``notify.csm_notice``, as a notification; a CSM without an address
    gets no email copies."""
    csm.user.email = ""
    csm.user.save()
    loaded = bulk.load(specs(world, 12), batch=5, now=timezone.now())
    wanted = []
    for ticket in Ticket.objects.filter(pk__in=loaded).select_related("organisation__csm"):
        notice = notify.ticket_csm_notice(ticket)
        if notice is not None:
            wanted.append((notice.agent.pk, ticket.pk, notice.event, notice.key, notice.title))
    assert wanted
    fields = ("agent", "ticket", "event", "key", "title")
    assert sorted(Notification.objects.values_list(*fields)) == sorted(wanted)
    assert not OutboxMessage.objects.filter(idempotency_key__startswith="notify:").exists()


def test_bulk_load_continues_the_numbering_and_reports_progress(world: Any) -> None:
    seen: list[int] = []
    first = bulk.load(specs(world, 5), batch=2, progress=seen.append, now=timezone.now())
    second = bulk.load(specs(world, 3), now=timezone.now())
    assert seen == [2, 4, 5]
    assert first + second == sorted(first + second)
    assert open_one(specs(world, 1)[0]) > max(second)
    assert Ticket.objects.count() == 9


def test_bulk_load_refuses_an_unknown_code(world: Any) -> None:
    bad = [*specs(world, 2), bulk.TicketSpec(**{**_fields(specs(world, 1)[0]), "channel": "fax"})]
    with pytest.raises(services.TicketError, match="fax"):
        bulk.load(bad, now=timezone.now())


def _fields(spec: bulk.TicketSpec) -> dict[str, Any]:
    return {name: getattr(spec, name) for name in bulk.TicketSpec.__slots__}


def test_a_failed_write_rolls_the_batch_back(world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tables are written on a second thread: its error reaches the caller, and the batch's
    transaction commits nothing."""
    real = bulk.insert_rows

    def failing(model: Any, rows: Any, **kw: Any) -> list[int]:
        if model is Job:
            raise RuntimeError("disk full")
        return real(model, rows, **kw)

    monkeypatch.setattr(bulk, "insert_rows", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        bulk.load(specs(world, 4), now=timezone.now())
    assert not Ticket.objects.exists()
    monkeypatch.undo()
    assert len(bulk.load(specs(world, 2), now=timezone.now())) == 2

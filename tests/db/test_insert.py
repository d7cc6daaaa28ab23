"""``soporte.db.insert``: rows stored as ``bulk_create`` would, keys back from the database."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from soporte.db.insert import insert, preparer
from soporte.jobs.models import Job, OutboxMessage
from soporte.tickets.models import EventKind, Ticket, TimelineEvent


def _ticket(world: Any) -> Ticket:
    ana = world.contacts["pro"]
    return Ticket(
        organisation=ana.organisation,
        requester=ana,
        subject="Máquina 12 sin conexión",
        channel="email",
        severity="P2",
        tier="T1",
        plan="pro",
        policy_version="test",
        opened_at=timezone.now(),
    )


def test_keys_come_back_and_related_keys_follow(world: Any) -> None:
    ticket = _ticket(world)
    events = [
        TimelineEvent(ticket=ticket, kind=EventKind.CREATED, data={"n": n}, at=ticket.opened_at)
        for n in range(3)
    ]  # built before the ticket has its key
    with CaptureQueriesContext(connection) as queries:
        insert(Ticket, [ticket], returning_ids=True)
        insert(TimelineEvent, events, returning_ids=True)
    assert len(queries) == 2
    assert ticket.pk is not None
    assert ticket._state.adding is False
    stored = Ticket.objects.get(pk=ticket.pk)
    assert (stored.subject, stored.organisation_id, stored.requester_id) == (
        "Máquina 12 sin conexión",
        world.orgs["pro"].pk,
        world.contacts["pro"].pk,
    )
    assert stored.updated_at is not None  # auto_now stamped
    ids = [e.pk for e in events]
    assert len(set(ids)) == 3
    assert all(e.ticket_id == ticket.pk for e in events)
    assert events[0].ticket is ticket  # the cached object is kept
    assert [e.data["n"] for e in TimelineEvent.objects.filter(pk__in=ids).order_by("pk")] == [
        0,
        1,
        2,
    ]


def test_given_keys_and_copy(world: Any) -> None:
    due = timezone.now() + timedelta(hours=1)
    jobs = [
        Job(pk=10_000 + n, kind="test.kind", key=f"k{n}", due_at=due, payload={"n": n})
        for n in range(5)
    ]
    insert(Job, jobs, copy=True)  # PostgreSQL: COPY; SQLite: one statement per row
    stored = {j.pk: j for j in Job.objects.filter(kind="test.kind")}
    assert sorted(stored) == [10_000 + n for n in range(5)]
    assert stored[10_003].payload == {"n": 3}
    assert stored[10_003].due_at == due
    assert stored[10_003].status == Job.Status.PENDING


def test_many_rows_returning_keys_in_several_statements(db: Any) -> None:
    messages = [
        OutboxMessage(transport="email", idempotency_key=f"m{n}", payload={"n": n})
        for n in range(5_000)
    ]  # 8 columns each: more parameters than one statement may carry
    insert(OutboxMessage, messages, returning_ids=True)
    by_key = dict(OutboxMessage.objects.values_list("idempotency_key", "pk"))
    assert all(by_key[m.idempotency_key] == m.pk for m in messages)


def test_refuses_mixed_or_doubled_keys(db: Any) -> None:
    due = timezone.now()
    with pytest.raises(ValueError, match="every instance a primary key, or none"):
        insert(Job, [Job(pk=1, kind="k", key="a", due_at=due), Job(kind="k", key="b", due_at=due)])
    with pytest.raises(ValueError, match="have their primary keys already"):
        insert(Job, [Job(pk=1, kind="k", key="a", due_at=due)], returning_ids=True)
    with pytest.raises(ValueError, match="COPY returns no ids"):
        insert(Job, [Job(kind="k", key="a", due_at=due)], returning_ids=True, copy=True)
    assert not Job.objects.exists()


@pytest.mark.parametrize("zone", ["UTC", "America/Mexico_City", "Asia/Kolkata"])
def test_the_short_road_for_values_gives_what_django_gives(db: Any, zone: str) -> None:
    tz = ZoneInfo(zone)
    fields = [
        Ticket._meta.get_field("opened_at"),
        Ticket._meta.get_field("organisation"),  # a UUID key
        Job._meta.get_field("payload"),
        TimelineEvent._meta.get_field("ticket"),
    ]
    values = [
        [
            datetime(2026, 3, 8, 1, 59, 59, 999_999, tzinfo=tz) + timedelta(minutes=37 * n)
            for n in range(200)
        ]
        + [datetime(2026, 11, 30, 9, 0, tzinfo=tz), None],
        [uuid4(), None],
        [{"a": [1, "ñ"]}, [], None],
        [1, 2**40, None],
    ]
    for field, samples in zip(fields, values, strict=True):
        prepare = preparer(field, connection)
        for value in samples:
            expected = field.get_db_prep_save(value, connection)
            got = value if prepare is None else prepare(value, connection)
            assert str(got) == str(expected), (field, value)
            assert type(got) is type(expected), (field, value)

"""``soporte.db.insert``: tuples stored as ``bulk_create`` would, keys back from the database."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, models, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from soporte.db.insert import FEW_ROWS, insert_rows, preparer
from soporte.jobs.models import Job, OutboxMessage
from soporte.tickets.models import EventKind, Ticket, TimelineEvent


def _row(obj: models.Model) -> dict[str, Any]:
    """``obj``'s values by field name, without the primary key."""
    return {
        f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key
    }


def _ticket_row(world: Any, opened_at: datetime) -> dict[str, Any]:
    ana = world.contacts["pro"]
    return _row(
        Ticket(
            organisation=ana.organisation,
            requester=ana,
            subject="Máquina 12 sin conexión",
            channel="email",
            severity="P2",
            tier="T1",
            plan="pro",
            policy_version="test",
            opened_at=opened_at,
            updated_at=opened_at,
        )
    )


def test_keys_come_back_and_a_few_rows_go_as_one_statement(world: Any) -> None:
    now = timezone.now()
    with CaptureQueriesContext(connection) as queries:
        [number] = insert_rows(Ticket, [_ticket_row(world, now)], returning_ids=True)
        events = [
            _row(TimelineEvent(ticket_id=number, kind=EventKind.CREATED, data={"n": n}, at=now))
            for n in range(3)
        ]
        assert insert_rows(TimelineEvent, events) == []
    assert len(queries) == 2  # the ticket; its three events in one multi-row statement
    assert not queries[1]["sql"].startswith("3 times")  # how Django logs an executemany
    stored = Ticket.objects.get(pk=number)
    assert (stored.subject, stored.organisation_id, stored.requester_id) == (
        "Máquina 12 sin conexión",
        world.orgs["pro"].pk,
        world.contacts["pro"].pk,
    )
    assert stored.updated_at == now
    written = TimelineEvent.objects.filter(ticket_id=number).order_by("pk")
    assert [e.data["n"] for e in written] == [0, 1, 2]


def test_many_rows_go_with_executemany_and_all_arrive(world: Any) -> None:
    now = timezone.now()
    [number] = insert_rows(Ticket, [_ticket_row(world, now)], returning_ids=True)
    events = [
        _row(TimelineEvent(ticket_id=number, kind=EventKind.CREATED, data={"n": n}, at=now))
        for n in range(FEW_ROWS + 1)
    ]
    with CaptureQueriesContext(connection) as queries:
        insert_rows(TimelineEvent, events)
    assert queries[0]["sql"].startswith(f"{FEW_ROWS + 1} times")
    written = TimelineEvent.objects.filter(ticket_id=number).order_by("pk")
    assert [e.data["n"] for e in written] == list(range(FEW_ROWS + 1))


def test_given_keys_and_copy(db: Any) -> None:
    due = timezone.now() + timedelta(hours=1)
    jobs = [
        _row(Job(kind="test.kind", key=f"k{n}", due_at=due, payload={"n": n}, created_at=due))
        for n in range(5)
    ]
    ids = [10_000 + n for n in range(5)]
    insert_rows(Job, jobs, ids=ids, copy=True)  # PostgreSQL: COPY; SQLite: a plain insert
    stored = {j.pk: j for j in Job.objects.filter(kind="test.kind")}
    assert sorted(stored) == ids
    assert stored[10_003].payload == {"n": 3}
    assert stored[10_003].due_at == due
    assert stored[10_003].status == Job.Status.PENDING


def test_many_rows_returning_keys_in_several_statements(db: Any) -> None:
    now = timezone.now()
    rows = [
        _row(
            OutboxMessage(
                transport="email", idempotency_key=f"m{n}", payload={"n": n}, created_at=now
            )
        )
        for n in range(5_000)
    ]  # 8 columns each: more parameters than one statement may carry
    ids = insert_rows(OutboxMessage, rows, returning_ids=True)
    by_key = dict(OutboxMessage.objects.values_list("idempotency_key", "pk"))
    assert ids == [by_key[f"m{n}"] for n in range(5_000)]


def test_rows_that_conflict_are_skipped_without_an_error(db: Any) -> None:
    """``skip_conflicts``: a row whose unique key is taken is left out, the one already there
    unchanged, the caller's transaction still usable (no savepoint needed), its key not
    returned."""
    due = timezone.now()
    [first] = insert_rows(
        Job, [_row(Job(kind="old", key="a", due_at=due, created_at=due))], returning_ids=True
    )
    rows = [_row(Job(kind="new", key=key, due_at=due, created_at=due)) for key in ("a", "b")]
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            ids = insert_rows(Job, rows, returning_ids=True, skip_conflicts=True)
        assert len(queries) == 1
        assert Job.objects.count() == 2  # the transaction goes on
    assert ids == [Job.objects.get(key="b").pk]
    kept = Job.objects.get(key="a")
    assert (kept.pk, kept.kind) == (first, "old")
    assert insert_rows(Job, rows, skip_conflicts=True) == []
    assert Job.objects.count() == 2


def test_refuses_rows_it_cannot_write_naming_what_is_wrong(db: Any) -> None:
    due = timezone.now()
    row = _row(Job(kind="k", key="a", due_at=due, created_at=due))
    with pytest.raises(ValueError, match="keys come back only from a plain insert"):
        insert_rows(Job, [row], ids=[1], returning_ids=True)
    with pytest.raises(ValueError, match="keys come back only from a plain insert"):
        insert_rows(Job, [row], returning_ids=True, copy=True)
    with pytest.raises(ValueError, match="COPY cannot skip"):
        insert_rows(Job, [row], copy=True, skip_conflicts=True)
    with pytest.raises(ValueError, match="1 rows but 2 ids"):
        insert_rows(Job, [row], ids=[1, 2])
    assert not Job.objects.exists()


def test_a_row_names_every_field_and_no_other(db: Any) -> None:
    """Rows are named: they go in the model's own column order whatever order they are written
    in, and a missing or unknown name is refused, naming it (the tuples they replaced were
    checked only for their length: two values swapped went in)."""
    due = timezone.now()
    row = _row(Job(kind="k", key="a", due_at=due, created_at=due, payload={"n": 1}))
    [pk] = insert_rows(Job, [dict(reversed(list(row.items())))], returning_ids=True)
    stored = Job.objects.get(pk=pk)
    assert (stored.kind, stored.key, stored.payload, stored.due_at) == ("k", "a", {"n": 1}, due)
    missing = {k: v for k, v in row.items() if k != "locked_by"}
    with pytest.raises(ValueError, match=r"^insert_rows: Job row: missing field 'locked_by'$"):
        insert_rows(Job, [missing])
    unknown = {**missing, "locked": "w1", "id": 3}
    with pytest.raises(
        ValueError,
        match=r"^insert_rows: Job row: unknown field 'id', unknown field 'locked', "
        r"missing field 'locked_by'$",
    ):
        insert_rows(Job, [row, unknown], ids=[7, 8])
    assert Job.objects.count() == 1


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

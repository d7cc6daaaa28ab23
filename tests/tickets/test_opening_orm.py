"""The fast path of opening a ticket (``tickets.opening``'s rows, written by ``soporte.db``)
writes what plain ORM ``create`` calls write for the same inputs, every row, every column:
``open_ticket`` for one ticket, ``bulk.load`` for many."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from opening_helpers import open_by_orm, open_one, snapshot, specs

from soporte.notify.models import Notification
from soporte.policy import default_policy
from soporte.tickets import bulk
from soporte.tickets.domain.imports import pages_on_import
from soporte.tickets.signals import page_requested

pytestmark = pytest.mark.django_db


@pytest.fixture
def csm(world: Any) -> Any:
    """The Enterprise organisation has a CSM, who hears of its P0 and P1 tickets."""
    org = world.orgs["enterprise"]
    org.csm = world.agents["lead3"]
    org.save()
    return org.csm


def test_open_ticket_writes_what_the_orm_writes(world: Any, csm: Any) -> None:
    wanted = specs(world, 24)
    now = wanted[-1].received_at + timedelta(hours=5)  # written later than received
    kinds: set[str] = set()
    for spec in wanted:
        expected = snapshot(open_by_orm(spec, now=now))
        got = snapshot(open_one(spec, now))
        assert got == expected, spec
        kinds |= {e["kind"] for e in got["timeline"]}
        assert all(got[part] for part in ("messages", "clocks", "timers", "outbox", "delivery"))
    assert {"created", "clock_started", "acknowledged", "page_requested"} <= kinds
    assert Notification.objects.filter(event="csm_p0_p1").exists()


def test_a_requester_without_an_address_gets_no_email(world: Any) -> None:
    ben = world.contacts["starter"]
    ben.user.email = ""
    ben.user.save()
    [spec] = [s for s in specs(world, 3) if s.requester.pk == ben.pk]
    now = spec.received_at
    expected, got = snapshot(open_by_orm(spec, now=now)), snapshot(open_one(spec, now))
    assert got == expected
    assert "ack:T" not in {m["idempotency_key"] for m in got["outbox"]}
    assert "outbox:ack:T" not in {j["key"] for j in got["delivery"]}


def test_bulk_load_writes_what_the_orm_writes(world: Any, csm: Any) -> None:
    """A load 20 minutes after the middle P0 arrived: it and the later ones page, the earlier
    ones are beyond the chain's reach and are written without a page (READING.md §23)."""
    wanted = specs(world, 36)
    p0s = [spec for spec in wanted if spec.severity == "P0"]
    now = p0s[len(p0s) // 2].received_at + timedelta(minutes=20)
    pages = [pages_on_import(default_policy(), received_at=s.received_at, now=now) for s in wanted]
    requested: list[int] = []

    def heard(sender: Any, ticket: Any, **kw: Any) -> None:
        requested.append(int(ticket.pk))

    page_requested.connect(heard)
    try:
        expected = [open_by_orm(s, now=now, pages=p) for s, p in zip(wanted, pages, strict=True)]
        by_orm, requested[:] = list(requested), []
        loaded = bulk.load(wanted, batch=7, now=now)
    finally:
        page_requested.disconnect(heard)

    assert min(loaded) > max(expected)
    assert requested == [loaded[expected.index(n)] for n in by_orm]
    old = [s for s, paged in zip(wanted, pages, strict=True) if s.severity == "P0" and not paged]
    assert requested, "the recent P0s page"
    assert old, "the old P0s do not"
    for spec, a, b in zip(wanted, expected, loaded, strict=True):
        assert snapshot(b) == snapshot(a), spec

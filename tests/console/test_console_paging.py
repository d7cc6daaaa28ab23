"""Queue pages read along the indexes (selectors.queue_page) give exactly the selector's order."""

from __future__ import annotations

from datetime import timedelta

import pytest
from console_helpers import open_ticket
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from soporte.tickets import services
from soporte.tickets.selectors import QueueFilter, queue, queue_page, queue_parts

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed(world):  # type: ignore[no-untyped-def]
    """Tickets at every tier and unresolved status, some without a running clock, some tied."""
    lead = world.agents["lead1"]
    tickets = []
    for n in range(24):
        ticket = open_ticket(
            world,
            plan=("starter", "pro", "enterprise")[n % 3],
            severity=("P1", "P2", "P3")[n % 3],
            channel=("email", "chat")[n % 2],
            ago=timedelta(hours=n % 7, minutes=n),
            now=timezone.now(),
        )
        if n % 4 == 0:  # replied: no running clock, pending
            services.reply(ticket=ticket, author=world.agents["t1"], body="Hola", at=timezone.now())
        if n % 5 == 1:
            services.escalate(ticket=ticket, actor=lead, reason="needs logs", at=timezone.now())
        if n % 7 == 2:
            services.change_status(ticket=ticket, status="open", actor=lead, at=timezone.now())
        if n % 6 == 3:
            services.assign(
                ticket=ticket, assignee=world.agents["t1"], actor=lead, at=timezone.now()
            )
        tickets.append(ticket)
    return tickets


CASES = [
    ("lead1", QueueFilter()),
    ("lead1", QueueFilter(tier="T1")),
    ("lead1", QueueFilter(tier="T2", severity="P2")),
    ("t1", QueueFilter(tier="T1")),
    ("t1", QueueFilter(mine=True)),
    ("t2", QueueFilter(tier="T1", status="pending")),
]


def test_every_page_matches_the_selector_order(world, mixed):  # type: ignore[no-untyped-def]
    for who, filters in CASES:
        user = world.agents[who].user
        expected = [t.pk for t in queue(user, filters)]
        assert expected or filters.severity or filters.status, (who, filters)
        for size in (1, 4, 7, 50):
            got: list[int] = []
            offset = 0
            while True:
                page = [t.pk for t in queue_page(user, filters, offset=offset, limit=size)]
                got += page
                if len(page) < size:
                    break
                offset += size
            assert got == expected, (who, filters, size)


def test_parts_split_by_tier_and_status_but_mine_only_by_status():  # type: ignore[no-untyped-def]
    assert len(queue_parts(QueueFilter())) == 9
    assert len(queue_parts(QueueFilter(tier="T2"))) == 3
    assert len(queue_parts(QueueFilter(mine=True))) == 3
    assert queue_parts(QueueFilter(tier="T1", status="open")) == [
        QueueFilter(tier="T1", status="open")
    ]


def test_a_page_reads_sort_keys_per_part_then_only_its_own_rows(world, mixed):  # type: ignore[no-untyped-def]
    user = world.agents["lead1"].user
    filters = QueueFilter()
    with CaptureQueriesContext(connection) as queries:
        page = queue_page(user, filters, offset=3, limit=5)

    assert [t.pk for t in page] == [t.pk for t in queue(user, filters)][3:8]
    tickets = [q["sql"] for q in queries.captured_queries if "tickets_ticket" in q["sql"]]
    full = [sql for sql in tickets if '"tickets_ticket"."subject"' in sql]
    assert len(full) == 1  # the page's rows, by primary key
    assert len(tickets) - 1 in (len(queue_parts(filters)), 2 * len(queue_parts(filters)))
    assert not any("COUNT(" in sql.upper() for sql in tickets)

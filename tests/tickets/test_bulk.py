"""``tickets.bulk.load``: numbering, progress, CSM notices, refusals and rollback (that it writes
what plain ORM calls would, row by row, is ``test_opening_orm``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from opening_helpers import START, open_one, specs

from soporte.jobs.models import Job, OutboxMessage
from soporte.notify import services as notify
from soporte.notify.models import Notification
from soporte.tickets import bulk, services
from soporte.tickets.models import Ticket

pytestmark = pytest.mark.django_db

LATER = START + timedelta(days=30)  # the loads run long after the tickets came: nothing pages


@pytest.fixture
def csm(world: Any) -> Any:
    """The Enterprise organisation has a CSM, who hears of its P0 and P1 tickets."""
    org = world.orgs["enterprise"]
    org.csm = world.agents["lead3"]
    org.save()
    return org.csm


def test_bulk_load_writes_the_csms_notices(world: Any, csm: Any) -> None:
    """Each loaded ticket's ``notify.csm_notice``, as a notification; a CSM without an address
    gets no email copies."""
    csm.user.email = ""
    csm.user.save()
    loaded = bulk.load(specs(world, 12), batch=5, now=LATER)
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
    first = bulk.load(specs(world, 5), batch=2, progress=seen.append, now=LATER)
    second = bulk.load(specs(world, 3), now=LATER)
    assert seen == [2, 4, 5]
    assert first + second == sorted(first + second)
    assert open_one(specs(world, 1)[0], LATER) > max(second)
    assert Ticket.objects.count() == 9


def test_bulk_load_refuses_an_unknown_code(world: Any) -> None:
    bad = [*specs(world, 2), bulk.TicketSpec(**{**_fields(specs(world, 1)[0]), "channel": "fax"})]
    with pytest.raises(services.TicketError, match="fax"):
        bulk.load(bad, now=LATER)


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
        bulk.load(specs(world, 4), now=LATER)
    assert not Ticket.objects.exists()
    monkeypatch.undo()
    assert len(bulk.load(specs(world, 2), now=LATER)) == 2

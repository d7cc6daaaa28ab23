"""Many new tickets at once, with exactly the rows ``services.open_ticket`` writes for each.

``load(specs)`` is for imports and benchmarks: for every spec it writes the ticket, the
customer's message, the timeline (created, clock started, acknowledged, page requested), the
SLA clocks with their warning and breach timers, the acknowledgement message and its outbox
email with the delivery job, and tells the CSM as ``open_ticket`` does. Every row comes from the
builder ``open_ticket`` uses (``tickets.opening``), so the rules live in one place; only the
writing differs: keys are reserved per batch and each table gets one multi-row insert per batch
(``soporte.db.insert.insert_rows``; PostgreSQL: ``COPY``), one transaction per batch, on a
second thread while this one builds the next table's rows.

Pages (READING.md §23): an import pages nobody for a ticket that arrived long ago. A P0
received within the page chain's reach of ``now`` (its longest step, 30 minutes by default)
requests its page as ``open_ticket`` would; an older one records no page request at all: its
rows are ``open_ticket``'s minus the ``page requested`` event.

Not supported (``open_ticket`` handles them one at a time): uploads and message keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from itertools import islice

from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction

from soporte.db.insert import insert_rows
from soporte.jobs.models import Job, OutboxMessage
from soporte.notify.models import Notification
from soporte.policy import UnknownCode, default_policy
from soporte.sla.models import Clock
from soporte.tickets import services
from soporte.tickets.domain.imports import pages_on_import
from soporte.tickets.models import Message, Ticket, TimelineEvent
from soporte.tickets.opening import PAGE_REASON, Opening, Row, TicketSpec

__all__ = ["DEFAULT_BATCH", "TicketSpec", "load"]

DEFAULT_BATCH = 5000
LOAD_CACHE_KIB = -64 * 1024
"""SQLite's ``cache_size`` during a load (negative: KiB)."""


def load(
    specs: Iterable[TicketSpec],
    *,
    batch: int = DEFAULT_BATCH,
    progress: Callable[[int], None] | None = None,
    now: datetime,
) -> list[int]:
    """Open a ticket for every spec, ``batch`` tickets per transaction; return their numbers.

    ``progress`` is called after each batch with the number of tickets loaded so far; ``now``
    is the load's time: it stamps the rows and decides which P0 tickets still page.
    """
    if batch < 1:
        raise ValueError("batch: must be at least 1")
    policy = default_policy()
    opening = Opening(policy, now=now)
    numbers: list[int] = []
    with _load_connection():
        for chunk in _chunks(specs, batch):
            with transaction.atomic():
                numbers += _load_batch(opening, chunk, now)
            if progress is not None:
                progress(len(numbers))
    return numbers


def _load_batch(opening: Opening, specs: Sequence[TicketSpec], now: datetime) -> list[int]:
    if any(spec.key for spec in specs):
        raise services.TicketError("key: bulk.load does not take message keys")
    policy = opening.policy
    pages = [pages_on_import(policy, received_at=s.received_at, now=now) for s in specs]
    try:
        batch = opening.batch(specs, pages=pages)
    except UnknownCode as exc:
        raise services.TicketError(str(exc)) from None
    ids = _Ids()
    numbers = ids.take(Ticket, len(specs))
    clock_ids = ids.take(Clock, sum(len(clocks) for clocks in batch.clock_values))
    # Step 2 reads the CSMs (and the count the requesters' users) before the writer shares
    # the connection.
    clocks = batch.clocks(numbers)
    outbox_ids = ids.take(OutboxMessage, batch.outbox_count())
    with _Writer() as write:  # each table written while the next one's rows are built
        write(Ticket, batch.tickets, numbers)
        write(Clock, clocks, clock_ids)
        rest = batch.rest(clock_ids)
        write(Notification, rest.notifications)
        write(Message, rest.messages)
        write(TimelineEvent, rest.events)
        write(OutboxMessage, rest.outbox, outbox_ids)
        write(Job, rest.timers + batch.deliveries(outbox_ids, rest.emails))
    batch.announce()
    for i, paged in enumerate(batch.pages):
        if paged:
            ticket = batch.ticket(i)
            services.send_page_request(ticket, PAGE_REASON, ticket.opened_at)
    return numbers


class _Writer:
    """Writes tables on a second thread while this one builds the next table's rows (SQLite
    and psycopg let go of the GIL while the database works), on this thread's connection and
    in its transaction: the connection is shared for the ``with`` block, which ends once every
    write is done (raising the first error) and this thread does not use the connection
    meanwhile."""

    def __enter__(self) -> Callable[..., None]:
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.connection.inc_thread_sharing()
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk-writer")
        self.writes: list[Future[list[int]]] = []
        return self.write

    def write(
        self, model: type[models.Model], rows: Sequence[Row], ids: Sequence[int] | None = None
    ) -> None:
        self.writes.append(
            self.pool.submit(insert_rows, model, rows, ids=ids, copy=True, on=self.connection)
        )

    def __exit__(self, *exc: object) -> None:
        try:
            for write in self.writes:
                write.result()
        finally:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.connection.dec_thread_sharing()


@contextmanager
def _load_connection() -> Iterator[None]:
    """SQLite: a page cache large enough for the tables' indexes while the load runs (64 MiB
    instead of 2 MiB; the indexes of a million tickets' rows outgrow the default at once)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = {LOAD_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {before}")


def _chunks(specs: Iterable[TicketSpec], size: int) -> Iterator[list[TicketSpec]]:
    it = iter(specs)
    while chunk := list(islice(it, size)):
        yield chunk


# ----------------------------------------------------------------------- ids and writes


class _Ids:
    """Primary keys reserved for rows about to be inserted.

    PostgreSQL: drawn from the table's sequence (safe beside concurrent writers). SQLite: the
    batch's IMMEDIATE transaction holds the write lock, so the next ids after the largest ever
    used (AUTOINCREMENT's ``sqlite_sequence``) are ours.
    """

    def take(self, model: type[models.Model], n: int) -> list[int]:
        if n == 0:
            return []
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, n],
                )
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(
                f'SELECT max(coalesce((SELECT max(id) FROM "{table}"), 0), '
                "coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
                [table],
            )
            first = int(cursor.fetchone()[0]) + 1
        return list(range(first, first + n))

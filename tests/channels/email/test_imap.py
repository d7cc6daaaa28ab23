"""The IMAP poll against a real Dovecot (``tests/channels/dovecot.py``): each message filed
once, its clocks started at its INTERNALDATE, then moved out of the inbox."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from dovecot import Dovecot, free_port, running_dovecot

from soporte.channels.email import handlers, imap
from soporte.channels.email.ingest import Outcome
from soporte.config.cli import main
from soporte.jobs import services as jobs
from soporte.jobs.models import Job
from soporte.jobs.worker import run_worker
from soporte.sla.models import Clock
from soporte.tickets.models import Message, Ticket

pytestmark = pytest.mark.slow

NOW = datetime(2026, 3, 4, 17, 0, tzinfo=UTC)
RECEIVED = datetime(2026, 3, 4, 16, 12, 5, tzinfo=UTC)
"""Our receipt (INTERNALDATE): a Tuesday afternoon in Mexico City, business hours."""


def mail(
    sender: str = "ana@pro.example",
    *,
    message_id: str = "<m1@pro.example>",
    body: str = "",
    automatic: bool = False,
) -> bytes:
    """A customer's message (``automatic``: an out-of-office, which files nothing)."""
    return (
        f"From: Ana <{sender}>\r\n"
        + ("Auto-Submitted: auto-replied\r\n" if automatic else "")
        + "To: soporte@trackmyvend.example\r\n"
        "Subject: La maquina 12 no reporta ventas\r\n"
        "Date: Sun, 01 Mar 2026 08:00:00 -0600\r\n"  # days before our receipt: not the clock
        f"Message-ID: {message_id}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        f"Desde ayer la maquina 12 no reporta ventas. {body}\r\n"
    ).encode()


def mailbox(server: Dovecot) -> imap.Mailbox:
    return imap.mailbox_from_url(server.url, processed="Procesados", rejected="Rechazados")


def test_a_poll_files_each_message_at_its_internaldate_and_moves_it(
    world: Any, dovecot: Dovecot
) -> None:
    uid = dovecot.deliver(mail(), internaldate=RECEIVED)

    polled = imap.poll_once(mailbox(dovecot), now=NOW)

    assert [(p.name, p.result.outcome) for p in polled] == [(f"INBOX/{uid}", Outcome.CREATED)]
    ticket = Ticket.objects.get(pk=polled[0].result.ticket)
    assert ticket.requester == world.contacts["pro"]
    assert {c.started_at for c in Clock.objects.filter(ticket=ticket)} == {RECEIVED}
    assert dovecot.messages("INBOX") == []
    assert dovecot.messages("Procesados") == [mail()]
    assert dovecot.messages("Rechazados") == []


def test_a_message_received_after_the_poll_began_starts_its_clocks_no_later_than_now(
    world: Any, dovecot: Dovecot
) -> None:
    dovecot.deliver(mail(), internaldate=NOW + timedelta(seconds=4))

    [polled] = imap.poll_once(mailbox(dovecot), now=NOW)

    assert {c.started_at for c in Clock.objects.filter(ticket_id=polled.result.ticket)} == {NOW}


def test_a_message_delivered_again_makes_no_second_ticket(world: Any, dovecot: Dovecot) -> None:
    dovecot.deliver(mail(), internaldate=RECEIVED)
    first = imap.poll_once(mailbox(dovecot), now=NOW)
    dovecot.deliver(mail(), internaldate=RECEIVED + timedelta(minutes=5))  # an MTA's retry
    dovecot.deliver(mail(), internaldate=RECEIVED + timedelta(minutes=9))

    again = imap.poll_once(mailbox(dovecot), now=NOW + timedelta(minutes=10))

    assert [p.result.outcome for p in again] == [Outcome.DUPLICATE, Outcome.DUPLICATE]
    assert {p.result.ticket for p in again} == {first[0].result.ticket}
    assert Ticket.objects.count() == 1
    assert Message.objects.filter(author_contact=world.contacts["pro"]).count() == 1
    assert len(dovecot.messages("Procesados")) == 3


def test_a_poll_that_dies_between_the_commit_and_the_move_files_nothing_twice(
    world: Any, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch
) -> None:
    dovecot.deliver(mail(), internaldate=RECEIVED)

    def crash(*args: object) -> None:
        raise SystemExit("killed after the commit, before the move")

    with monkeypatch.context() as patch:
        patch.setattr(imap, "_move", crash)
        with pytest.raises(SystemExit):
            imap.poll_once(mailbox(dovecot), now=NOW)
    assert Ticket.objects.count() == 1  # committed
    assert dovecot.messages("INBOX") == [mail()]  # not moved: the next poll sees it again

    again = imap.poll_once(mailbox(dovecot), now=NOW + timedelta(seconds=30))

    assert [p.result.outcome for p in again] == [Outcome.DUPLICATE]
    assert Ticket.objects.count() == 1
    assert Message.objects.filter(author_contact=world.contacts["pro"]).count() == 1
    assert dovecot.messages("INBOX") == []
    assert dovecot.messages("Procesados") == [mail()]


def test_ignored_messages_are_handled_and_rejected_ones_kept_in_their_folder(
    world: Any, dovecot: Dovecot
) -> None:
    stranger = mail(
        "nadie@desconocido.example", message_id="<s1@desconocido.example>", automatic=True
    )
    huge = mail(message_id="<huge@pro.example>", body="x" * (41 * 2**20))
    dovecot.deliver(stranger, internaldate=RECEIVED)
    dovecot.deliver(huge, internaldate=RECEIVED)

    polled = imap.poll_once(mailbox(dovecot), now=NOW)

    assert [p.result.outcome for p in polled] == [Outcome.IGNORED, Outcome.REJECTED]
    assert "limit" in str(polled[1].result.reason)
    assert dovecot.messages("INBOX") == []
    assert dovecot.messages("Procesados") == [stranger]
    assert [len(m) for m in dovecot.messages("Rechazados")] == [len(huge)]
    assert imap.poll_once(mailbox(dovecot), now=NOW) == []  # never retried


def test_the_loop_survives_the_server_going_away(world: Any, dovecot: Dovecot) -> None:
    """The server restarts under a polling loop: the loop logs, backs off, reconnects and
    files what arrived meanwhile."""
    stop = threading.Event()
    filed: list[imap.Polled] = []
    later = mail(message_id="<m2@pro.example>")

    def report(polled: imap.Polled) -> None:
        filed.append(polled)
        if len(filed) == 1:
            dovecot.stop()  # the connection the loop holds drops
            dovecot.start()
            dovecot.deliver(later, internaldate=RECEIVED + timedelta(minutes=1))
        else:
            stop.set()

    dovecot.deliver(mail(), internaldate=RECEIVED)
    timer = threading.Timer(30, stop.set)  # a bound on a broken loop, not a timing assertion
    timer.start()
    try:
        imap.poll_forever(mailbox(dovecot), clock=lambda: NOW, every=0.05, stop=stop, report=report)
    finally:
        timer.cancel()

    assert [p.result.outcome for p in filed] == [Outcome.CREATED, Outcome.CREATED]
    assert Ticket.objects.count() == 2
    assert dovecot.messages("INBOX") == []


def test_the_periodic_job_polls_and_schedules_exactly_one_next_poll(
    world: Any, dovecot: Dovecot, settings: Any
) -> None:
    settings.SOPORTE_IMAP_URL = dovecot.url
    settings.SOPORTE_IMAP_POLL_SECONDS = 30
    dovecot.deliver(mail(), internaldate=RECEIVED)

    first = handlers.ensure_polling(now=NOW)
    assert handlers.ensure_polling(now=NOW) == first  # a second worker starting: still one
    assert jobs.run_due(worker="w1", now=NOW) == 1

    assert Ticket.objects.count() == 1
    pending = Job.objects.filter(kind=handlers.POLL, status=Job.Status.PENDING)
    assert [(j.key, j.due_at) for j in pending] == [("mail.poll:2", NOW + timedelta(seconds=30))]
    assert handlers.ensure_polling(now=NOW + timedelta(seconds=1)) == pending.get()
    jobs.run_due(worker="w1", now=NOW + timedelta(seconds=1))  # the acknowledgement, no poll
    assert [j.key for j in pending] == ["mail.poll:2"]

    assert jobs.run_due(worker="w1", now=NOW + timedelta(seconds=30)) == 1
    assert [j.key for j in Job.objects.filter(kind=handlers.POLL, status=Job.Status.PENDING)] == [
        "mail.poll:3"
    ]


def test_a_poll_that_fails_for_good_still_schedules_the_next_one(db: Any, settings: Any) -> None:
    settings.SOPORTE_IMAP_URL = f"imap://u:p@127.0.0.1:{free_port()}/INBOX"  # nobody listens
    first = handlers.ensure_polling(now=NOW)
    assert first is not None
    at = NOW
    for _ in range(first.max_attempts):
        jobs.run_due(worker="w1", now=at)
        polls = Job.objects.filter(kind=handlers.POLL)
        assert polls.filter(status=Job.Status.PENDING).count() == 1  # retried, or the next one
        at += jobs.MAX_BACKOFF * 2

    first.refresh_from_db()
    assert first.status == Job.Status.FAILED
    assert "ConnectionRefusedError" in first.last_error
    [following] = Job.objects.filter(kind=handlers.POLL, status=Job.Status.PENDING)
    assert following.key == "mail.poll:2"


def test_the_worker_starting_schedules_the_poll_and_runs_it(
    transactional_db: Any, world: Any, dovecot: Dovecot, settings: Any
) -> None:
    """What ``soporte serve``'s embedded worker does when SOPORTE_IMAP_URL is set. The worker
    loop reads the real clock (it is an edge): nothing here depends on what it says. It closes
    its connections when it stops, hence a test without a wrapping transaction."""
    settings.SOPORTE_IMAP_URL = dovecot.url
    dovecot.deliver(mail(), internaldate=RECEIVED)

    run_worker(name="embedded-test", stop_event=threading.Event(), once=True)

    ticket = Ticket.objects.get()
    assert {c.started_at for c in Clock.objects.filter(ticket=ticket)} == {RECEIVED}
    polls = Job.objects.filter(kind=handlers.POLL).order_by("id")
    assert [(j.key, j.status) for j in polls] == [
        ("mail.poll:1", Job.Status.DONE),
        ("mail.poll:2", Job.Status.PENDING),
    ]


def test_without_move_a_message_is_copied_then_expunged(world: Any) -> None:
    no_move = "imap_capability = IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE UIDPLUS\n"
    with running_dovecot(extra=no_move) as server:
        with server.client() as client:
            assert not client.has_capability("MOVE")
        server.deliver(mail(), internaldate=RECEIVED)

        polled = imap.poll_once(mailbox(server), now=NOW)

        assert [p.result.outcome for p in polled] == [Outcome.CREATED]
        assert server.messages("INBOX") == []
        assert server.messages("Procesados") == [mail()]


def test_without_a_mailbox_no_poll_is_scheduled(db: Any, settings: Any) -> None:
    settings.SOPORTE_IMAP_URL = ""
    assert handlers.ensure_polling(now=NOW) is None
    assert not Job.objects.filter(kind=handlers.POLL).exists()


def test_soporte_mail_poll_once_prints_one_json_line_per_message(
    world: Any, dovecot: Dovecot, settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.SOPORTE_IMAP_URL = dovecot.url
    dovecot.deliver(mail(), internaldate=RECEIVED)
    dovecot.deliver(mail("nadie@desconocido.example", message_id="<s@x.example>", automatic=True))

    assert main(["mail", "poll", "--once", "--json"]) == 0

    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(line["outcome"], line["message_id"], line["from"]) for line in lines] == [
        ("created", "<m1@pro.example>", "ana@pro.example"),
        ("ignored", "<s@x.example>", "nadie@desconocido.example"),
    ]
    assert lines[0]["ticket"] == Ticket.objects.get().pk


def test_soporte_mail_poll_says_when_the_mailbox_cannot_be_reached(
    db: Any, dovecot: Dovecot, settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.SOPORTE_IMAP_URL = dovecot.url.replace(":s3cret", ":wrong")
    assert main(["mail", "poll", "--once"]) == 3
    assert f"soporte: cannot poll imap://127.0.0.1:{dovecot.port}/INBOX" in capsys.readouterr().err

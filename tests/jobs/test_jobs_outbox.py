"""The outbox: email delivered once through Django's locmem backend, retried, marked failed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from soporte.jobs import outbox, services
from soporte.jobs.models import Job, OutboxMessage

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
FLAKY: dict[str, int] = {"failures_left": 0, "calls": 0}


@outbox.transport("test-flaky")
def _flaky(message: OutboxMessage) -> None:
    FLAKY["calls"] += 1
    if FLAKY["failures_left"]:
        FLAKY["failures_left"] -= 1
        raise ConnectionError("provider answered 500")


def _run_all(worker: str = "w") -> int:
    """Run every job that becomes due, moving the clock to each due time."""
    ran = 0
    for _ in range(50):
        upcoming = services.next_due_at()
        if upcoming is None:
            break
        ran += services.run_due(worker=worker, now=max(upcoming, T0))
    return ran


def test_an_email_is_sent_once_with_a_stable_message_id() -> None:
    message = outbox.enqueue_email(
        key="notify:breach:42",
        to=["lead@trackmyvend.example"],
        subject="Ticket 42 breached",
        body="Ticket 42 breached its first-response target.",
        html="<p>Ticket 42 breached</p>",
        headers={"X-Soporte-Ticket": "42"},
        due_at=T0,
    )
    job = Job.objects.get()
    assert (job.kind, job.key) == ("outbox.deliver", "outbox:notify:breach:42")
    assert mail.outbox == []  # nothing leaves before the worker runs

    assert services.run_due(worker="w", now=job.due_at) == 1
    assert services.run_due(worker="w", now=job.due_at + timedelta(hours=1)) == 0

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["lead@trackmyvend.example"]
    assert sent.subject == "Ticket 42 breached"
    assert sent.body == "Ticket 42 breached its first-response target."
    assert sent.alternatives[0] == ("<p>Ticket 42 breached</p>", "text/html")  # type: ignore[attr-defined]
    assert sent.extra_headers["X-Soporte-Ticket"] == "42"
    assert sent.extra_headers["Message-ID"] == outbox.message_id("notify:breach:42")
    assert sent.message()["Message-ID"] == outbox.message_id("notify:breach:42")
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("sent", 1, "")
    assert message.sent_at == job.due_at
    assert Job.objects.get().status == Job.Status.DONE


def test_a_messages_delivery_job_is_keyed_by_its_idempotency_key() -> None:
    assert outbox.delivery(7, "ack:41", due_at=T0) == (
        "outbox.deliver",
        "outbox:ack:41",
        {"message": 7, "idempotency_key": "ack:41"},
        T0,
    )
    # Row builders write ``(*delivery, *the rest)``: its fields are the Job's first columns.
    columns = [f.attname for f in Job._meta.concrete_fields if not f.primary_key]
    assert list(outbox.Delivery._fields) == columns[:4]


def test_delivery_job_is_the_delivery_due_now_unless_told() -> None:
    message = OutboxMessage(pk=7, idempotency_key="ack:41")
    job = outbox.delivery_job(message, due_at=T0)
    assert (job.pk, job.kind, job.key, job.payload, job.due_at) == (
        None,
        *outbox.delivery(7, "ack:41", due_at=T0),
    )


def test_enqueue_schedules_the_messages_delivery() -> None:
    message = outbox.enqueue_email(
        key="ack:41", to=["a@b.example"], subject="s", body="b", due_at=T0
    )
    job = Job.objects.get()
    assert (job.kind, job.key, job.payload) == outbox.delivery(
        message.pk, "ack:41", due_at=job.due_at
    )[:3]


def test_message_ids_are_stable_per_key_and_distinct_between_keys() -> None:
    first = outbox.message_id("notify:1")
    assert first == outbox.message_id("notify:1")
    assert first != outbox.message_id("notify:2")
    assert first.startswith("<")
    assert first.endswith("@localhost>")


def test_enqueueing_the_same_key_again_sends_nothing_more() -> None:
    first = outbox.enqueue_email(key="k", to=["a@example.com"], subject="One", body="1", due_at=T0)
    _run_all()
    again = outbox.enqueue_email(key="k", to=["a@example.com"], subject="Two", body="2", due_at=T0)
    _run_all()

    assert again.pk == first.pk
    assert OutboxMessage.objects.count() == 1
    assert Job.objects.count() == 1
    assert [m.subject for m in mail.outbox] == ["One"]


def test_a_new_message_is_two_statements_inside_the_callers_transaction() -> None:
    """The message and its delivery job, each one INSERT that skips a taken key: no read
    first and no savepoint (the webhooks enqueue inside their own transaction, and on
    PostgreSQL every statement is a round trip). Pinned so it cannot silently regrow."""
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        message = outbox.enqueue(transport="test-flaky", key="k:1", payload={"a": 1}, due_at=T0)
    assert [q["sql"].split()[0] for q in queries] == ["INSERT", "INSERT"]
    stored = OutboxMessage.objects.get()
    assert (message.pk, message.payload, message.status) == (stored.pk, {"a": 1}, "pending")
    assert message.created_at == stored.created_at
    assert Job.objects.get().key == outbox.job_key("k:1")


def test_the_message_rolls_back_with_the_callers_transaction() -> None:
    def enqueue_then_fail() -> None:
        with transaction.atomic():
            outbox.enqueue_email(key="k", to=["a@example.com"], subject="Hi", body="", due_at=T0)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        enqueue_then_fail()

    assert not OutboxMessage.objects.exists()
    assert not Job.objects.exists()
    _run_all()
    assert mail.outbox == []


def test_a_failing_transport_is_retried_with_backoff_then_sends_once() -> None:
    FLAKY.update(failures_left=2, calls=0)
    message = outbox.enqueue(
        transport="test-flaky", key="page:1", payload={"summary": "P0"}, due_at=T0
    )

    services.run_due(worker="w", now=T0 + timedelta(seconds=1))
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.last_error == "ConnectionError: provider answered 500"
    job = Job.objects.get()
    assert job.status == Job.Status.PENDING
    assert job.due_at >= T0 + timedelta(seconds=3)

    _run_all()

    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("sent", 3, "")
    assert FLAKY["calls"] == 3
    assert Job.objects.get().status == Job.Status.DONE


def test_a_message_that_never_goes_through_is_marked_failed() -> None:
    FLAKY.update(failures_left=100, calls=0)
    message = outbox.enqueue(transport="test-flaky", key="page:2", payload={}, due_at=T0)
    Job.objects.update(max_attempts=3)

    _run_all()

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 3)
    assert "provider answered 500" in message.last_error
    assert Job.objects.get().status == Job.Status.FAILED
    assert FLAKY["calls"] == 3


def test_a_message_already_sent_is_not_sent_again_when_its_job_reruns() -> None:
    """A worker killed after the send and before the completion: the job reruns, the message
    row says sent, nothing leaves twice (the send itself is at least once; see docs/jobs.md)."""
    outbox.enqueue_email(key="k", to=["a@example.com"], subject="Once", body="", due_at=T0)
    _run_all()
    Job.objects.update(status=Job.Status.PENDING, due_at=T0)  # as if the completion was lost

    _run_all()

    assert len(mail.outbox) == 1


def test_an_unknown_transport_is_retried_with_a_clear_error() -> None:
    message = outbox.enqueue(transport="carrier-pigeon", key="k", payload={}, due_at=T0)
    services.run_due(worker="w", now=T0 + timedelta(seconds=1))

    message.refresh_from_db()
    assert "no transport 'carrier-pigeon'" in message.last_error
    assert "email" in message.last_error


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"to": "a@example.com"}, "to"),
        ({"to": []}, "to"),
        ({"to": ["not-an-address"]}, "to"),
        ({"subject": " "}, "subject"),
    ],
)
def test_bad_emails_are_refused_naming_the_field(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {"key": "k", "to": ["a@example.com"], "subject": "S", "body": "B"}
    args.update(kwargs)
    with pytest.raises(ValueError, match=f"^{field}: "):
        outbox.enqueue_email(**args, due_at=T0)  # type: ignore[arg-type]
    assert not OutboxMessage.objects.exists()


def test_a_send_whose_claim_was_taken_over_is_still_recorded_and_not_repeated() -> None:
    outbox.enqueue_email(key="k1", to=["a@b.example"], subject="S", body="B", due_at=T0)
    due = Job.objects.get().due_at
    lease = timedelta(seconds=60)
    [slow] = services.claim_due(worker="slow", now=due, lease=lease)
    [fast] = services.claim_due(worker="fast", now=due + timedelta(seconds=61), lease=lease)

    # The slow worker sends (its clock says its claim is fresh) but may not complete the job.
    assert services.run_claimed(slow, worker="slow", now=due) is services.Outcome.SKIPPED
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT
    # The new owner finds the message sent and does not send it again.
    assert services.run_claimed(fast, worker="fast", now=due + timedelta(seconds=61)) is (
        services.Outcome.DONE
    )
    assert len(mail.outbox) == 1
    assert Job.objects.get().status == Job.Status.DONE


def test_a_fresh_claim_runs_without_reading_its_job_again_and_commits_once() -> None:
    outbox.enqueue_email(key="k1", to=["a@b.example"], subject="S", body="B", due_at=T0)
    due = Job.objects.get().due_at
    [claim] = services.claim_due(worker="w", now=due)
    with CaptureQueriesContext(connection) as queries:
        assert services.run_claimed(claim, worker="w", now=due) is services.Outcome.DONE
    statements = [q["sql"].lstrip().split()[0].upper() for q in queries.captured_queries]
    reads_of_jobs = [q["sql"] for q in queries.captured_queries if 'FROM "jobs_job"' in q["sql"]]
    assert reads_of_jobs == []
    assert statements.count("SELECT") == 1  # the message
    assert statements.count("UPDATE") == 2  # the message sent, the job done: one transaction
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == (OutboxMessage.Status.SENT, 1)
    assert Job.objects.get().status == Job.Status.DONE


def test_a_stale_claim_reads_its_job_again_and_skips_when_it_lost_it() -> None:
    outbox.enqueue_email(key="k1", to=["a@b.example"], subject="S", body="B", due_at=T0)
    due = Job.objects.get().due_at
    lease = timedelta(seconds=60)
    [slow] = services.claim_due(worker="slow", now=due, lease=lease)
    services.claim_due(worker="fast", now=due + timedelta(seconds=61), lease=lease)

    # Past half its lease the claim is checked first: lost, so nothing is sent.
    later = due + timedelta(seconds=31)
    assert services.run_claimed(slow, worker="slow", now=later) is services.Outcome.SKIPPED
    assert mail.outbox == []
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.PENDING


class CountingBackend(locmem.EmailBackend):
    """Django's in-memory backend, counting the connections opened and closed."""

    opened = 0
    closed = 0
    failures = 0  # sends to refuse, as a dropped connection would

    def send_messages(self, messages: Any) -> int:
        if type(self).failures:
            type(self).failures -= 1
            raise ConnectionError("connection unexpectedly closed")
        return int(super().send_messages(messages))

    def open(self) -> bool:
        type(self).opened += 1
        return True

    def close(self) -> None:
        type(self).closed += 1


def test_a_batch_sends_its_emails_over_one_connection(settings: Any) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.CountingBackend"
    CountingBackend.opened = CountingBackend.closed = 0
    for n in range(3):
        outbox.enqueue_email(key=f"k{n}", to=["a@b.example"], subject=f"S{n}", body="B", due_at=T0)
    due = Job.objects.latest("due_at").due_at

    assert services.run_due(worker="w", now=due) == 3
    assert [m.subject for m in mail.outbox] == ["S0", "S1", "S2"]
    assert (CountingBackend.opened, CountingBackend.closed) == (1, 1)

    assert services.run_due(worker="w", now=due) == 0  # a batch with no email opens nothing
    assert (CountingBackend.opened, CountingBackend.closed) == (1, 1)


def test_a_send_that_fails_drops_the_connection_and_the_rest_of_the_batch_goes_on(
    settings: Any,
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.CountingBackend"
    CountingBackend.opened = CountingBackend.closed = 0
    CountingBackend.failures = 1
    for n in range(2):
        outbox.enqueue_email(key=f"k{n}", to=["a@b.example"], subject=f"S{n}", body="B", due_at=T0)
    due = Job.objects.latest("due_at").due_at

    assert services.run_due(worker="w", now=due) == 2
    assert [m.subject for m in mail.outbox] == ["S1"]  # S0 failed, S1 went on a new connection
    assert (CountingBackend.opened, CountingBackend.closed) == (2, 2)
    assert Job.objects.get(key="outbox:k0").status == Job.Status.PENDING  # retried later
    assert (
        "connection unexpectedly closed"
        in OutboxMessage.objects.get(idempotency_key="k0").last_error
    )

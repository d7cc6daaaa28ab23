"""``POST /hooks/slack``: the signature before anything, url_verification, retries of one
event, and answers only after commit (503 while the database is down, so Slack retries)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from django.db import OperationalError, connection
from fake_slack import FakeSlack
from slack_helpers import SECRET, TUESDAY, Worker, deliver, envelope, message

from soporte.jobs.models import Job
from soporte.tickets.models import Message, Ticket

pytestmark = pytest.mark.django_db


def written() -> tuple[int, int, int]:
    return Job.objects.count(), Ticket.objects.count(), Message.objects.count()


def test_without_a_signing_secret_the_hook_does_not_exist(settings: Any) -> None:
    settings.SOPORTE_SLACK_SIGNING_SECRET = ""
    assert deliver(envelope(message())).status_code == 404
    assert written() == (0, 0, 0)


@pytest.mark.parametrize(
    "how",
    [
        {"secret": "another-secret"},
        {"signature": ""},
        {"signature": "v0=" + "0" * 64},
        {"signed_at": TUESDAY - timedelta(seconds=301)},  # stale: a replay
        {"signed_at": TUESDAY + timedelta(seconds=301)},
    ],
)
def test_a_wrong_missing_or_stale_signature_is_401_and_writes_nothing(
    fake_slack: FakeSlack, how: dict[str, Any]
) -> None:
    response = deliver(envelope(message()), **how)

    assert response.status_code == 401
    assert "X-Slack-Signature" in response.json()["detail"]
    assert written() == (0, 0, 0)


def test_a_signature_five_minutes_old_is_still_good(fake_slack: FakeSlack) -> None:
    response = deliver(envelope(message()), signed_at=TUESDAY - timedelta(seconds=300))
    assert (response.status_code, response.json()) == (200, {"status": "queued"})


def test_the_signature_is_over_the_raw_body(fake_slack: FakeSlack) -> None:
    body = envelope(message())
    stamp = str(int(TUESDAY.timestamp()))
    from soporte.channels.slack.domain.signing import sign

    signature = sign(secret=SECRET, raw_body=body, timestamp=stamp)
    response = deliver(body.replace(b'","', b'", "', 1), signature=signature)

    assert response.status_code == 401


def test_url_verification_answers_the_challenge(fake_slack: FakeSlack) -> None:
    body = (
        b'{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2r","type":"url_verification"}'
    )
    response = deliver(body)

    assert (response.status_code, response.json()) == (200, {"challenge": "3eZbrw1aBm2r"})
    assert written() == (0, 0, 0)


def test_a_signed_body_that_is_no_envelope_is_400(fake_slack: FakeSlack) -> None:
    response = deliver(b'{"type":"event_callback","team_id":"T111"}')
    assert response.status_code == 400
    assert "event_id" in response.json()["detail"]


def test_slacks_retries_of_an_event_file_one_message(
    fake_slack: FakeSlack, worker: Worker, world: Any
) -> None:
    body = envelope(message())

    answers = [deliver(body, at=TUESDAY + timedelta(seconds=n), retry=n) for n in range(4)]
    worker.run()

    assert [a.status_code for a in answers] == [200] * 4
    assert [a.json()["status"] for a in answers] == ["queued"] + ["duplicate"] * 3
    assert Job.objects.filter(kind="slack.event").count() == 1
    assert Ticket.objects.count() == 1
    assert Message.objects.filter(provider_id=message()["ts"]).count() == 1


def test_an_event_and_each_retry_cost_the_hook_one_statement(
    fake_slack: FakeSlack, django_assert_num_queries: Any
) -> None:
    """The hook answers within Slack's 3 s: storing the event is one insert that skips an
    event id already stored (no read first, no transaction of its own), pinned."""
    body = envelope(message())
    for n, status in enumerate(["queued", "duplicate"]):
        with django_assert_num_queries(1):
            answer = deliver(body, at=TUESDAY + timedelta(seconds=n), retry=n)
        assert answer.json()["status"] == status
    assert Job.objects.filter(kind="slack.event").count() == 1


def test_the_same_message_under_two_event_ids_is_filed_once(
    fake_slack: FakeSlack, worker: Worker, world: Any
) -> None:
    deliver(envelope(message(), event_id="Ev1"))
    deliver(envelope(message(), event_id="Ev2"))
    worker.run()

    assert Ticket.objects.count() == 1
    assert Message.objects.filter(provider_id=message()["ts"]).count() == 1


@contextmanager
def database_down() -> Iterator[None]:
    def refuse(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        raise OperationalError("could not connect to server: Connection refused")

    with connection.execute_wrapper(refuse):
        yield


def test_while_the_database_is_down_the_hook_answers_503_then_takes_the_retry(
    fake_slack: FakeSlack, worker: Worker, world: Any
) -> None:
    body = envelope(message())
    with database_down():
        down = deliver(body)
    retried = deliver(body, at=TUESDAY + timedelta(minutes=1), retry=1)
    worker.run(minutes=1)

    assert down.status_code == 503
    assert retried.status_code == 200
    assert Ticket.objects.count() == 1

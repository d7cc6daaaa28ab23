"""The Monday digest: due Monday 09:00 Mexico City for the week that ended, one email per lead,
founder and CTO in their language, exactly once, and the next week's scheduled."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from feedback.review_factory import executives, survey
from soporte.accounts.models import Agent
from soporte.feedback import digest
from soporte.feedback.domain.weeks import Week
from soporte.jobs import services as jobs
from soporte.jobs.models import Job, OutboxMessage

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("America/Mexico_City")
W49 = Week(2026, 49)
DUE = datetime(2026, 12, 7, 9, 0, tzinfo=TZ)
IN_W49 = datetime(2026, 12, 2, 12, 0, tzinfo=TZ)


def people(world: Any) -> dict[str, Any]:
    team = executives(world)
    team["cto"].locale = "en"
    team["cto"].save(update_fields=["locale"])
    gone = world.agents["lead3"].user
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    return team


def run_until(now: datetime) -> int:
    """Run every job due by ``now`` (the outbox deliveries the digest queues, too)."""
    ran = 0
    while step := jobs.run_due(worker="test", now=now):
        ran += step
    return ran


def digests() -> list[Any]:
    return [m for m in mail.outbox if "2026-W49" in m.subject]


def test_the_digest_goes_once_to_each_lead_founder_and_cto_in_their_language(
    world: Any,
) -> None:
    team = people(world)
    survey(world, answer="up", answered_at=IN_W49, opened=IN_W49 - timedelta(hours=3))
    survey(
        world,
        answer="neutral",
        comment="Me hicieron esperar",
        answered_at=IN_W49,
        opened=IN_W49 - timedelta(hours=3),
        plan="starter",
        first_response="missed",
    )
    survey(world, answer="", opened=IN_W49 - timedelta(hours=3))
    job = digest.schedule(W49)
    assert (job.key, job.due_at) == ("feedback.digest:2026-W49", DUE)
    run_until(DUE - timedelta(seconds=1))
    assert digests() == []  # not before Monday 09:00
    run_until(DUE)
    sent = {m.to[0]: m for m in digests()}
    assert set(sent) == {
        world.agents["lead1"].email,
        world.agents["lead2"].email,
        team["founder"].email,
        team["cto"].email,
    }  # not the admin, not an inactive lead
    english = sent[team["cto"].email]
    assert english.subject == "Weekly support review 2026-W49: 1 answer below 👍"
    body = english.body
    assert "👍 1 · 😐 1 · 👎 0" in body
    assert "Response rate: 67 % (2/3)" in body
    assert "CSAT (👍 / answers): 50 % (1/2)" in body
    assert "Starter: 0 % (0/1)" in body
    assert "Pro: 100 % (1/1)" in body
    assert "T1: 50 % (1/2)" in body
    assert "SLA first response met: 67 % (2/3)" in body
    assert "Me hicieron esperar" in body
    assert "/console/review/2026-W49" in body
    html = english.alternatives[0][0]
    assert '<html lang="en">' in html
    assert "Me hicieron esperar" in html
    assert '<html lang="es">' in sent[team["founder"].email].alternatives[0][0]


def test_the_digest_is_sent_exactly_once_even_if_its_job_runs_twice(world: Any) -> None:
    people(world)
    survey(world, answer="down", answered_at=IN_W49, opened=IN_W49 - timedelta(hours=3))
    digest.schedule(W49)
    run_until(DUE)
    first = len(digests())
    assert first == 4
    job = Job.objects.get(key="feedback.digest:2026-W49")
    digest.run(job, now=DUE + timedelta(minutes=5))  # a second run of the same week's job
    digest.schedule(W49)  # and a second scheduling: the done job stays done
    run_until(DUE + timedelta(minutes=10))
    assert len(digests()) == first
    assert OutboxMessage.objects.filter(idempotency_key__startswith="digest:2026-W49:").count() == 4


@pytest.mark.parametrize(
    ("week", "next_due"),
    [
        (W49, datetime(2026, 12, 14, 9, 0, tzinfo=TZ)),
        (Week(2026, 52), datetime(2027, 1, 4, 9, 0, tzinfo=TZ)),  # W53 of 2026, across the year
        (Week(2026, 53), datetime(2027, 1, 11, 9, 0, tzinfo=TZ)),
    ],
)
def test_running_a_digest_schedules_the_next_monday_at_nine(
    world: Any, week: Week, next_due: datetime
) -> None:
    job = digest.schedule(week)
    run_until(job.due_at)
    assert Job.objects.get(key=job.key).status == Job.Status.DONE
    pending = Job.objects.get(kind=digest.DIGEST, status=Job.Status.PENDING)
    assert pending.due_at == next_due
    assert pending.payload == {"week": str(week.shifted(1))}


def test_a_starting_worker_keeps_exactly_one_digest_pending(world: Any) -> None:
    sunday = datetime(2026, 12, 6, 20, 0, tzinfo=TZ)
    leads = Agent.objects.filter(
        pk__in=list(Agent.objects.filter(role="lead").values_list("pk", flat=True))
    )
    leads.update(role="agent")
    assert digest.ensure_scheduled(now=sunday) is None  # nobody to send it to: no chain yet
    leads.update(role="lead")
    first = digest.ensure_scheduled(now=sunday)
    assert first is not None
    assert (first.payload, first.due_at) == ({"week": "2026-W49"}, DUE)
    assert digest.ensure_scheduled(now=sunday + timedelta(hours=1)) == first
    assert Job.objects.filter(kind=digest.DIGEST).count() == 1
    monday_noon = datetime(2026, 12, 7, 12, 0, tzinfo=TZ)
    Job.objects.filter(pk=first.pk).update(status=Job.Status.FAILED)
    again = digest.ensure_scheduled(now=monday_noon)
    assert again is not None
    assert (again.payload, again.due_at) == (
        {"week": "2026-W50"},
        datetime(2026, 12, 14, 9, 0, tzinfo=TZ),
    )


def test_the_digest_lists_the_recurrences_still_without_a_disposition(world: Any) -> None:
    from feedback.recurrence_helpers import open_at
    from soporte.feedback.recurrences import link_recurrence, set_recurrence_disposition

    team = people(world)
    first = open_at(world, "No aparecen mis ventas", days=0)
    second = open_at(world, "no me llegan las ventas", days=1)
    link_recurrence(ticket=second, earlier=first, actor=world.agents["t1"], at=IN_W49)
    fixed = open_at(world, "La terminal no cobra", days=2)
    again = open_at(world, "la terminal no cobra con tarjeta", days=3)
    done = link_recurrence(ticket=again, earlier=fixed, actor=world.agents["t1"], at=IN_W49)
    set_recurrence_disposition(
        recurrence=done,
        kind="product_fix",
        link="https://github.com/trackmyvend/app/issues/7",
        reason="",
        actor=world.agents["lead1"],
        at=IN_W49,
    )
    digest.send(W49, now=DUE)
    run_until(DUE)
    body = next(m.body for m in digests() if m.to[0] == team["cto"].email)
    open_part = body.split("Recurrences without a disposition:")[1]
    assert f"#{first.pk} No aparecen mis ventas · #{second.pk} no me llegan las ventas" in open_part
    assert f"#{fixed.pk}" not in open_part

"""The pinned FAQs' weekly job: each Monday, with the weekly review's digest (09:00 in the
review's zone), count the week just ended's T1 questions and apply the rule.

The runs form one chain of jobs keyed ``kb.faq:<week>``: a week's job runs once (a job's key is
done for good), counts and applies the rule (both give the same result when repeated), then
schedules the next week's in the transaction that marks it done (``jobs.chains``). A worker
starting, and every ticket opened, make sure one is pending (:func:`ensure_scheduled`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.dispatch import receiver

from soporte.feedback.domain.review import digest_due, next_digest
from soporte.feedback.domain.weeks import Week
from soporte.feedback.review_selectors import zone
from soporte.jobs import chains
from soporte.jobs.models import Job
from soporte.jobs.registry import at_start, handler
from soporte.kb import faq
from soporte.tickets.models import Ticket
from soporte.tickets.signals import tickets_opened

FAQ_WEEK = "kb.faq"


def schedule(week: Week) -> Job:
    """Make sure ``week``'s run is scheduled, due the Monday after it with the digest."""
    return chains.schedule(FAQ_WEEK, str(week), due_at=digest_due(week, zone()))


@at_start
def ensure_scheduled(*, now: datetime) -> Job | None:
    """The next run (due at or after ``now``), or the pending (or running) one, else the next
    one scheduled now; none while the desk has no ticket. Called when a worker starts and when
    tickets are opened (:func:`_start_with_tickets`): the chain starts with the first ticket."""
    week = next_digest(now, zone())
    due_at = digest_due(week, zone())
    return chains.ensure(FAQ_WEEK, week=str(week), due_at=due_at, ready=Ticket.objects.exists)


@receiver(tickets_opened, dispatch_uid="soporte.kb.faq_week_start")
def _start_with_tickets(sender: Any, *, now: datetime, **kwargs: Any) -> None:
    ensure_scheduled(now=now)


@handler(FAQ_WEEK)
def run(job: Job, *, now: datetime) -> None:
    """Count the job's week, apply the rule, then schedule the next week's run."""
    week = Week.parse(str(job.payload["week"]))
    faq.count_week(week=week, now=now)
    faq.apply_rule(week=week, now=now)
    schedule(week.shifted(1))

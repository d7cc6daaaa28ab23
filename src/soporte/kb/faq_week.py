"""The pinned FAQs' weekly job: each Monday, with the weekly review's digest (09:00 in the
review's zone), count the week just ended's T1 questions and apply the rule.

The runs form one chain of jobs keyed ``kb.faq:<week>``: a week's job runs once (a job's key is
done for good), counts and applies the rule (both give the same result when repeated), then
schedules the next week's in the transaction that marks it done. A worker starting makes sure
one is pending (:func:`ensure_scheduled`).
"""

from __future__ import annotations

from datetime import datetime

from soporte.feedback.domain.review import digest_due, next_digest
from soporte.feedback.domain.weeks import Week
from soporte.feedback.review_selectors import zone
from soporte.jobs import services as jobs
from soporte.jobs.models import Job
from soporte.jobs.registry import at_start, handler
from soporte.kb import faq
from soporte.tickets.models import Ticket

FAQ_WEEK = "kb.faq"


def schedule(week: Week) -> Job:
    """Make sure ``week``'s run is scheduled, due the Monday after it with the digest."""
    return jobs.schedule(
        kind=FAQ_WEEK,
        key=f"{FAQ_WEEK}:{week}",
        due_at=digest_due(week, zone()),
        payload={"week": str(week)},
    )


@at_start
def ensure_scheduled(*, now: datetime) -> Job | None:
    """The pending (or running) run, else the next one due at or after ``now``; none while the
    desk has no ticket (a new database: the chain starts with the first worker that starts
    once there are questions to count)."""
    waiting = Job.objects.filter(
        kind=FAQ_WEEK, status__in=(Job.Status.PENDING, Job.Status.RUNNING)
    ).first()
    if waiting is not None or not Ticket.objects.exists():
        return waiting
    return schedule(next_digest(now, zone()))


@handler(FAQ_WEEK)
def run(job: Job, *, now: datetime) -> None:
    """Count the job's week, apply the rule, then schedule the next week's run."""
    week = Week.parse(str(job.payload["week"]))
    faq.count_week(week=week, now=now)
    faq.apply_rule(week=week, now=now)
    schedule(week.shifted(1))

"""Keeping the reports' facts current: the tickets' changes queue their facts as stale, in the
transaction that makes them, and the ``reports.refresh`` job computes them again.

Every change to a ticket records a timeline event (``tickets.timeline.record``), so a saved
event queues its ticket; new tickets arrive by ``tickets_opened`` (the opening and the bulk
loader write their events in bulk). What changes with no event at all, a running clock going
past its target, is found by the job itself (``TicketFact.recheck_at``).

The refreshes form one chain of jobs keyed ``reports.refresh:1``, ``:2``…, each scheduling the
next :data:`EVERY` later (at once while a batch was full), in the transaction that marks it
done; a worker starting makes sure the chain exists once the desk has a ticket.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from soporte.jobs import services as jobs
from soporte.jobs.models import Job
from soporte.jobs.registry import at_start, handler
from soporte.reports import facts
from soporte.tickets.models import EventKind, Ticket, TimelineEvent
from soporte.tickets.signals import tickets_opened

REFRESH = "reports.refresh"
EVERY = timedelta(minutes=5)
"""How stale a report may be, at most, while the worker runs."""


BESIDE_THE_FACTS = frozenset(
    {
        EventKind.NOTED,
        EventKind.ACKNOWLEDGED,
        EventKind.ASSIGNED,
        EventKind.CC_ADDED,
        EventKind.CC_REMOVED,
        EventKind.EMAIL_FAILED,
        EventKind.DELIVERY_FAILED,
        EventKind.EMAIL_BOUNCED,
        EventKind.CLOCK_WARNING,
        EventKind.SURVEY_SENT,
        EventKind.SURVEY_SKIPPED,
        EventKind.SURVEY_ANSWERED,
        EventKind.SURVEY_VOIDED,
        EventKind.REVIEW_REOPENED,
        EventKind.POSTMORTEM_REQUESTED,
        EventKind.POSTMORTEM_DUE,
        EventKind.POSTMORTEM_WRITTEN,
        EventKind.RECURRENCE_LINKED,
        EventKind.RECURRENCE_DISPOSED,
        EventKind.ANSWERED_WITH_ARTICLE,
    }
)
"""Events that change nothing a ticket's fact holds: they leave its fact as it is (one write
fewer on the reply, survey and review paths)."""


@receiver(post_save, sender=TimelineEvent, dispatch_uid="soporte.reports.event")
def _event_saved(sender: Any, instance: TimelineEvent, created: bool, **kwargs: Any) -> None:
    if created and instance.kind not in BESIDE_THE_FACTS:
        facts.queue([instance.ticket_id])


@receiver(tickets_opened, sender=Ticket, dispatch_uid="soporte.reports.opened")
def _tickets_opened(sender: Any, numbers: list[int], **kwargs: Any) -> None:
    facts.queue(numbers)


def _schedule(seq: int, *, due_at: datetime) -> Job:
    return jobs.schedule(kind=REFRESH, key=f"{REFRESH}:{seq}", due_at=due_at, payload={"seq": seq})


@at_start
def ensure_refreshing(*, now: datetime) -> Job | None:
    """A refresh at ``now`` unless one is pending or running; none while there is no ticket."""
    newest = Job.objects.filter(kind=REFRESH).order_by("-id").first()
    if newest is not None and newest.status in (Job.Status.PENDING, Job.Status.RUNNING):
        return newest
    if newest is None and not Ticket.objects.exists():
        return None
    return _schedule(int(newest.payload["seq"]) + 1 if newest else 1, due_at=now)


@handler(REFRESH)
def run(job: Job, *, now: datetime) -> None:
    """Refresh a batch of stale facts, then schedule the next refresh."""
    done = facts.refresh(now=now)
    _schedule(int(job.payload["seq"]) + 1, due_at=now if done >= facts.LIMIT else now + EVERY)

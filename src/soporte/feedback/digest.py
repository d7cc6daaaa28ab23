"""The Monday digest of the weekly support review: at 09:00 in the review zone, an email to each
lead, the founder and the CTO (active accounts) in their language, with last week's figures and
its items below the best answer.

The digests form one chain of jobs keyed ``feedback.digest:<week>``: each, when it runs, queues
its emails (outbox keys ``digest:<week>:<agent>``, so a second run sends nothing more) and
schedules the next week's, in the transaction that marks it done (``jobs.chains``). A worker
starting, and every ticket opened, make sure a digest is pending once there is someone to send
it to (:func:`ensure_scheduled`).
"""

from __future__ import annotations

from datetime import datetime

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import ngettext, override

from soporte.accounts.models import TIERS, Agent, AgentKind, Plan, Role
from soporte.feedback.domain import review
from soporte.feedback.domain.weeks import Week, span
from soporte.feedback.models import Answer, Survey
from soporte.feedback.recurrence_selectors import recurrence_dispositions_due
from soporte.feedback.review_selectors import Item, week_items, zone
from soporte.jobs import chains
from soporte.jobs.models import Job, OutboxMessage
from soporte.jobs.outbox import enqueue_email
from soporte.jobs.registry import at_start, handler
from soporte.policy import default_policy
from soporte.public import public_url

DIGEST = "feedback.digest"
RECIPIENTS = (Role.LEAD, Role.FOUNDER, Role.CTO)


def recipients() -> list[Agent]:
    """The leads, the founder and the CTO whose accounts are active (people, not bots)."""
    return list(
        Agent.objects.filter(role__in=RECIPIENTS, kind=AgentKind.HUMAN, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    )


def figures(week: Week) -> review.Figures:
    """``week``'s figures (``feedback.domain.review.figures``)."""
    policy = default_policy()
    start, end = span(week, policy.csat.review_zone)
    standing = Survey.objects.filter(voided_at__isnull=True)
    fields = ("answer", "tier", "plan", "first_response")
    sent = standing.filter(sent_at__gte=start, sent_at__lt=end).values_list(*fields)
    answered = standing.filter(answered_at__gte=start, answered_at__lt=end).values_list(*fields)
    return review.figures(
        sent=[review.Row(*row) for row in sent],
        answered=[review.Row(*row) for row in answered],
        answers=policy.csat.answers,
        tiers=[str(t) for t in TIERS],
        plans=Plan.values,
    )


def send(week: Week, *, now: datetime) -> list[OutboxMessage]:
    """Queue ``week``'s digest to every recipient, once per recipient and week."""
    counted = figures(week)
    items = week_items(week)
    context: dict[str, object] = {
        "week": week,
        "figures": counted,
        "faces": [(Answer(face).label, n) for face, n in counted.faces.items()],
        "plans": [(Plan(plan).label, ratio) for plan, ratio in counted.csat_by_plan.items()],
        "items": items,
        "url": public_url(reverse("console:review_week", args=[str(week)])),
    }
    until = span(week, zone())[1]
    sent: list[OutboxMessage] = []
    readers = recipients()
    if not readers:
        return sent
    # the same list for every recipient (each sees every queue's recurrences): read it once
    open_recurrences = list(recurrence_dispositions_due(readers[0].user, until=until))
    for agent in readers:
        mine = {**context, "agent": agent, "recurrences": open_recurrences}
        with override(agent.locale):
            subject = _subject(week, items)
            body = render_to_string("feedback/digest.txt", mine)
            html = render_to_string("feedback/digest.html", mine)
        sent.append(
            enqueue_email(
                key=f"digest:{week}:{agent.pk}",
                to=[agent.email],
                subject=subject,
                body=body,
                html=html,
                due_at=now,
            )
        )
    return sent


def schedule(week: Week) -> Job:
    """Make sure ``week``'s digest is scheduled, due the Monday after it at 09:00."""
    return chains.schedule(DIGEST, str(week), due_at=review.digest_due(week, zone()))


@at_start
def ensure_scheduled(*, now: datetime) -> Job | None:
    """The next digest (due at or after ``now``), or the pending (or running) one, else the
    next one scheduled now; none while the desk has nobody to send it to. Called when a worker
    starts and when tickets are opened (``handlers``), so the chain starts with the first
    ticket once a lead, the founder or the CTO exists."""
    week = review.next_digest(now, zone())
    due_at = review.digest_due(week, zone())
    return chains.ensure(DIGEST, week=str(week), due_at=due_at, ready=lambda: bool(recipients()))


@handler(DIGEST)
def run(job: Job, *, now: datetime) -> None:
    """Send the digest of the job's week, then schedule the next week's."""
    week = Week.parse(str(job.payload["week"]))
    send(week, now=now)
    schedule(week.shifted(1))


def _subject(week: Week, items: list[Item]) -> str:
    return ngettext(
        "Weekly support review %(week)s: %(count)s answer below 👍",
        "Weekly support review %(week)s: %(count)s answers below 👍",
        len(items),
    ) % {"week": week, "count": len(items)}

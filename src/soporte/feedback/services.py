"""CSAT surveys: offered on every resolution, voided by a reopen, answered by the customer.

Each runs in the caller's transaction (the resolution's, the reopen's) or owns its own.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from soporte.accounts.models import Agent, Contact
from soporte.feedback.domain import surveys
from soporte.feedback.models import Answer, ClockOutcome, Survey
from soporte.policy import default_policy
from soporte.sla import domain as sla
from soporte.sla.models import Clock
from soporte.tickets import timeline
from soporte.tickets.models import EventKind, Ticket


class SurveyError(ValueError):
    """A survey cannot take this answer (closed, voided, unknown answer): the message says why."""


def offer(*, ticket: Ticket, actor: Agent | Contact | None, at: datetime) -> Survey | None:
    """The survey of the resolution at ``at``, credited now (agent, tier, channel, plan,
    severity, both clocks' outcomes), or None when the requester gets none (opted out, or
    surveyed within the policy's gap): the ticket's timeline says which. Idempotent."""
    existing = Survey.objects.filter(ticket=ticket, resolved_at=at).first()
    if existing is not None:
        return existing
    policy = default_policy()
    contact = ticket.requester
    last = (
        Survey.objects.filter(contact=contact, voided_at__isnull=True, sent_at__lte=at)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    reason = surveys.skip(
        opted_out=contact.surveys_opted_out,
        last_sent=last,
        now=at,
        gap=timedelta(hours=policy.csat.gap_hours),
    )
    if reason is not None:
        timeline.record(ticket, EventKind.SURVEY_SKIPPED, at=at, reason=reason.value)
        return None
    outcomes = _clock_outcomes(ticket, at)
    survey = Survey.objects.create(
        ticket=ticket,
        resolved_at=at,
        contact=contact,
        organisation_id=ticket.organisation_id,
        sent_at=at,
        agent=actor if isinstance(actor, Agent) else ticket.assignee,
        tier=ticket.tier,
        channel=ticket.channel,
        plan=ticket.plan,
        severity=ticket.severity,
        first_response=outcomes.get(sla.ClockKind.FIRST_RESPONSE.value, ClockOutcome.NONE),
        channel_response=outcomes.get(sla.ClockKind.CHANNEL_RESPONSE.value, ClockOutcome.NONE),
    )
    timeline.record(ticket, EventKind.SURVEY_SENT, at=at, survey=survey.pk)
    return survey


def void_pending(*, ticket: Ticket, at: datetime) -> int:
    """Void the ticket's surveys that have no answer (a reopen): how many."""
    pending = list(
        Survey.objects.filter(ticket=ticket, voided_at__isnull=True, answer="").values_list(
            "pk", flat=True
        )
    )
    if pending:
        Survey.objects.filter(pk__in=pending).update(voided_at=at)
        timeline.record(ticket, EventKind.SURVEY_VOIDED, at=at, surveys=pending)
    return len(pending)


def answer(*, survey: Survey, answer: str, comment: str | None = None, at: datetime) -> Survey:
    """Record (or change) the customer's ``answer``, and their ``comment`` when given, within the
    policy's window; the first answer fixes the review week (``answered_at``)."""
    if answer not in Answer.values:
        raise SurveyError(f"unknown answer {answer!r} (valid: {', '.join(Answer.values)})")
    change_days = default_policy().csat.change_days
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.voided_at is not None:
            raise SurveyError("this survey was withdrawn: the ticket was reopened")
        if not surveys.open_for_answers(sent_at=survey.sent_at, now=at, change_days=change_days):
            raise SurveyError(f"this survey took answers for {change_days} days after it was sent")
        old = survey.answer
        survey.answer = answer
        if comment is not None:
            survey.comment = comment.strip()
        survey.answered_at = survey.answered_at or at
        survey.changed_at = at
        survey.save(update_fields=["answer", "comment", "answered_at", "changed_at"])
        timeline.record(
            survey.ticket,
            EventKind.SURVEY_ANSWERED,
            at=at,
            actor=survey.contact,
            survey=survey.pk,
            old=old,
            new=answer,
            comment=bool(survey.comment),
        )
    return survey


def opt_out(*, contact: Contact, opted_out: bool = True) -> None:
    """The contact asks for no more surveys (or takes them again)."""
    Contact.objects.filter(pk=contact.pk).update(surveys_opted_out=opted_out)
    contact.surveys_opted_out = opted_out


def _clock_outcomes(ticket: Ticket, at: datetime) -> dict[str, str]:
    policy = default_policy()
    return {
        clock.kind: sla.state(policy, clock.as_domain(), at).status.value
        for clock in Clock.objects.filter(ticket=ticket)
    }

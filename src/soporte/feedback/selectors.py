"""Reading surveys as their customer sees them: a customer only ever sees their own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from soporte.accounts.models import Contact
from soporte.feedback import faces
from soporte.feedback.domain import surveys
from soporte.feedback.models import Answer, Survey
from soporte.policy import default_policy
from soporte.tickets.models import Ticket


@dataclass(frozen=True, slots=True)
class Choice:
    answer: str
    label: str
    chosen: bool


@dataclass(frozen=True, slots=True)
class SurveyView:
    """A survey on a page: its three answers (``chosen`` the recorded one, or the one a link
    picked), whether it still takes answers, and until when."""

    survey: Survey
    choices: tuple[Choice, ...]
    open: bool
    closes_at: datetime

    @property
    def voided(self) -> bool:
        return self.survey.voided_at is not None

    @property
    def answered_label(self) -> str:
        return faces.label(self.survey.answer) if self.survey.answer else ""


def view(survey: Survey, *, now: datetime, picked: str = "") -> SurveyView:
    """``survey`` as its customer sees it at ``now`` (labels in the active language);
    ``picked``: the answer a link chose (ignored unless it is one of the three)."""
    days = default_policy().csat.change_days
    chosen = picked if picked in Answer.values else survey.answer
    return SurveyView(
        survey=survey,
        choices=tuple(Choice(a, faces.label(a), a == chosen) for a in Answer.values),
        open=survey.voided_at is None
        and surveys.open_for_answers(sent_at=survey.sent_at, now=now, change_days=days),
        closes_at=survey.sent_at + timedelta(days=days),
    )


def current(*, ticket_id: int, contact: Contact) -> Survey | None:
    """The standing (not voided) survey of the ticket's latest resolution, if ``contact`` is
    the one it was sent to; None for anybody else."""
    return (
        Survey.objects.filter(ticket_id=ticket_id, contact=contact, voided_at__isnull=True)
        .order_by("-resolved_at")
        .first()
    )


def pending_survey(ticket: Ticket) -> Survey | None:
    """The survey of ``ticket``'s current resolution while it waits for its first answer: the
    ticket is solved (or closed), a survey for its ``solved_at`` went out, and it is neither
    voided (reopened) nor answered. ``None`` otherwise."""
    if not ticket.is_resolved or ticket.solved_at is None:
        return None
    return (
        Survey.objects.select_related("contact")
        .filter(ticket=ticket, resolved_at=ticket.solved_at, voided_at__isnull=True, answer="")
        .first()
    )

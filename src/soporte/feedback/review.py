"""The weekly support review's actions: a disposition per item, closing a week, and reopening
a closed week when a changed answer adds an item to it (rules: ``feedback.domain.review``)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from soporte.accounts.models import Agent
from soporte.feedback.domain import review
from soporte.feedback.domain.weeks import Week
from soporte.feedback.models import ReviewDisposition, ReviewWeek, Survey
from soporte.feedback.review_selectors import may_review, undisposed, zone
from soporte.policy import default_policy
from soporte.tickets import timeline
from soporte.tickets.models import EventKind


class ReviewError(ValueError):
    """The review refuses the action; the message (in the caller's language) says why, and
    ``field`` names the form field at fault, if any."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def problem_message(problem: review.Problem) -> str:
    messages = {
        review.Problem.UNKNOWN_KIND: _(
            "Choose a disposition: KB article, product fix, coaching or no action."
        ),
        review.Problem.LINK_MISSING: _("A KB article or a product fix needs its link."),
        review.Problem.LINK_NOT_WEB: _("The link must be a web address (http:// or https://)."),
        review.Problem.LINK_TOO_LONG: _("The link must be at most 500 characters."),
        review.Problem.NOTE_MISSING: _("Coaching needs a note: what to do differently."),
        review.Problem.REASON_MISSING: _("Say why no action is needed."),
    }
    return messages[problem]


def item_week(survey: Survey) -> Week | None:
    return review.item_week(
        answer=survey.answer,
        answered_at=survey.answered_at,
        answers=default_policy().csat.answers,
        zone=zone(),
    )


def dispose(
    *,
    agent: Agent,
    survey: Survey,
    kind: str,
    link: str = "",
    note: str = "",
    reason: str = "",
    at: datetime,
) -> ReviewDisposition:
    """Set (or change) the disposition of an item of a week that is not closed."""
    _require_reviewer(agent)
    try:
        decided = review.decision(kind, link=link, note=note, reason=reason)
    except review.DispositionError as exc:
        raise ReviewError(problem_message(exc.problem), exc.problem.field) from None
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        week = item_week(survey) if survey.voided_at is None else None
        if week is None:
            raise ReviewError(_("This survey is not an item of the weekly review."))
        if _closed(week):
            raise ReviewError(
                _("Week %(week)s is closed: its dispositions no longer change.") % {"week": week}
            )
        disposition, _created = ReviewDisposition.objects.update_or_create(
            survey=survey,
            defaults={
                "kind": decided.kind.value,
                "link": decided.link,
                "note": decided.note,
                "reason": decided.reason,
                "decided_by": agent,
                "decided_at": at,
            },
        )
    return disposition


def close_week(*, agent: Agent, week: Week, at: datetime) -> ReviewWeek:
    """Close ``week``: it has ended and every item has a disposition."""
    _require_reviewer(agent)
    with transaction.atomic():
        row, _created = ReviewWeek.objects.select_for_update().get_or_create(week=str(week))
        missing = undisposed(week)
        refusal = review.close_refusal(
            week=week,
            zone=zone(),
            closed=row.is_closed,
            items=missing,
            disposed=(),
            now=at,
        )
        if refusal is review.CloseRefusal.ALREADY_CLOSED:
            raise ReviewError(_("Week %(week)s is already closed.") % {"week": week})
        if refusal is review.CloseRefusal.NOT_ENDED:
            raise ReviewError(
                _("Week %(week)s has not ended yet: close it from Monday on.") % {"week": week}
            )
        if refusal is review.CloseRefusal.UNDISPOSED:
            raise ReviewError(
                _("Every item needs a disposition before the week closes: %(count)s left.")
                % {"count": len(missing)}
            )
        row.closed_at, row.closed_by = at, agent
        row.save(update_fields=["closed_at", "closed_by"])
    return row


def reopen_for(survey: Survey) -> ReviewWeek | None:
    """Reopen the closed week a changed answer made ``survey`` an item of, when it has no
    disposition; note it on the ticket's timeline. Joins the answer's transaction."""
    week = item_week(survey) if survey.voided_at is None else None
    if week is None:
        return None
    with transaction.atomic():
        row = ReviewWeek.objects.select_for_update().filter(week=str(week)).first()
        disposed = ReviewDisposition.objects.filter(survey=survey).exists()
        if row is None or not review.reopens(closed=row.is_closed, is_item=True, disposed=disposed):
            return None
        at = survey.changed_at or survey.answered_at
        assert at is not None  # an item has an answer
        row.closed_at, row.closed_by, row.reopened_at = None, None, at
        row.save(update_fields=["closed_at", "closed_by", "reopened_at"])
        timeline.record(
            survey.ticket,
            EventKind.REVIEW_REOPENED,
            at=at,
            week=str(week),
            survey=survey.pk,
            answer=survey.answer,
        )
    return row


def _closed(week: Week) -> bool:
    return ReviewWeek.objects.filter(week=str(week), closed_at__isnull=False).exists()


def _require_reviewer(agent: Agent) -> None:
    if not may_review(agent):
        raise ReviewError(_("Only leads, the founder, the CTO and admins hold the weekly review."))

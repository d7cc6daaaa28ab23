"""CSAT over the conversational channels (WhatsApp's reply buttons, Slack's Block Kit buttons):
which message carries the survey, the words on its buttons, and what a customer's press does.

The resolution notice carries the survey: a public SYSTEM message written at the instant the
ticket was solved, while the survey of that resolution waits for its first answer
(``feedback.selectors.pending_survey``). A press names the survey by its signed token
(``feedback.links``) and records the answer through ``feedback.services.answer``; the channel
then answers the customer in their language (:func:`reply`): thanks with the survey page's
link (to comment or change the answer), or why the survey takes no answer now.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import structlog
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

from soporte.feedback import faces
from soporte.feedback import services as feedback
from soporte.feedback.models import Answer, Survey
from soporte.feedback.selectors import pending_survey
from soporte.tickets import sanitize
from soporte.tickets.models import AuthorKind, Message, MessageKind, Ticket
from soporte.tickets.selectors import MessageKey

log = structlog.get_logger(__name__)


class Taken(StrEnum):
    """What became of a press on a survey button."""

    RECORDED = "recorded"
    """The answer is recorded (a first answer or a change)."""
    UNCHANGED = "unchanged"
    """The survey already had this answer: nothing to write."""
    WITHDRAWN = "withdrawn"
    """The ticket was reopened: the survey is void, nothing recorded."""
    CLOSED = "closed"
    """The survey no longer takes answers (its window passed), nothing recorded."""


def resolution_survey(ticket: Ticket, message: Message) -> Survey | None:
    """The survey ``message`` carries when it is ``ticket``'s resolution notice, else None."""
    if message.kind != MessageKind.PUBLIC or message.author_kind != AuthorKind.SYSTEM:
        return None
    survey = pending_survey(ticket)
    if survey is None or message.created_at != survey.resolved_at:
        return None
    return survey


def buttons() -> list[tuple[str, str]]:
    """The three answers, best first, as (answer, label) in the active language, worded as on
    the survey page, the email and the portal (``feedback.faces``); each label fits WhatsApp's
    20 characters."""
    return [(str(answer), faces.label(answer)) for answer in Answer]


def question(ticket: Ticket) -> str:
    """The line above the buttons, in the active language."""
    return _("How did we do with ticket #%(number)s?") % {"number": ticket.pk}


def take(*, survey: Survey, answer: str, key: MessageKey, channel: str, at: datetime) -> Taken:
    """Record ``answer`` (one of ``Answer``'s values) on ``survey`` at ``at``, with its internal
    note (:func:`note`) keyed on the press, unless the survey is void, closed, or already has
    that answer."""
    if survey.voided_at is not None:
        return Taken.WITHDRAWN
    if survey.answer == answer:
        return Taken.UNCHANGED
    try:
        feedback.answer(survey=survey, answer=answer, at=at)
    except feedback.SurveyError as exc:
        survey.refresh_from_db(fields=["voided_at"])
        log.info("csat.answer_refused", survey=survey.pk, reason=str(exc))
        return Taken.WITHDRAWN if survey.voided_at is not None else Taken.CLOSED
    note(survey, answer, key=key, channel=channel, at=at)
    return Taken.RECORDED


def reply(survey: Survey, answer: str, taken: Taken, *, link: str) -> str:
    """What the channel answers the press with, in the customer's language. ``link``: the
    survey page's address as the channel writes a link."""
    face = dict(Answer.choices)[answer]
    with override(survey.contact.locale):
        if taken == Taken.WITHDRAWN:
            return _(
                "This survey was withdrawn: ticket #%(number)s was reopened. We will ask "
                "again once it is solved."
            ) % {"number": survey.ticket_id}
        if taken == Taken.CLOSED:
            return _("This survey no longer takes answers. Thank you all the same!")
        return _("Thanks, you chose %(face)s — add a comment or change it: %(link)s") % {
            "face": face,
            "link": link,
        }


def note(survey: Survey, answer: str, *, key: MessageKey, channel: str, at: datetime) -> Message:
    """The internal note of an answer given in ``channel`` (``WhatsApp``, ``Slack``), keyed on
    the press's provider id so that a repeat of the same press writes nothing twice."""
    face = dict(Answer.choices)[answer]
    with override(settings.LANGUAGE_CODE):
        text = _("%(name)s answered the CSAT survey %(face)s on %(channel)s.") % {
            "name": survey.contact.name,
            "face": face,
            "channel": channel,
        }
    return keyed_note(survey, text, key=key, at=at)


def keyed_note(survey: Survey, text: str, *, key: MessageKey, at: datetime) -> Message:
    """An internal SYSTEM note of ``text`` on ``survey``'s ticket, keyed on a press's provider
    id (``key``): a repeat of the same press writes nothing twice."""
    return Message.objects.create(
        ticket_id=survey.ticket_id,
        kind=MessageKind.INTERNAL,
        author_kind=AuthorKind.SYSTEM,
        body=sanitize.from_text(text),
        provider_scope=key.scope,
        provider_id=key.id,
        created_at=at,
    )

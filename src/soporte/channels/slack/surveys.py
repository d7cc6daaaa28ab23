"""A press on a CSAT survey's button in a ticket's thread (``domain.blocks``), received through
the interactivity hook.

The button's value is the survey's signed token; the press counts only in the thread of the
survey's ticket, in a channel linked to the ticket's organisation (a press elsewhere, or a
tampered token, is ignored and logged), and only from a contact of that organisation
(:func:`customer`). A press by anyone else (a desk agent, or a Slack user who is no contact of
the organisation) is not counted: an internal note on the ticket says who pressed what, and the
message keeps its buttons for the customer. The answer is recorded once per ``action_ts`` (an
internal note keyed in the channel's scope), and the message is updated (``chat.update``
through the outbox) to show the chosen face and the survey page's link, or, for a withdrawn or
closed survey, why it takes no answer (its buttons removed, nothing recorded).
"""

from __future__ import annotations

from datetime import datetime

import structlog
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from soporte.accounts.models import Contact, Organisation
from soporte.channels import csat, senders
from soporte.channels.slack import outbound, people
from soporte.channels.slack.domain.blocks import answer_of, survey_blocks
from soporte.channels.slack.domain.interactions import ButtonPress
from soporte.channels.slack.models import SlackThread
from soporte.feedback import links
from soporte.feedback.models import Answer, Survey
from soporte.jobs.outbox import DeliveryError
from soporte.tickets.models import AuthorKind, Message, MessageKind
from soporte.tickets.selectors import MessageKey, keyed_message

log = structlog.get_logger(__name__)

CHANNEL_NAME = "Slack"


def take_press(press: ButtonPress, *, at: datetime) -> str:
    """Take one button press at ``at``: ``answered``, ``refused`` (not a contact of the
    ticket's organisation), ``duplicate`` or ``ignored``."""
    answer = answer_of(press.action_id)
    if answer is None:
        log.info("slack.action_ignored", action=press.action_id[:40])
        return "ignored"
    survey = links.survey_for(press.value)
    thread = (
        SlackThread.objects.select_related("channel")
        .filter(
            ticket=survey.ticket_id,
            channel__channel_id=press.channel,
            channel__organisation=survey.organisation_id,
        )
        .first()
        if survey is not None
        else None
    )
    if survey is None or thread is None or answer not in Answer.values:
        log.warning(
            "slack.survey_press_ignored",
            channel=press.channel,
            user=press.user,
            survey=survey.pk if survey else None,
            action=press.action_id[:40],
        )
        return "ignored"
    key = MessageKey(thread.channel.scope, f"csat:{press.action_ts}")
    if keyed_message(key) is not None:
        return "duplicate"
    pressed_by = customer(press.user, survey.organisation)
    try:
        with transaction.atomic():
            if keyed_message(key) is not None:
                return "duplicate"
            if pressed_by is None:
                _refusal_note(survey, answer, press, key, at)
                return "refused"
            _answer(survey, answer, press, key, at)
    except IntegrityError:  # the same press, taken meanwhile by a retry
        return "duplicate"
    return "answered"


def customer(user_id: str, organisation: Organisation) -> Contact | None:
    """The contact of ``organisation`` Slack user ``user_id`` is: one remembered from their
    messages, or the contact whose address their Slack profile shows (remembered now). None
    for a desk agent, for a user whose address is nobody's or another organisation's, and when
    Slack cannot tell (unreachable)."""
    contact = people.known(user_id, organisation)
    if contact is not None:
        return contact
    try:
        found = people.profile(user_id)
    except DeliveryError as exc:
        log.warning("slack.survey_presser_unknown", user=user_id, error=str(exc))
        return None
    if not found.email or people.is_agent(found):
        return None
    existing = senders.known_contact(found.email)
    if existing is None or existing.organisation_id != organisation.pk:
        return None
    return people.author(user_id, organisation, found)


def _refusal_note(
    survey: Survey, answer: str, press: ButtonPress, key: MessageKey, at: datetime
) -> Message:
    """The internal note of a press that did not count (keyed on the press)."""
    with override(settings.LANGUAGE_CODE):
        text = _(
            "Slack user %(user)s pressed %(face)s on the CSAT survey; it was not counted: only "
            "a contact of %(organisation)s answers it."
        ) % {
            "user": press.user,
            "face": dict(Answer.choices)[answer],
            "organisation": survey.organisation.name,
        }
    log.info("slack.survey_press_refused", survey=survey.pk, user=press.user)
    return csat.keyed_note(survey, text, key=key, at=at)


def _answer(survey: Survey, answer: str, press: ButtonPress, key: MessageKey, at: datetime) -> None:
    taken = csat.take(survey=survey, answer=answer, key=key, channel=CHANNEL_NAME, at=at)
    notice = survey.ticket.messages.filter(
        kind=MessageKind.PUBLIC, author_kind=AuthorKind.SYSTEM, created_at=survey.resolved_at
    ).first()
    text = outbound.notice_text(notice) if notice is not None else ""
    taking = taken in (csat.Taken.RECORDED, csat.Taken.UNCHANGED)
    with override(survey.contact.locale):
        line = csat.reply(survey, answer, taken, link=f"<{links.url(survey)}>")
        blocks = survey_blocks(
            text=text or line,
            line=line,
            buttons=csat.buttons() if taking else [],
            token=press.value,
            chosen=answer if taking else None,
        )
    outbound.enqueue_update(
        key=f"slack:csat:{press.channel}:{press.action_ts}",
        channel=press.channel,
        ts=press.message_ts,
        text=text or line,
        blocks=blocks,
        due_at=at,
    )
    log.info("slack.survey_press", survey=survey.pk, user=press.user, taken=str(taken))

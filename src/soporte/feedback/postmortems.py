"""Post-mortems: requesting one (idempotent), its due date at each resolution, writing it,
its action items, publishing it. Each function owns its transaction and records what it
changes on the ticket's timeline. The rules are ``feedback.domain.postmortem``'s.

Who may write one: T3 agents, leads, the founder, the CTO and admins (:func:`may_edit`); any
agent may read one (``feedback.postmortem_selectors``).
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from soporte.accounts.models import Agent, Language, Tier
from soporte.feedback.domain import postmortem as rules
from soporte.feedback.models import ActionItem, PostMortem, PostMortemStatus, Recurrence
from soporte.feedback.postmortem_selectors import writers
from soporte.feedback.recurrences import take_postmortem_fix
from soporte.notify import services as notify
from soporte.policy import default_policy
from soporte.tickets import timeline
from soporte.tickets.models import EventKind, Ticket

"""Roles that may write any post-mortem, besides T3's agents."""


class PostMortemError(ValueError):
    """A change the post-mortem cannot take: ``field`` names what is wrong (empty: the whole)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message


class NotAllowed(PostMortemError):
    """The agent may read the post-mortem but not write it (a 403 wherever it is asked)."""


def may_edit(agent: Agent) -> bool:
    return agent.is_human and (agent.sees_every_queue or agent.tier == Tier.T3)


def request_postmortem(*, ticket: Ticket, reason: str, at: datetime) -> PostMortem:
    """The ticket's post-mortem, asked for at ``at`` for ``reason`` (``p0``, ``founder_page``),
    or the one already asked for. A ticket already resolved gets its due date at once."""
    rules.Reason(reason)
    with transaction.atomic():
        known = PostMortem.objects.filter(ticket=ticket).first()
        if known is not None:
            return known
        try:
            with transaction.atomic():
                postmortem = PostMortem.objects.create(
                    ticket=ticket, reason=reason, requested_at=at, updated_at=at
                )
        except IntegrityError:  # asked for concurrently: one per ticket
            return PostMortem.objects.get(ticket=ticket)
        timeline.record(ticket, EventKind.POSTMORTEM_REQUESTED, at=at, reason=reason)
        if ticket.is_resolved:
            _set_due(postmortem, ticket.solved_at or at, at)
        _tell_writers(postmortem, at)
        return postmortem


NOTICE_EVENT = "postmortem_requested"


def _tell_writers(postmortem: PostMortem, at: datetime) -> None:
    """Tell the post-mortem's writers (``postmortem_selectors.writers``) it is asked for, each
    in their language, once (notification and outbox keys ``postmortem:<ticket>:<agent>``)."""
    ticket = postmortem.ticket
    days = default_policy().postmortem.due_business_days

    def title() -> str:
        values = {"number": ticket.pk, "subject": ticket.subject, "days": days}
        if postmortem.reason == rules.Reason.FOUNDER_PAGE:
            text = _(
                "Post-mortem asked for ticket #%(number)s (a page reached the founder and the "
                "CTO): %(subject)s. Due %(days)s business days after resolution."
            )
        else:
            text = _(
                "Post-mortem asked for ticket #%(number)s (a P0): %(subject)s. Due %(days)s "
                "business days after resolution."
            )
        return text % values

    notify.tell_agents(
        writers(),
        key=f"postmortem:{ticket.pk}",
        ticket=ticket,
        event=NOTICE_EVENT,
        title=title,
        now=at,
    )


def set_due(*, ticket: Ticket, resolved_at: datetime) -> PostMortem | None:
    """The ticket was resolved at ``resolved_at``: its post-mortem (if it has one, not yet
    written) is due the policy's business days later. A re-resolution moves the date."""
    with transaction.atomic():
        postmortem = PostMortem.objects.select_for_update().filter(ticket=ticket).first()
        if postmortem is None or postmortem.status == PostMortemStatus.WRITTEN:
            return postmortem
        _set_due(postmortem, resolved_at, resolved_at)
        return postmortem


def _set_due(postmortem: PostMortem, resolved_at: datetime, at: datetime) -> None:
    policy = default_policy()
    due = rules.due_at(
        resolved_at,
        days=policy.postmortem.due_business_days,
        business_day=policy.business_day,
        calendar=policy.calendar,
    )
    postmortem.due_at = due
    postmortem.save(update_fields=["due_at"])
    timeline.record(
        postmortem.ticket,
        EventKind.POSTMORTEM_DUE,
        at=at,
        due_at=due.isoformat(),
        business_days=policy.postmortem.due_business_days,
    )


def save_postmortem(
    *,
    postmortem: PostMortem,
    author: Agent,
    language: str,
    impact: str,
    cause: str,
    went_well: str,
    at: datetime,
) -> PostMortem:
    """Write the document's text; a requested post-mortem becomes a draft."""
    _check_editor(author)
    if language not in Language.values:
        raise PostMortemError(
            "language",
            _("expected one of %(valid)s") % {"valid": ", ".join(Language.values)},
        )
    with transaction.atomic():
        postmortem = _locked(postmortem)
        postmortem.language = language
        postmortem.impact, postmortem.cause, postmortem.went_well = impact, cause, went_well
        postmortem.status = rules.after_save(postmortem.status).value
        postmortem.author = postmortem.author or author
        postmortem.updated_at = at
        postmortem.save()
    return postmortem


def publish(*, postmortem: PostMortem, author: Agent, at: datetime) -> PostMortem:
    """Mark the post-mortem written (it leaves the weekly review); it needs an impact and a
    cause. Publishing a written one again changes nothing."""
    _check_editor(author)
    with transaction.atomic():
        postmortem = _locked(postmortem)
        if postmortem.status == PostMortemStatus.WRITTEN:
            return postmortem
        missing = rules.missing_to_publish(impact=postmortem.impact, cause=postmortem.cause)
        if missing:
            raise PostMortemError(missing[0], _("required before the post-mortem is published"))
        postmortem.status = PostMortemStatus.WRITTEN
        postmortem.written_at = postmortem.updated_at = at
        postmortem.author = postmortem.author or author
        postmortem.save()
        timeline.record(
            postmortem.ticket,
            EventKind.POSTMORTEM_WRITTEN,
            at=at,
            actor=author,
            language=postmortem.language,
            overdue=postmortem.due_at is not None and at > postmortem.due_at,
        )
    return postmortem


def add_action_item(
    *,
    postmortem: PostMortem,
    author: Agent,
    text: str,
    fix_url: str,
    owner: Agent | None = None,
    at: datetime,
) -> ActionItem:
    """An action item linked to its product fix (an issue or pull request address)."""
    _check_editor(author)
    text = " ".join(text.split())
    if not text:
        raise PostMortemError("text", _("say what is to be done"))
    if len(text) > ActionItem._meta.get_field("text").max_length:  # type: ignore[operator]
        raise PostMortemError("text", _("at most 500 characters"))
    try:
        URLValidator(schemes=["http", "https"])(fix_url.strip())
    except ValidationError:
        raise PostMortemError(
            "fix_url", _("expected the address (http or https) of the product fix")
        ) from None
    with transaction.atomic():
        postmortem = _locked(postmortem)
        item = ActionItem.objects.create(
            postmortem=postmortem, text=text, fix_url=fix_url.strip(), owner=owner, created_at=at
        )
        _touch(postmortem, at)
        recurrence = Recurrence.objects.filter(members__ticket=postmortem.ticket_id).first()
        if recurrence is not None:  # the problem already recurred: this fix is its disposition
            take_postmortem_fix(recurrence=recurrence, actor=author, at=at)
    return item


def remove_action_item(*, postmortem: PostMortem, author: Agent, item: int, at: datetime) -> bool:
    """Remove action item ``item`` of this post-mortem; whether there was one."""
    _check_editor(author)
    with transaction.atomic():
        postmortem = _locked(postmortem)
        deleted, _rows = ActionItem.objects.filter(postmortem=postmortem, pk=item).delete()
        if deleted:
            _touch(postmortem, at)
    return bool(deleted)


def mark_action_item(
    *, postmortem: PostMortem, author: Agent, item: int, done: bool, at: datetime
) -> bool:
    """Mark action item ``item`` done (or not); whether there was one."""
    _check_editor(author)
    with transaction.atomic():
        postmortem = _locked(postmortem)
        changed = ActionItem.objects.filter(postmortem=postmortem, pk=item).update(done=done)
        if changed:
            _touch(postmortem, at)
    return bool(changed)


def _check_editor(agent: Agent) -> None:
    if not may_edit(agent):
        raise NotAllowed(
            "", _("Only T3, leads, the founder, the CTO and admins write post-mortems.")
        )


def _locked(postmortem: PostMortem) -> PostMortem:
    return (
        PostMortem.objects.select_for_update(of=("self",))
        .select_related("ticket")
        .get(pk=postmortem.pk)
    )


def _touch(postmortem: PostMortem, at: datetime) -> None:
    postmortem.updated_at = at
    postmortem.save(update_fields=["updated_at"])

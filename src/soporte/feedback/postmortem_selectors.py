"""Reading post-mortems. Post-mortems are internal: every agent may read them, no customer
ever does (the console's pages check the caller; nothing here is served to the portal).

Who hears that one is asked for: :func:`writers`. For the weekly review:
:func:`postmortems_due` (every one not yet written, with its due date and standing) and
:func:`overdue`. For a recurrence's product-fix disposition: :func:`action_items_of`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Q, QuerySet

from soporte.accounts.models import Agent, AgentKind, Tier
from soporte.feedback.digest import RECIPIENTS
from soporte.feedback.domain import postmortem as rules
from soporte.feedback.models import ActionItem, PostMortem, PostMortemStatus
from soporte.tickets.models import Ticket, TimelineEvent


def writers() -> list[Agent]:
    """Who is told that a post-mortem is asked for: T3's agents, who write it, and the leads,
    the founder and the CTO (the weekly digest's readers); active people only."""
    return list(
        Agent.objects.filter(
            Q(tier=Tier.T3) | Q(role__in=RECIPIENTS), kind=AgentKind.HUMAN, user__is_active=True
        )
        .select_related("user")
        .order_by("pk")
    )


@dataclass(frozen=True, slots=True)
class Listed:
    """A post-mortem as the lists show it."""

    postmortem: PostMortem
    standing: rules.Standing

    @property
    def ticket(self) -> Ticket:
        return self.postmortem.ticket


def _rows() -> QuerySet[PostMortem]:
    return PostMortem.objects.select_related("ticket", "author").order_by(
        F("due_at").asc(nulls_last=True), "requested_at", "id"
    )


def standing_of(postmortem: PostMortem, *, now: datetime) -> rules.Standing:
    return rules.standing(status=postmortem.status, due=postmortem.due_at, now=now)


def _listed(rows: QuerySet[PostMortem], now: datetime) -> list[Listed]:
    return [Listed(row, standing_of(row, now=now)) for row in rows]


def postmortems_due(*, now: datetime) -> list[Listed]:
    """Every post-mortem not yet written, earliest due first (those whose ticket is not
    resolved yet, without a due date, last): what the weekly review shows until written."""
    return _listed(_rows().exclude(status=PostMortemStatus.WRITTEN), now)


def overdue(*, now: datetime) -> list[Listed]:
    """The post-mortems not written whose due time is past at ``now``."""
    rows = _rows().exclude(status=PostMortemStatus.WRITTEN).filter(due_at__lt=now)
    return _listed(rows, now)


def written(*, limit: int = 100) -> list[PostMortem]:
    """The latest written post-mortems, newest first."""
    rows = PostMortem.objects.select_related("ticket", "author")
    return list(rows.filter(status=PostMortemStatus.WRITTEN).order_by("-written_at")[:limit])


def postmortem_of(ticket: Ticket) -> PostMortem | None:
    return PostMortem.objects.filter(ticket=ticket).select_related("author").first()


def listed_of(ticket: Ticket, *, now: datetime) -> Listed | None:
    """The ticket's post-mortem and where it stands (the ticket page's badge), or ``None``."""
    postmortem = postmortem_of(ticket)
    return None if postmortem is None else Listed(postmortem, standing_of(postmortem, now=now))


def action_items_of(ticket: Ticket) -> list[ActionItem]:
    """The action items of the ticket's post-mortem, each with its product fix's address
    (``fix_url``): a recurrence of the problem may take one as its product-fix disposition."""
    return list(
        ActionItem.objects.filter(postmortem__ticket=ticket)
        .select_related("owner")
        .order_by("created_at", "id")
    )


def ticket_events(ticket: Ticket) -> list[rules.Event]:
    """The ticket's timeline events, typed for ``rules.timeline``, in their recorded order."""
    rows = TimelineEvent.objects.filter(ticket=ticket).select_related(
        "actor_agent", "actor_contact"
    )
    return [
        rules.Event(kind=row.kind, at=row.at, data=row.data or {}, actor=_actor(row), id=row.pk)
        for row in rows.order_by("at", "id")
    ]


def _actor(row: TimelineEvent) -> str:
    actor = row.actor_agent or row.actor_contact
    return actor.name if actor is not None else ""


def postmortem_timeline(ticket: Ticket) -> list[rules.Line]:
    """The post-mortem's timeline, filled in from the ticket's own events."""
    return rules.timeline(ticket_events(ticket))

"""Opening, advancing, acknowledging and resolving pages. Each function joins or owns the
transaction that changes the page, its timeline and its outbound notifications together.

The page's next look is one timer row in ``jobs`` (kind ``page.advance``, key
``page:<id>:at:<when>``): ``advance`` fires what is due, stops what can no longer fire, and moves
the timer to the next due step. Acknowledging or resolving advances the page at once, which
cancels the timers of the steps that will not fire any more.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from soporte.accounts.models import Agent, Role
from soporte.escalation.domain import Chain, PageState, Step, Target, chain_for, next_steps
from soporte.escalation.models import Page, PageNotification
from soporte.jobs import services as jobs
from soporte.jobs.outbox import enqueue_email
from soporte.notify import services as notify
from soporte.notify.transports.pagerduty import (
    Action,
    PagerDutyEvent,
    enqueue_pagerduty,
    pagerduty_event,
)
from soporte.oncall.models import Rotation
from soporte.oncall.selectors import who_is_on_call
from soporte.policy import default_policy
from soporte.policy.durations import Basis
from soporte.policy.durations import Target as Duration
from soporte.tickets import timeline
from soporte.tickets.models import EventKind, Ticket

ADVANCE = "page.advance"
ACK_SALT = "soporte.escalation.acknowledge"
ACK_LINK_MAX_AGE = 24 * 3600  # seconds a page's acknowledge link stays valid


class PageError(ValueError):
    """A change the page cannot take; the message says why."""


def open_page(*, ticket: Ticket, reason: str, at: datetime, now: datetime | None = None) -> Page:
    """The ticket's open page: a new one (its chain snapshotted, the primary notified at once),
    or the one already open. The steps are reckoned from ``at`` (``now`` defaults to it): for a
    ticket received earlier (an integration's ``received_at``), the steps already overdue fire
    when the page's timer runs, which is at once."""
    now = now or at
    with transaction.atomic():
        existing = _open_page_of(ticket)
        if existing is not None:
            return existing
        policy = default_policy()
        chain = chain_for(
            severity=ticket.severity,
            ack_timeout=_wall(policy.oncall.ack_timeout, "oncall.ack_timeout"),
            founder_cto_after=_wall(
                policy.escalation.founder_cto_after, "escalation.founder_cto_after"
            ),
        )
        rotation = paging_rotation()
        try:
            with transaction.atomic():
                page = Page.objects.create(
                    ticket=ticket,
                    reason=reason,
                    severity=ticket.severity,
                    rotation=rotation,
                    chain=chain.as_json(),
                    policy_version=policy.version,
                    opened_at=at,
                )
        except IntegrityError:  # opened concurrently: one open page per ticket
            found = _open_page_of(ticket)
            assert found is not None
            return found
        timeline.record(
            ticket,
            EventKind.PAGE_OPENED,
            at=at,
            page=page.pk,
            reason=reason,
            rotation=rotation.name if rotation else "",
        )
        return _advance_locked(page, now)


def advance(page: Page, *, now: datetime) -> Page:
    """Fire the steps due at ``now``, drop those that cannot fire, move the timer."""
    with transaction.atomic():
        page = (
            Page.objects.select_for_update(of=("self",))
            .select_related("ticket", "rotation")
            .get(pk=page.pk)
        )
        return _advance_locked(page, now)


def _advance_locked(page: Page, now: datetime) -> Page:
    """``advance`` on a page row the caller's transaction has locked (or just created)."""
    chain = Chain.from_json(page.chain)
    state = PageState(
        opened_at=page.opened_at,
        acknowledged_at=page.acknowledged_at,
        resolved_at=page.resolved_at,
        done=frozenset(page.done_steps),
    )
    plan = next_steps(chain, state, now)
    for step in plan.fire:
        _notify(page, step, now)
    done = set(page.done_steps) | {s.number for s in (*plan.fire, *plan.never)}
    page.done_steps = sorted(done)
    _move_timer(page, plan.wake_at, now)
    page.save(update_fields=["done_steps", "wake_at"])
    return page


def acknowledge(*, page: Page, agent: Agent | None, via: str, at: datetime) -> Page:
    """``agent`` acknowledges (None: someone PagerDuty did not name): the secondary is not
    paged. Idempotent; a resolved page stays as it is."""
    with transaction.atomic():
        page = Page.objects.select_for_update(of=("self",)).select_related("ticket").get(pk=page.pk)
        if page.acknowledged_at is not None or page.resolved_at is not None:
            return page
        page.acknowledged_at, page.acknowledged_by, page.acknowledged_via = at, agent, via
        page.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledged_via"])
        timeline.record(
            page.ticket, EventKind.PAGE_ACKNOWLEDGED, at=at, actor=agent, page=page.pk, via=via
        )
        _tell_pagerduty(page, "acknowledge", at)
        return _advance_locked(page, at)


def resolve_pages(*, ticket: Ticket, at: datetime) -> None:
    """The ticket is solved or closed: its open page is resolved, every pending step dropped."""
    with transaction.atomic():
        page = _open_page_of(ticket, lock=True)
        if page is None:
            return
        page.resolved_at = at
        page.save(update_fields=["resolved_at"])
        timeline.record(ticket, EventKind.PAGE_RESOLVED, at=at, page=page.pk)
        _tell_pagerduty(page, "resolve", at)
        _advance_locked(page, at)


def paging_rotation() -> Rotation | None:
    """The rotation that takes pages (settings ``PAGING_ROTATION``, or the only one)."""
    name = getattr(settings, "PAGING_ROTATION", "")
    if name:
        return Rotation.objects.filter(name=name).first()
    rotations = list(Rotation.objects.order_by("pk")[:2])
    return rotations[0] if len(rotations) == 1 else None


def ack_token(page: Page, agent: Agent) -> str:
    return signing.dumps({"p": page.pk, "a": agent.pk}, salt=ACK_SALT)


def read_ack_token(token: str) -> tuple[Page, Agent]:
    """The page and agent of an acknowledge link; ``PageError`` when invalid or expired."""
    try:
        data = signing.loads(token, salt=ACK_SALT, max_age=ACK_LINK_MAX_AGE)
        return Page.objects.select_related("ticket").get(pk=data["p"]), Agent.objects.get(
            pk=data["a"]
        )
    except (signing.BadSignature, KeyError, TypeError, Page.DoesNotExist, Agent.DoesNotExist):
        raise PageError(_("This link is not valid or has expired.")) from None


# ----------------------------------------------------------------------------- inside


def _open_page_of(ticket: Ticket, *, lock: bool = False) -> Page | None:
    pages = Page.objects.filter(ticket=ticket, resolved_at__isnull=True)
    if lock:
        pages = pages.select_for_update()
    return pages.first()


def _wall(target: Duration, name: str) -> timedelta:
    if target.basis is not Basis.WALL:
        raise PageError(f"policy {name}: paging delays are wall-clock time (e.g. '10 min 24/7')")
    return target.amount


def _move_timer(page: Page, wake_at: datetime | None, now: datetime) -> None:
    if page.wake_at == wake_at:
        return
    if page.wake_at is not None:
        jobs.cancel(key=_timer_key(page, page.wake_at), now=now)
    if wake_at is not None:
        jobs.schedule(
            kind=ADVANCE,
            key=_timer_key(page, wake_at),
            due_at=wake_at,
            payload={"page": page.pk},
            urgent=True,
        )
    page.wake_at = wake_at


def _timer_key(page: Page, at: datetime) -> str:
    return f"page:{page.pk}:at:{at.isoformat()}"


def _targets(page: Page, step: Step, now: datetime) -> list[Agent]:
    """Who the step pages: the rotation's primary or secondary at ``now``, or the founder and
    the CTO."""
    if step.target is Target.FOUNDER_CTO:
        found = Agent.objects.filter(role__in=[Role.FOUNDER, Role.CTO], user__is_active=True)
        return sorted(found.select_related("user"), key=lambda a: (a.role != Role.FOUNDER, a.pk))
    if page.rotation is None:
        return []
    on_call = who_is_on_call(rotation=page.rotation, at=now)
    agent = on_call.primary if step.target is Target.PRIMARY else on_call.secondary
    return [agent] if agent is not None else []


def _notify(page: Page, step: Step, now: datetime) -> None:
    ticket = page.ticket
    agents = _targets(page, step, now)
    if not agents:
        PageNotification.objects.create(
            page=page, step=step.number, target=step.target, created_at=now
        )
        timeline.record(
            ticket,
            EventKind.PAGE_SKIPPED,
            at=now,
            page=page.pk,
            step=step.number,
            target=step.target.value,
        )
        notify.tell_leads_nobody_on_call(ticket=ticket, page=page.pk, step=step.target, now=now)
        return
    for agent in agents:
        _page_over(page, step, agent, _transports()[0], now)


def fall_back(*, message_id: int, now: datetime) -> None:
    """A page's message failed for good: send it through the next transport, if there is one,
    and tell the leads either way (a page is never silently lost)."""
    failed = (
        PageNotification.objects.select_related("page__ticket", "agent")
        .filter(message_id=message_id)
        .first()
    )
    if failed is None or failed.agent is None:
        return
    page, order = failed.page, _transports()
    after = order[order.index(failed.transport) + 1 :] if failed.transport in order else []
    next_transport = after[0] if after and page.resolved_at is None else ""
    if next_transport:
        step = Chain.from_json(page.chain).steps[failed.step]
        _page_over(page, step, failed.agent, next_transport, now, instead_of=failed.transport)
    notify.tell_leads_page_failed(
        ticket=page.ticket,
        page=page.pk,
        agent=failed.agent.name,
        transport=failed.transport,
        next_transport=next_transport,
        now=now,
    )


def _page_over(
    page: Page, step: Step, agent: Agent, transport: str, now: datetime, instead_of: str = ""
) -> None:
    message = _send(page, step, agent, transport, now)
    PageNotification.objects.create(
        page=page,
        step=step.number,
        target=step.target,
        agent=agent,
        transport=transport,
        message=message,
        created_at=now,
    )
    timeline.record(
        page.ticket,
        EventKind.PAGE_SENT,
        at=now,
        page=page.pk,
        step=step.number,
        target=step.target.value,
        agent=agent.name,
        transport=transport,
        instead_of=instead_of,
    )


def _transports() -> list[str]:
    """The transports a page tries, in order: PagerDuty when configured, then email."""
    return (["pagerduty"] if getattr(settings, "PAGERDUTY_ROUTING_KEY", "") else []) + ["email"]


def _send(page: Page, step: Step, agent: Agent, transport: str, now: datetime) -> Any:
    key = f"page:{page.pk}:step:{step.number}:agent:{agent.pk}:{transport}"
    if transport == "pagerduty":
        return enqueue_pagerduty(
            key=key,
            event=_pagerduty_trigger(page, step, agent),
            due_at=now,
            max_attempts=settings.PAGE_DELIVERY_ATTEMPTS,
            urgent=True,
        )
    ticket = page.ticket
    link = settings.PUBLIC_BASE_URL + reverse(
        "escalation:acknowledge", args=[ack_token(page, agent)]
    )
    with override(agent.locale):
        subject = _("[%(severity)s] Page: ticket #%(number)s, %(subject)s") % {
            "severity": page.severity,
            "number": ticket.pk,
            "subject": ticket.subject,
        }
        body = "\n".join(
            [
                _("You are paged as %(role)s for ticket #%(number)s (%(severity)s): %(subject)s")
                % {
                    "role": _role_name(step.target),
                    "number": ticket.pk,
                    "severity": page.severity,
                    "subject": ticket.subject,
                },
                "",
                _("Acknowledge: %(link)s") % {"link": link},
                _("Ticket: %(link)s") % {"link": _ticket_url(ticket)},
            ]
        )
    return enqueue_email(
        key=key,
        to=[agent.email],
        subject=subject,
        body=body,
        due_at=now,
        max_attempts=settings.PAGE_DELIVERY_ATTEMPTS,
        urgent=True,
    )


def _ticket_url(ticket: Ticket) -> str:
    return settings.PUBLIC_BASE_URL + reverse("console:ticket", args=[ticket.pk])


def _role_name(target: Target) -> str:
    return {
        Target.PRIMARY: _("on-call primary"),
        Target.SECONDARY: _("on-call secondary"),
        Target.FOUNDER_CTO: _("founder or CTO (a P0 unresolved for 30 minutes)"),
    }[target]


def _dedup_key(page: Page, step_number: int) -> str:
    return f"soporte-page-{page.pk}-step-{step_number}"


def _pagerduty_trigger(page: Page, step: Step, agent: Agent) -> PagerDutyEvent:
    ticket = page.ticket
    url = _ticket_url(ticket)
    return pagerduty_event(
        routing_key=settings.PAGERDUTY_ROUTING_KEY,
        event_action="trigger",
        dedup_key=_dedup_key(page, step.number),
        summary=f"{page.severity}: ticket #{ticket.pk} {ticket.subject}"[:1024],
        source="soporte",
        severity="critical" if page.severity == "P0" else "error",
        timestamp=page.opened_at,
        custom_details={"ticket": ticket.pk, "step": step.target.value, "paged": agent.email},
        links=[{"href": url, "text": f"Ticket #{ticket.pk}"}],
        client="soporte",
        client_url=url,
    )


def _tell_pagerduty(page: Page, action: Action, now: datetime) -> None:
    """Acknowledge or resolve at PagerDuty every incident this page triggered there."""
    triggered = (
        PageNotification.objects.filter(page=page, transport="pagerduty")
        .order_by("step")
        .values_list("step", flat=True)
        .distinct()
    )
    for step in triggered:
        event = pagerduty_event(
            routing_key=settings.PAGERDUTY_ROUTING_KEY,
            event_action=action,
            dedup_key=_dedup_key(page, step),
        )
        key = f"page:{page.pk}:step:{step}:{action}"
        enqueue_pagerduty(key=key, event=event, due_at=now, urgent=True)


def page_of_dedup_key(dedup_key: str) -> Page | None:
    """The page whose trigger carried ``dedup_key`` (``soporte-page-<id>-step-<n>``)."""
    prefix, _sep, rest = dedup_key.partition("soporte-page-")
    page_id = rest.split("-step-", 1)[0]
    if prefix or not page_id.isdigit():
        return None
    return Page.objects.filter(pk=int(page_id)).first()

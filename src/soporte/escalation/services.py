"""Opening, advancing, acknowledging and resolving pages. Each function joins or owns the
transaction that changes the page, its timeline and its outbound notifications together.

The page's next look is one timer row in ``jobs`` (kind ``page.advance``, key
``page:<id>:at:<when>``): ``advance`` fires what is due, stops what can no longer fire, and moves
the timer to the next due step. Acknowledging or resolving advances the page at once, which
cancels the timers of the steps that will not fire any more.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from soporte.accounts.models import Agent, Role
from soporte.escalation import transports
from soporte.escalation.domain import (
    Chain,
    PageState,
    Step,
    Target,
    chain_for,
    next_steps,
    replan,
)
from soporte.escalation.models import Page, PageNotification
from soporte.escalation.selectors import may_acknowledge
from soporte.escalation.signals import founder_cto_paged
from soporte.jobs import services as jobs
from soporte.notify import services as notify
from soporte.notify.transports.pagerduty import (
    Action,
    PagerDutyEvent,
    enqueue_pagerduty,
    pagerduty_event,
)
from soporte.oncall.selectors import paging_rotation, who_is_on_call
from soporte.policy import default_policy
from soporte.policy.durations import Basis
from soporte.policy.durations import Target as Duration
from soporte.public import public_url
from soporte.tickets import timeline
from soporte.tickets.models import EventKind, Ticket

ADVANCE = "page.advance"
ACK_SALT = "soporte.escalation.acknowledge"
ACK_LINK_MAX_AGE = 24 * 3600  # seconds a page's acknowledge link stays valid


GAP = "gap"
"""The target of the pages that report a step nobody held to the leads and the founder."""


class PageError(ValueError):
    """A change the page cannot take; the message says why."""


class NotAllowed(PageError):
    """The agent may not acknowledge this page (READING §9); a 403 wherever it is asked."""


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


def follow_severity(*, ticket: Ticket, at: datetime) -> Page | None:
    """The ticket's severity changed: its open page (if any) takes the new severity, and its
    chain gains or loses the founder/CTO step as READING §9 says (a timeline event when it
    does). The rest of the snapshot holds."""
    with transaction.atomic():
        page = _open_page_of(ticket, lock=True)
        if page is None:
            return None
        page.ticket = ticket
        chain = Chain.from_json(page.chain)
        policy = default_policy()
        founder_cto_after = policy.escalation.founder_cto_after
        planned = replan(
            chain,
            severity=ticket.severity,
            page_opened_at=page.opened_at,
            ticket_opened_at=ticket.opened_at,
            founder_cto_after=_wall(founder_cto_after, "escalation.founder_cto_after"),
            done=frozenset(page.done_steps),
        )
        page.severity = ticket.severity
        page.chain = planned.as_json()
        page.save(update_fields=["severity", "chain"])
        if planned != chain:
            founder = [s for s in planned.steps if s.target is Target.FOUNDER_CTO]
            timeline.record(
                ticket,
                EventKind.PAGE_REPLANNED,
                at=at,
                page=page.pk,
                severity=ticket.severity,
                founder_cto_at=(page.opened_at + founder[0].after)
                .astimezone(policy.calendar.zone)
                .isoformat()
                if founder
                else None,
            )
        return _advance_locked(page, at)


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
    pending = {step.target for step in chain.steps if step.number not in state.done}
    holders = _holders(page, pending, now)
    vacant = frozenset(target for target, agents in holders.items() if not agents)
    plan = next_steps(chain, state, now, vacant)
    for step in plan.skip:
        _report_gap(page, step, now)
    for step in plan.fire:
        for agent in holders[step.target]:
            _page(page, step.number, step.target.value, agent, now)
        if step.target is Target.FOUNDER_CTO and holders[step.target]:
            founder_cto_paged.send(sender=Page, ticket=page.ticket, page=page, at=now)
    done = set(page.done_steps) | {s.number for s in (*plan.fire, *plan.never, *plan.skip)}
    page.done_steps = sorted(done)
    _move_timer(page, plan.wake_at, now)
    page.save(update_fields=["done_steps", "wake_at"])
    return page


def acknowledge(
    *,
    page: Page,
    agent: Agent | None,
    via: str,
    at: datetime,
    reported_at: datetime | None = None,
) -> Page:
    """``agent`` acknowledges at ``at`` (None: someone PagerDuty did not name): the secondary
    is not paged. ``reported_at`` is when the sender says it happened, recorded as theirs.
    Idempotent; a resolved page stays as it is. ``NotAllowed`` for an agent who may not
    (PagerDuty's word is taken: it acknowledges only what it paged)."""
    if agent is not None and via != "pagerduty" and not may_acknowledge(page, agent):
        raise NotAllowed(
            _("%(name)s may not acknowledge this page: it did not go to them or their rotation.")
            % {"name": agent.name}
        )
    with transaction.atomic():
        page = Page.objects.select_for_update(of=("self",)).select_related("ticket").get(pk=page.pk)
        if page.acknowledged_at is not None or page.resolved_at is not None:
            return page
        page.acknowledged_at, page.acknowledged_by, page.acknowledged_via = at, agent, via
        page.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledged_via"])
        reported = {"reported_at": reported_at.isoformat()} if reported_at else {}
        timeline.record(
            page.ticket,
            EventKind.PAGE_ACKNOWLEDGED,
            at=at,
            actor=agent,
            page=page.pk,
            via=via,
            **reported,
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


def _holders(page: Page, targets: set[Target], now: datetime) -> dict[Target, list[Agent]]:
    """Who each of ``targets`` (those of the steps still to come) pages at ``now``: the
    rotation's primary or secondary then, or the founder and the CTO (an empty list: nobody
    holds it). Only what is asked for is read: an advance after the founder/CTO step reads no
    founder, one after the rotation's steps no rotation."""
    holders: dict[Target, list[Agent]] = {}
    if Target.FOUNDER_CTO in targets:
        founder_cto = Agent.objects.filter(role__in=[Role.FOUNDER, Role.CTO], user__is_active=True)
        holders[Target.FOUNDER_CTO] = sorted(
            founder_cto.select_related("user"), key=lambda a: (a.role != Role.FOUNDER, a.pk)
        )
    rotation_targets = targets & {Target.PRIMARY, Target.SECONDARY}
    if rotation_targets:
        on_call = who_is_on_call(rotation=page.rotation, at=now) if page.rotation else None
        held = {
            Target.PRIMARY: on_call.primary if on_call else None,
            Target.SECONDARY: on_call.secondary if on_call else None,
        }
        for target in rotation_targets:
            agent = held[target]
            holders[target] = [agent] if agent is not None else []
    return holders


def _report_gap(page: Page, step: Step, now: datetime) -> None:
    """Nobody holds the step's target: the step is skipped, and the gap is itself an incident
    (READING §5, §9): the leads (and, for a P0, the founder) are paged over the paging
    transports, and hear of it in the console."""
    ticket = page.ticket
    PageNotification.objects.create(page=page, step=step.number, target=step.target, created_at=now)
    timeline.record(
        ticket,
        EventKind.PAGE_SKIPPED,
        at=now,
        page=page.pk,
        step=step.number,
        target=step.target.value,
    )
    notify.tell_leads_nobody_on_call(ticket=ticket, page=page.pk, step=step.target, now=now)
    told = Agent.objects.filter(role=Role.LEAD, user__is_active=True)
    if page.severity == "P0":
        told |= Agent.objects.filter(role=Role.FOUNDER, user__is_active=True)
    for agent in told.select_related("user").order_by("pk"):
        _page(page, step.number, GAP, agent, now)


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
    page = failed.page
    alert = _alert(page, failed.step, failed.target, failed.agent, now)
    order = transports.usable(alert)
    names = [t.name for t in order]
    after = order[names.index(failed.transport) + 1 :] if failed.transport in names else []
    following = after[0] if after and page.resolved_at is None else None
    next_transport = following.name if following else ""
    timeline.record(
        page.ticket,
        EventKind.PAGE_FAILED,
        at=now,
        page=page.pk,
        step=failed.step,
        target=failed.target,
        agent=failed.agent.name,
        transport=failed.transport,
        next_transport=next_transport,
    )
    if following is not None:
        _page_over(page, failed.step, failed.target, alert, following, instead_of=failed.transport)
    notify.tell_leads_page_failed(
        ticket=page.ticket,
        page=page.pk,
        agent=failed.agent.name,
        transport=failed.transport,
        next_transport=next_transport,
        now=now,
    )


def _page(page: Page, step: int, role: str, agent: Agent, now: datetime) -> None:
    """Page ``agent`` as ``role`` (a step's target, or ``GAP``) for step number ``step``, over
    the first transport that reaches them (the policy's order). None does: the page is
    recorded as failed and the leads hear of it (a page is never lost silently)."""
    alert = _alert(page, step, role, agent, now)
    usable = transports.usable(alert)
    if usable:
        _page_over(page, step, role, alert, usable[0])
        return
    PageNotification.objects.create(
        page=page, step=step, target=role, agent=agent, transport="", created_at=now
    )
    timeline.record(
        page.ticket,
        EventKind.PAGE_FAILED,
        at=now,
        page=page.pk,
        step=step,
        target=role,
        agent=agent.name,
        transport="",
        next_transport="",
    )
    notify.tell_leads_page_failed(
        ticket=page.ticket,
        page=page.pk,
        agent=agent.name,
        transport="—",
        next_transport="",
        now=now,
    )


def _page_over(
    page: Page,
    step: int,
    role: str,
    alert: transports.Alert,
    transport: transports.Transport,
    instead_of: str = "",
) -> None:
    """Send ``alert`` (the page of step number ``step`` as ``role``) over ``transport``."""
    agent, now = alert.agent, alert.due_at
    message = transport.send(replace(alert, key=f"{alert.key}:{transport.name}"))
    PageNotification.objects.create(
        page=page,
        step=step,
        target=role,
        agent=agent,
        transport=transport.name,
        message=message,
        created_at=now,
    )
    timeline.record(
        page.ticket,
        EventKind.PAGE_SENT,
        at=now,
        page=page.pk,
        step=step,
        target=role,
        agent=agent.name,
        transport=transport.name,
        instead_of=instead_of,
    )


def _alert(page: Page, step: int, role: str, agent: Agent, now: datetime) -> transports.Alert:
    """The page to ``agent``, in their language, for every transport (its outbox key lacks
    the transport's name, which ``_page_over`` adds)."""
    ticket = page.ticket
    token = ack_token(page, agent)
    link = public_url(reverse("escalation:acknowledge", args=[token]))
    runbook = default_policy().oncall.runbook_url
    with override(agent.locale):
        read = _("Runbook: %(link)s") % {"link": runbook} if runbook else ""
        subject = _("[%(severity)s] Page: ticket #%(number)s, %(subject)s") % {
            "severity": page.severity,
            "number": ticket.pk,
            "subject": ticket.subject,
        }
        body = "\n".join(
            [
                _("You are paged as %(role)s for ticket #%(number)s (%(severity)s): %(subject)s")
                % {
                    "role": _role_name(role),
                    "number": ticket.pk,
                    "severity": page.severity,
                    "subject": ticket.subject,
                },
                "",
                _("Acknowledge: %(link)s") % {"link": link},
                _("Ticket: %(link)s") % {"link": _ticket_url(ticket)},
                *([read] if read else []),
            ]
        )
    paged_at_pagerduty = bool(settings.PAGERDUTY_ROUTING_KEY)
    return transports.Alert(
        key=f"page:{page.pk}:{_kind(role)}:{step}:agent:{agent.pk}",
        agent=agent,
        subject=subject,
        body=body,
        short=transports.short_text(subject, f"{link} {read}".strip()),
        due_at=now,
        max_attempts=settings.PAGE_DELIVERY_ATTEMPTS,
        ack_link=link,
        runbook_link=runbook,
        voice_ack_url=public_url(reverse("voice:page_ack")) + "?" + urlencode({"t": token}),
        pagerduty=_pagerduty_trigger(page, step, role, agent) if paged_at_pagerduty else None,
    )


def _ticket_url(ticket: Ticket) -> str:
    return public_url(reverse("console:ticket", args=[ticket.pk]))


def _role_name(role: str) -> str:
    return {
        Target.PRIMARY: _("on-call primary"),
        Target.SECONDARY: _("on-call secondary"),
        Target.FOUNDER_CTO: _("founder or CTO (a P0 unresolved for 30 minutes)"),
        GAP: _("team lead or founder (nobody on call for a step)"),
    }[role]


def _kind(role: str) -> str:
    """``gap`` for the pages that report a skipped step, ``step`` for the chain's own."""
    return GAP if role == GAP else "step"


def _dedup_key(page: Page, step_number: int, role: str) -> str:
    return f"soporte-page-{page.pk}-{_kind(role)}-{step_number}"


def _pagerduty_trigger(page: Page, step: int, role: str, agent: Agent) -> PagerDutyEvent:
    ticket = page.ticket
    url = _ticket_url(ticket)
    return pagerduty_event(
        routing_key=settings.PAGERDUTY_ROUTING_KEY,
        event_action="trigger",
        dedup_key=_dedup_key(page, step, role),
        summary=f"{page.severity}: ticket #{ticket.pk} {ticket.subject}"[:1024],
        source="soporte",
        severity="critical" if page.severity == "P0" else "error",
        timestamp=page.opened_at,
        custom_details={"ticket": ticket.pk, "step": role, "paged": agent.email},
        links=[{"href": url, "text": f"Ticket #{ticket.pk}"}, *_runbook_links()],
        client="soporte",
        client_url=url,
    )


def _runbook_links() -> list[dict[str, str]]:
    runbook = default_policy().oncall.runbook_url
    return [{"href": runbook, "text": "Runbook"}] if runbook else []


def _tell_pagerduty(page: Page, action: Action, now: datetime) -> None:
    """Acknowledge or resolve at PagerDuty every incident this page triggered there."""
    triggered = (
        PageNotification.objects.filter(page=page, transport="pagerduty")
        .order_by("step", "target")
        .values_list("step", "target")
        .distinct()
    )
    incidents = sorted({(_kind(role), step, role) for step, role in triggered})
    for kind, step, role in incidents:
        event = pagerduty_event(
            routing_key=settings.PAGERDUTY_ROUTING_KEY,
            event_action=action,
            dedup_key=_dedup_key(page, step, role),
        )
        key = f"page:{page.pk}:{kind}:{step}:{action}"
        enqueue_pagerduty(key=key, event=event, due_at=now, urgent=True)


def page_of_dedup_key(dedup_key: str) -> Page | None:
    """The page whose trigger carried ``dedup_key`` (``soporte-page-<id>-step-<n>``, or
    ``-gap-<n>`` for a skipped step paged to the leads)."""
    prefix, _sep, rest = dedup_key.partition("soporte-page-")
    page_id = rest.split("-", 1)[0]
    if prefix or not page_id.isdigit():
        return None
    return Page.objects.filter(pk=int(page_id)).first()

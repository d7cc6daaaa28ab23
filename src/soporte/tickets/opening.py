"""The rows opening tickets writes, for one ticket (``services.open_ticket``) or thousands at
once (``tickets.bulk``): one builder, so the rules live in one place.

Rows are mappings of a table's values by field name, without the key (what
``soporte.db.insert.insert_rows`` writes, checking the names). Later rows name keys the database
gives earlier ones, so a batch is built in steps, the caller writing each part (or reserving its
keys) before the next:

1. ``Opening(policy, now=...).batch(specs, pages=...)``: routes and clocks; ``batch.tickets``;
2. ``batch.clocks(numbers)``: the clocks, given the ticket numbers (and what the CSMs hear:
   ``batch.outbox_count`` is then known);
3. ``batch.rest(clock_ids)``: messages, timeline, timers, acknowledgement emails and the
   CSMs' notifications with their email copies;
4. ``batch.deliveries(outbox_ids)``: the jobs that send those emails.

An ``Opening`` remembers what depends on few inputs (routes, intake summaries, event data, the
acknowledgement's wording), so a long load computes each once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.db import DEFAULT_DB_ALIAS, models

from soporte.accounts.models import Agent, Contact
from soporte.jobs.models import Job, OutboxMessage
from soporte.jobs.outbox import delivery, email_payload, new_message_id
from soporte.notify import services as notify
from soporte.policy import Policy
from soporte.sla import services as sla
from soporte.sla.models import Clock
from soporte.text import one_line
from soporte.tickets import replies, sanitize
from soporte.tickets.acknowledgement import FirstClock, Received, acknowledgements
from soporte.tickets.domain import routing
from soporte.tickets.domain.intake import Intake, IntakeField
from soporte.tickets.models import AuthorKind, EventKind, MessageKind, Status, Ticket
from soporte.tickets.selectors import MessageKey
from soporte.tickets.signals import tickets_opened

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class TicketSpec:
    """The arguments of one ``services.open_ticket`` call (without uploads)."""

    requester: Contact
    channel: str
    severity: str
    subject: str
    body: str
    received_at: datetime
    intake: Intake = field(default_factory=Intake)
    body_is_html: bool = False
    key: MessageKey | None = None
    acknowledge_by_email: bool = True
    """False: the acknowledgement stays in the conversation but no email carries it (the
    email channel's RFC 3834 limit on auto-replies)."""


M = TypeVar("M", bound=models.Model)


def instance(model: type[M], row: Row, pk: int | None = None) -> M:
    """The model instance of ``row``: saved with key ``pk``, or unsaved without one."""
    if pk is None:
        return model(**row)
    names = [f.attname for f in model._meta.concrete_fields]
    return model.from_db(DEFAULT_DB_ALIAS, names, [pk, *(row[name] for name in names[1:])])


def _defaults(model: type[models.Model], *names: str) -> Row:
    """The model's defaults for ``names``: what a new row holds there."""
    fields = {f.name: f for f in model._meta.concrete_fields}
    return {fields[name].attname: fields[name].get_default() for name in names}


_NEW = str(Status.NEW.value)
_CLOCK_DEFAULTS = _defaults(Clock, "fulfilled_at", "warned_at", "breached_at", "version")
_FRESH = int(_CLOCK_DEFAULTS["version"])
_JOB = {
    **_defaults(
        Job,
        "status",
        "attempts",
        "max_attempts",
        "urgent",
        "lease_until",
        "locked_by",
        "last_error",
    ),
    "finished_at": None,
}
_OUTBOX = {**_defaults(OutboxMessage, "status", "attempts", "last_error"), "sent_at": None}
_PUBLIC, _INTERNAL = str(MessageKind.PUBLIC.value), str(MessageKind.INTERNAL.value)
_CUSTOMER, _AGENT, _SYSTEM = (
    str(AuthorKind.CUSTOMER.value),
    str(AuthorKind.AGENT.value),
    str(AuthorKind.SYSTEM.value),
)
_CREATED, _STARTED, _ACKNOWLEDGED, _PAGE_REQUESTED = (
    str(kind.value)
    for kind in (
        EventKind.CREATED,
        EventKind.CLOCK_STARTED,
        EventKind.ACKNOWLEDGED,
        EventKind.PAGE_REQUESTED,
    )
)
PAGE_REASON = "p0_opened"


def message(
    number: int,
    author: Agent | Contact,
    body: str,
    body_is_html: bool,
    at: datetime,
    key: MessageKey | None,
    public: bool = True,
) -> Row:
    """A message's row: a new ticket's first, a reply or an internal note (``services.reply``)."""
    agent = author if isinstance(author, Agent) else None
    return {
        "ticket_id": number,
        "kind": _PUBLIC if public else _INTERNAL,
        "author_kind": _AGENT if agent else _CUSTOMER,
        "author_contact_id": author.pk if isinstance(author, Contact) else None,
        "author_agent_id": agent.pk if agent else None,
        "author_tier": agent.tier if agent else "",
        "body": sanitize.from_html(body) if body_is_html else sanitize.from_text(body),
        "provider_scope": key.scope if key else "",
        "provider_id": key.id if key else None,
        "created_at": at,
        "email_message_id": None,
        "quoted": "",
    }


def event(
    number: int, kind: str, data: dict[str, Any], at: datetime, contact: int | None = None
) -> Row:
    """A timeline event's row (by the system, or by contact ``contact``)."""
    return {
        "ticket_id": number,
        "kind": kind,
        "actor_agent_id": None,
        "actor_contact_id": contact,
        "data": data,
        "at": at,
    }


def job(kind: str, key: str, payload: dict[str, Any], due_at: datetime, now: datetime) -> Row:
    """A new pending job's row, created at ``now``."""
    return {
        "kind": kind,
        "key": key,
        "payload": payload,
        "due_at": due_at,
        **_JOB,
        "created_at": now,
    }


def email(key: str, payload: dict[str, Any], now: datetime) -> Row:
    """A new outbox email's row (``payload``: what ``jobs.outbox.enqueue_email`` writes)."""
    return {
        "transport": "email",
        "idempotency_key": key,
        "payload": payload,
        **_OUTBOX,
        "created_at": now,
    }


def page_data(reason: str, severity: str) -> dict[str, Any]:
    """The data of a ``page requested`` event."""
    return {"reason": reason, "severity": severity}


@dataclass(slots=True)
class Rest:
    """Steps 3's rows: every row of the batch but its tickets, clocks and delivery jobs."""

    messages: list[Row] = field(default_factory=list)
    """Per ticket, the customer's message, then the acknowledgement."""
    events: list[Row] = field(default_factory=list)
    timers: list[Row] = field(default_factory=list)
    notifications: list[Row] = field(default_factory=list)
    """The CSM's notices (``notify.csm_notice``)."""
    outbox: list[Row] = field(default_factory=list)
    """The acknowledgements, then the email copies of the notices."""

    @property
    def emails(self) -> list[str]:
        """The outbox rows' idempotency keys, in order (``deliveries`` names them)."""
        return [row["idempotency_key"] for row in self.outbox]


class Opening:
    """Builds new tickets' rows under one policy; ``now`` stamps creation times."""

    def __init__(self, policy: Policy, *, now: datetime) -> None:
        self.policy = policy
        self.now = now
        self._routes: dict[tuple[str, str, str], routing.Route] = {}
        self._intakes: dict[Intake, tuple[tuple[IntakeField, ...], int]] = {}
        self._data: dict[tuple[Any, ...], dict[str, Any]] = {}

    def route(self, spec: TicketSpec) -> routing.Route:
        """``routing.route_new_ticket`` for the spec (it depends on three codes only); raises
        ``policy.UnknownCode``."""
        plan = spec.requester.organisation.plan
        key = (plan, spec.channel, spec.severity)
        route = self._routes.get(key)
        if route is None:
            route = routing.route_new_ticket(
                self.policy, plan=plan, channel=spec.channel, severity=spec.severity
            )
            self._routes[key] = route
        return route

    def batch(self, specs: Sequence[TicketSpec], *, pages: Sequence[bool]) -> Batch:
        """Step 1. ``pages[i]``: the ticket requests a page when its route pages (a caller may
        decide that an imported ticket does not, READING.md §23)."""
        return Batch(self, specs, pages)

    def intake(self, intake: Intake) -> tuple[tuple[IntakeField, ...], int]:
        """The intake's missing fields and completeness."""
        known = self._intakes.get(intake)
        if known is None:
            known = self._intakes[intake] = (tuple(intake.missing()), intake.completeness)
        return known

    def data(self, key: tuple[Any, ...], make: dict[str, Any]) -> dict[str, Any]:
        """One shared event document per ``key`` (the writer serialises it once per batch)."""
        return self._data.setdefault(key, make)


class Batch:
    """The rows of opening ``specs``; see the module docstring for the steps."""

    def __init__(self, opening: Opening, specs: Sequence[TicketSpec], pages: Sequence[bool]):
        if len(pages) != len(specs):
            raise ValueError(f"pages: expected {len(specs)} flags, got {len(pages)}")
        policy, now = opening.policy, opening.now
        self.opening = opening
        self.specs = specs
        self.routes = [opening.route(spec) for spec in specs]
        self.pages = [
            route.pages and wanted for route, wanted in zip(self.routes, pages, strict=True)
        ]
        given = [spec.intake.tidy() for spec in specs]
        self.intakes = [opening.intake(intake) for intake in given]
        self.subjects = [one_line(spec.subject, limit=200) or "(no subject)" for spec in specs]
        self.clock_values: list[list[sla.NewClock]] = []
        self.tickets: list[Row] = []
        """Step 1's rows."""
        for spec, intake, route, (_, completeness), subject in zip(
            specs, given, self.routes, self.intakes, self.subjects, strict=True
        ):
            requester, at = spec.requester, spec.received_at
            organisation = requester.organisation
            clocks = sla.new_clocks(
                policy,
                plan=organisation.plan,
                severity=route.severity,
                channel=spec.channel,
                opened_at=at,
            )
            self.clock_values.append(clocks)
            self.tickets.append(
                {
                    "organisation_id": organisation.pk,
                    "requester_id": requester.pk,
                    "subject": subject,
                    "channel": spec.channel,
                    "severity": route.severity,
                    "status": _NEW,
                    "tier": route.tier,
                    "assignee_id": None,
                    "intake_organisation_id": intake.organisation_id,
                    "intake_url": intake.url,
                    "intake_expected": intake.expected,
                    "intake_actual": intake.actual,
                    "intake_browser_os": intake.browser_os,
                    "intake_started_at": intake.started_at,
                    "intake_still_happening": intake.still_happening,
                    "completeness": completeness,
                    "plan": organisation.plan,
                    "policy_version": policy.version,
                    "channel_entitled": route.entitled,
                    "opened_at": at,
                    "next_due_at": min(c.due_at for c in clocks),
                    "first_replied_at": None,
                    "solved_at": None,
                    "updated_at": now,
                }
            )
        self.numbers: list[int] = []
        self.notices: list[notify.Notice | None] = []

    def announce(self) -> None:
        """Tell the apps that keep something per new ticket (``signals.tickets_opened``), once
        the tickets are written (after step 2: ``self.numbers`` is known)."""
        tickets_opened.send(
            sender=Ticket,
            numbers=self.numbers,
            subjects=self.subjects,
            bodies=[spec.body for spec in self.specs],
            received=[spec.received_at for spec in self.specs],
            now=self.opening.now,
        )

    def clocks(self, numbers: Sequence[int]) -> list[Row]:
        """Step 2: the clock rows of tickets ``numbers`` (in order)."""
        if len(numbers) != len(self.specs):
            raise ValueError(f"numbers: expected {len(self.specs)}, got {len(numbers)}")
        self.numbers = list(numbers)
        self.notices = [
            notify.csm_notice(
                organisation=spec.requester.organisation,
                number=number,
                severity=route.severity,
                plan=spec.requester.organisation.plan,
                subject=subject,
                policy=self.opening.policy,
            )
            for spec, number, route, subject in zip(
                self.specs, numbers, self.routes, self.subjects, strict=True
            )
        ]
        version = self.opening.policy.version
        return [
            {"ticket_id": number, **clock._asdict(), **_CLOCK_DEFAULTS, "policy_version": version}
            for number, clocks in zip(numbers, self.clock_values, strict=True)
            for clock in clocks
        ]

    def rest(self, clock_ids: Sequence[int]) -> Rest:
        """Step 3, given the keys of step 2's clocks (in order)."""
        opening = self.opening
        policy, now = opening.policy, opening.now
        ids = iter(clock_ids)
        rest = Rest()
        received: list[Received] = []
        for spec, number, route, clocks, (missing, completeness), paged in zip(
            self.specs,
            self.numbers,
            self.routes,
            self.clock_values,
            self.intakes,
            self.pages,
            strict=True,
        ):
            requester, at = spec.requester, spec.received_at
            rest.messages.append(
                message(number, requester, spec.body, spec.body_is_html, at, spec.key)
            )
            channel, severity, tier = spec.channel, route.severity, route.tier
            plan = "" if route.entitled else requester.organisation.plan
            created = opening.data(
                (_CREATED, channel, severity, tier, completeness, plan),
                {
                    "channel": channel,
                    "severity": severity,
                    "tier": tier,
                    "completeness": completeness,
                }
                | ({"email_grade_plan": plan} if plan else {}),
            )
            events = rest.events
            events.append(event(number, _CREATED, created, at, contact=requester.pk))
            first = None
            for clock in clocks:
                pk = next(ids)
                rest.timers += [
                    job(kind, key, payload, due_at, now)
                    for kind, key, due_at, payload in sla.new_timers(
                        pk, _FRESH, warn_at=clock.warn_at, breach_after=clock.breach_after
                    )
                ]
                events.append(event(number, _STARTED, sla.started_data(clock, policy), at))
                if first is None and clock.kind == "first_response":
                    first = FirstClock(clock.basis, clock.target, clock.due_at)
            missed = opening.data((_ACKNOWLEDGED, missing), {"missing": [f.value for f in missing]})
            events.append(event(number, _ACKNOWLEDGED, missed, at))
            if paged:
                requested = opening.data(
                    (_PAGE_REQUESTED, severity), page_data(PAGE_REASON, severity)
                )
                events.append(event(number, _PAGE_REQUESTED, requested, at))
            received.append(
                Received(
                    number=number,
                    subject=self.subjects[len(received)],
                    name=requester.name,
                    lang=requester.locale,
                    zone=ZoneInfo(requester.time_zone),
                    first=first,
                    plan=requester.organisation.plan,
                    channel=channel,
                    entitled=route.entitled,
                    missing=missing,
                    received_at=at,
                )
            )
        letters = acknowledgements(received, policy)
        for spec, number, subject, (title, body) in zip(
            self.specs, self.numbers, self.subjects, letters, strict=True
        ):
            address = spec.requester.email
            thread = new_message_id() if address else None  # the root of the ticket's thread
            markup = sanitize.from_text(body)
            rest.messages.append(
                {
                    "ticket_id": number,
                    "kind": _PUBLIC,
                    "author_kind": _SYSTEM,
                    "author_contact_id": None,
                    "author_agent_id": None,
                    "author_tier": "",
                    "body": markup,
                    "provider_scope": "",
                    "provider_id": None,
                    "created_at": spec.received_at,
                    "email_message_id": thread,
                    "quoted": "",
                }
            )
            if address and thread and spec.acknowledge_by_email:
                emailed = spec.key is not None and spec.key.scope == replies.EMAIL_SCOPE
                ack = replies.acknowledgement(
                    number,
                    subject=title,
                    body=body,
                    markup=markup,
                    lang=spec.requester.locale,
                    ticket_subject=subject,
                    message_id=thread,
                    answers=spec.key.id if emailed and spec.key else None,
                )
                payload = email_payload(
                    to=[address], subject=ack.subject, body=body, html=ack.html, headers=ack.headers
                )
                rest.outbox.append(email(f"ack:{number}", payload, now))
        self._csm_notices(rest)
        return rest

    def outbox_count(self) -> int:
        """How many outbox rows step 3 writes (after step 2): acknowledgements and copies."""
        acks = sum(1 for spec in self.specs if spec.requester.email and spec.acknowledge_by_email)
        return acks + sum(1 for n in self.notices if n is not None and n.email_copy())

    def _csm_notices(self, rest: Rest) -> None:
        """What ``notify.tell_csm`` writes for each new ticket (step 2's ``notify.csm_notice``):
        a notification, and its email copy if the CSM has an address."""
        now = self.opening.now
        for number, notice in zip(self.numbers, self.notices, strict=True):
            if notice is None:
                continue
            rest.notifications.append(
                {
                    "agent_id": notice.agent.pk,
                    "ticket_id": number,
                    "event": notice.event,
                    "key": notice.key,
                    "title": notice.title,
                    "titles": notice.titles,
                    "created_at": now,
                    "read_at": None,
                }
            )
            copy = notice.email_copy()
            if copy is not None:
                rest.outbox.append(email(*copy, now))

    def deliveries(self, outbox_ids: Sequence[int], emails: Sequence[str]) -> list[Row]:
        """Step 4: the delivery jobs of the outbox rows ``outbox_ids`` (keys ``emails``), due
        now (``jobs.outbox.delivery``)."""
        now = self.opening.now
        return [
            {**delivery(pk, key, due_at=now)._asdict(), **_JOB, "created_at": now}
            for pk, key in zip(outbox_ids, emails, strict=True)
        ]

    def ticket(self, i: int) -> Ticket:
        """The saved ``Ticket`` of the ``i``-th spec (after step 2), its requester and
        organisation attached."""
        ticket = instance(Ticket, self.tickets[i], self.numbers[i])
        requester = self.specs[i].requester
        ticket.organisation = requester.organisation
        ticket.requester = requester
        return ticket

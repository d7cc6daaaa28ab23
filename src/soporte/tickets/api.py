"""Tickets over HTTP: create, queue, read, change, escalate; messages and attachments.

Every read goes through :mod:`soporte.tickets.selectors` with the caller; a ticket the caller
may not see is answered exactly like one that does not exist (404).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any, Literal
from uuid import UUID

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field, StringConstraints

from soporte.accounts.models import Agent, Contact, Plan, Tier, email_is
from soporte.api import (
    CLEAN,
    NOT_BLANK,
    ONE_LINE,
    PEOPLE,
    BodyRowId,
    Flag,
    Forbidden,
    Input,
    Instant,
    Limit,
    NotFound,
    Offset,
    Page,
    RowId,
    actor_of,
    agent_or_403,
    agents_only,
    caller,
    errors,
    field_error,
)
from soporte.db.prepared import Prepared
from soporte.sla.selectors import ClockView, clock_views
from soporte.tickets import attachments, selectors, services
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import (
    Attachment,
    AuthorKind,
    Channel,
    Message,
    MessageKind,
    Severity,
    Ticket,
)
from soporte.tickets.models import Status as TicketStatus

router = Router(tags=["tickets"])
attachments_router = Router(tags=["attachments"])

Subject = Annotated[
    str, StringConstraints(min_length=1, max_length=200), CLEAN, ONE_LINE, NOT_BLANK
]
Body = Annotated[str, StringConstraints(min_length=1, max_length=50_000), CLEAN, NOT_BLANK]
Email = Annotated[
    str,
    StringConstraints(min_length=3, max_length=254),
    CLEAN,
    Field(json_schema_extra={"format": "email"}),
]
Reason = Annotated[str, StringConstraints(max_length=1000), CLEAN]
ExternalId = Annotated[str, StringConstraints(min_length=1, max_length=255), CLEAN, NOT_BLANK]

RECEIVED_AT_PAST = timedelta(days=366)
RECEIVED_AT_FUTURE = timedelta(minutes=5)


# ----------------------------------------------------------------------- schemas


class IntakeIn(Input):
    """The seven fields of "What to include in a ticket" (the screenshot is an attachment)."""

    organisation_id: Annotated[str, StringConstraints(max_length=64), CLEAN, ONE_LINE] = ""
    url: Annotated[str, StringConstraints(max_length=500), CLEAN, ONE_LINE] = ""
    expected: Annotated[str, StringConstraints(max_length=10_000), CLEAN] = ""
    actual: Annotated[str, StringConstraints(max_length=10_000), CLEAN] = ""
    browser_os: Annotated[str, StringConstraints(max_length=200), CLEAN, ONE_LINE] = ""
    started_at: Annotated[
        str,
        StringConstraints(max_length=100),
        CLEAN,
        ONE_LINE,
        Field(description="When it started, with the time zone, as the customer said it."),
    ] = ""
    still_happening: Literal["", "yes", "no"] = ""


class IntakeOut(IntakeIn):
    has_screenshot: bool


class TicketCreate(Input):
    """A new ticket. Agents and integrations open it on behalf of a contact (``requester_id``
    or ``requester_email``); a signed-in contact opens it for themselves (portal channel)."""

    subject: Subject
    body: Body = Field(description="The customer's description, plain text.")
    severity: Severity
    channel: Channel | None = Field(
        None, description="Default: portal for contacts, email for agents and integrations."
    )
    requester_id: BodyRowId | None = None
    requester_email: Email | None = None
    intake: IntakeIn = IntakeIn()
    received_at: Instant | None = Field(
        None,
        description="When the channel received it (agents only; default: now; at most "
        "one year ago).",
    )
    external_id: ExternalId | None = Field(
        None,
        description="The channel's or client's message id, unique within the caller's "
        "organisation (contacts) or account (agents and integrations): a retry with the same "
        "id returns the ticket already made, or 409 when the caller may no longer see it.",
    )


class OrganisationRef(Schema):
    id: UUID
    name: str
    plan: Plan


class PersonRef(Schema):
    id: int
    name: str
    email: str


class ClockOut(Schema):
    kind: Literal["first_response", "channel_response"]
    target: str = Field(description="The policy's words: `4 bh`, `15 min 24/7`, `same bd`.")
    basis: str
    started_at: datetime
    due_at: datetime
    status: Literal["on_track", "at_risk", "breached", "met", "missed"]
    remaining_seconds: int = Field(
        description="Business (or, for 24/7 targets, wall-clock) seconds left; negative once "
        "breached."
    )
    fulfilled_at: datetime | None


class TicketOut(Schema):
    id: int = Field(description="The ticket number.")
    subject: str
    organisation: OrganisationRef
    requester: PersonRef
    channel: Channel
    severity: Severity
    status: TicketStatus
    tier: Tier
    plan: Plan
    assignee: PersonRef | None
    completeness: int = Field(description="How many of the seven intake fields were given.")
    channel_entitled: bool
    opened_at: datetime
    next_due_at: datetime | None = Field(description="Earliest due time of the running clocks.")
    first_replied_at: datetime | None
    solved_at: datetime | None
    updated_at: datetime = Field(
        description="When anything last happened to the ticket (its latest timeline event)."
    )


class TicketDetail(TicketOut):
    intake: IntakeOut
    missing_intake: list[str]
    policy_version: str
    clocks: list[ClockOut]


COUNT_AHEAD = 1000
"""How far past the end of a page the ticket list counts (see ``TicketPage.count``)."""


class TicketPage(Page):
    count: int = Field(
        description=(
            "How many tickets match, counted up to "
            f"{COUNT_AHEAD:,} past the end of this page (offset + limit + {COUNT_AHEAD:,}): "
            "exact when `count_exact` is true, otherwise a lower bound. A queue can hold "
            "hundreds of thousands of tickets; counting all of them on every request would "
            "read them all."
        )
    )
    count_exact: bool = Field(
        description="Whether `count` is every matching ticket (false: at least that many)."
    )
    items: list[TicketOut]


class QueueQuery(Schema):
    tier: Tier | None = None
    mine: bool = Field(False, description="Only tickets assigned to me (agents).")
    severity: Severity | None = None
    plan: Plan | None = None
    channel: Channel | None = None
    status: TicketStatus | None = Field(None, description="Default: every unresolved status.")
    updated_since: Instant | None = Field(
        None,
        description="Only tickets whose `updated_at` is at or after this instant (with its "
        "time zone). `updated_at` moves on every change: replies, notes, severity, status, "
        "assignment, escalation, clocks, pages.",
    )
    limit: Limit = 50
    offset: Offset = 0


class TicketUpdate(Input):
    """Only the fields sent change. Contacts may only set ``status`` to solved or open."""

    severity: Severity | None = None
    status: TicketStatus | None = None
    assignee_id: BodyRowId | None = Field(None, description="An agent's id; null unassigns.")
    reason: Reason = Field("", description="Why the severity changed (kept on the timeline).")


class Escalation(Input):
    reason: Annotated[str, StringConstraints(min_length=1, max_length=1000), CLEAN, NOT_BLANK]
    code_bug: Flag = Field(
        False, description="From T2: a code or infrastructure bug (pages on-call for P0/P1)."
    )


class MessageIn(Input):
    body: Body
    kind: MessageKind = Field(MessageKind.PUBLIC, description="internal notes are for agents only.")
    format: Literal["text", "html"] = Field("text", description="html is sanitised.")
    cc: list[Email] = Field(
        default_factory=list,
        max_length=services.MAX_CCS,
        description="Agents only: addresses to copy on the ticket's emails from this one on.",
    )


class MessageOut(Schema):
    id: int
    kind: MessageKind
    author_kind: AuthorKind
    author_name: str
    body: str = Field(description="Sanitised HTML.")
    created_at: datetime
    attachments: list[int]


class AttachmentOut(Schema):
    id: int
    ticket_id: int
    message_id: int | None
    filename: str
    content_type: str
    size: int
    created_at: datetime
    download_url: str


# ----------------------------------------------------------------------- helpers


def visible_ticket(user: AbstractBaseUser, ticket_id: int) -> Ticket:
    ticket = (
        selectors.visible_tickets(user)
        .select_related("requester__user", "assignee__user")
        .filter(pk=ticket_id)
        .first()
    )
    if ticket is None:
        raise NotFound(f"ticket {ticket_id} not found")
    return ticket


def workable_ticket(user: AbstractBaseUser, ticket_id: int) -> Ticket:
    """``visible_ticket``, if the caller may also work it: an agent reads every ticket but
    changes and answers only those of their tiers or assigned to them (403 otherwise)."""
    ticket = visible_ticket(user, ticket_id)
    if not selectors.may_work(user, ticket):
        raise Forbidden(
            f"ticket {ticket_id} is at {ticket.tier}: agents at {ticket.tier} or assigned to it "
            "work it, others may read it"
        )
    return ticket


def _person(who: Agent | Contact) -> PersonRef:
    return PersonRef(id=who.pk, name=who.name, email=who.user.email)


def ticket_out(ticket: Ticket) -> TicketOut:
    return TicketOut(**_ticket_fields(ticket))


def _ticket_fields(ticket: Ticket) -> dict[str, Any]:
    """``TicketOut``'s fields, for it and for ``TicketDetail`` (each validated once)."""
    org = ticket.organisation
    return {
        "id": ticket.pk,
        "subject": ticket.subject,
        "organisation": OrganisationRef(id=org.pk, name=org.name, plan=Plan(org.plan)),
        "requester": _person(ticket.requester),
        "channel": Channel(ticket.channel),
        "severity": Severity(ticket.severity),
        "status": TicketStatus(ticket.status),
        "tier": Tier(ticket.tier),
        "plan": Plan(ticket.plan),
        "assignee": _person(ticket.assignee) if ticket.assignee else None,
        "completeness": ticket.completeness,
        "channel_entitled": ticket.channel_entitled,
        "opened_at": ticket.opened_at,
        "next_due_at": ticket.next_due_at,
        "first_replied_at": ticket.first_replied_at,
        "solved_at": ticket.solved_at,
        "updated_at": ticket.updated_at,
    }


def clock_out(view: ClockView) -> ClockOut:
    clock = view.clock
    return ClockOut(
        kind=clock.kind,  # type: ignore[arg-type]
        target=clock.target,
        basis=clock.basis,
        started_at=clock.started_at,
        due_at=clock.due_at,
        status=view.status.value,
        remaining_seconds=int(view.remaining.total_seconds()),
        fulfilled_at=clock.fulfilled_at,
    )


def ticket_detail(ticket: Ticket, now: datetime) -> TicketDetail:
    intake = selectors.intake_of(ticket)
    views = clock_views(ticket.clocks.all(), now)
    return TicketDetail(
        **_ticket_fields(ticket),
        intake=IntakeOut(
            organisation_id=ticket.intake_organisation_id,
            url=ticket.intake_url,
            expected=ticket.intake_expected,
            actual=ticket.intake_actual,
            browser_os=ticket.intake_browser_os,
            started_at=ticket.intake_started_at,
            still_happening=ticket.intake_still_happening,  # type: ignore[arg-type]
            has_screenshot=intake.has_screenshot,
        ),
        missing_intake=[field.value for field in intake.missing()],
        policy_version=ticket.policy_version,
        clocks=[clock_out(view) for view in views],
    )


_CONTACT = Prepared(
    lambda pk: Contact.objects.select_related("organisation", "user").filter(pk=pk)[:1], 1
)
_CONTACT_BY_USERNAME = Prepared(
    lambda username: Contact.objects.select_related("organisation", "user").filter(
        user__username=username
    )[:1],
    "sample",
)


def _requester(user: AbstractBaseUser, payload: TicketCreate) -> Contact:
    # An agent first: asking an agent's user for ``contact`` costs a query that finds nothing.
    contact: Contact | None = None if hasattr(user, "agent") else getattr(user, "contact", None)
    if contact is not None:
        if payload.requester_id not in (None, contact.pk) or (
            payload.requester_email is not None
            and payload.requester_email.strip().lower() != contact.user.email.lower()
        ):
            raise Forbidden("contacts open tickets for themselves")
        return contact
    agent_or_403(user, "open tickets on behalf of a contact")
    if payload.requester_id is not None:
        found = _CONTACT.first(payload.requester_id)
        if found is None:
            raise field_error("requester_id", f"no contact with id {payload.requester_id}")
    elif payload.requester_email is not None:
        email = payload.requester_email.strip().lower()
        found = _CONTACT_BY_USERNAME.first(email)  # the account services' username
        if found is None or found.user.email.lower() != email:
            found = (
                Contact.objects.select_related("organisation", "user")
                .filter(email_is(email))
                .first()
            )
        if found is None:
            raise field_error("requester_email", f"no contact with email {email!r}")
    else:
        raise field_error("requester_id", "give requester_id or requester_email")
    return found


def _received_at(user: AbstractBaseUser, value: datetime | None, now: datetime) -> datetime | None:
    if value is None:
        return None
    if getattr(user, "agent", None) is None:
        raise Forbidden("only agents and integrations may set received_at")
    if not now - RECEIVED_AT_PAST <= value <= now + RECEIVED_AT_FUTURE:
        raise field_error("received_at", "must be within the last year and not in the future")
    return value


def _message_out(message: Message, attachment_ids: list[int]) -> MessageOut:
    if message.author_agent is not None:
        name = message.author_agent.name
    elif message.author_contact is not None:
        name = message.author_contact.name
    else:
        name = "soporte"
    return MessageOut(
        id=message.pk,
        kind=MessageKind(message.kind),
        author_kind=AuthorKind(message.author_kind),
        author_name=name,
        body=message.body,
        created_at=message.created_at,
        attachments=attachment_ids,
    )


def _attachment_out(attachment: Attachment) -> AttachmentOut:
    return AttachmentOut(
        id=attachment.pk,
        ticket_id=attachment.ticket_id,
        message_id=attachment.message_id,
        filename=attachment.filename,
        content_type=attachment.content_type,
        size=attachment.size,
        created_at=attachment.created_at,
        download_url=f"/api/attachments/{attachment.pk}",
    )


# ------------------------------------------------------------------------ tickets


@router.post("", response={201: TicketDetail, **errors(409)}, summary="Open a ticket", auth=PEOPLE)
def create_ticket(request: HttpRequest, payload: TicketCreate) -> Status[TicketDetail]:
    user = caller(request)
    requester = _requester(user, payload)
    is_contact = getattr(user, "agent", None) is None
    if is_contact and payload.channel not in (None, Channel.PORTAL):
        raise Forbidden("contacts open tickets through the portal channel")
    channel = payload.channel or (Channel.PORTAL if is_contact else Channel.EMAIL)
    now = timezone.now()
    received_at = _received_at(user, payload.received_at, now)
    key = None
    if payload.external_id:
        key = selectors.message_key(actor_of(user), payload.external_id)
        known = selectors.repeated_ticket(user, key)
        if known is not None:
            return Status(201, ticket_detail(known, now))
    intake = payload.intake
    ticket = services.open_ticket(
        requester=requester,
        channel=channel,
        severity=payload.severity,
        subject=payload.subject,
        body=payload.body,
        intake=Intake(
            organisation_id=intake.organisation_id,
            url=intake.url,
            expected=intake.expected,
            actual=intake.actual,
            browser_os=intake.browser_os,
            started_at=intake.started_at,
            still_happening=intake.still_happening,
        ),
        received_at=received_at,
        key=key,
        now=now,
    )
    # The creator gets the ticket back even when routing put it beyond what they may read
    # later (a T1 integration filing an emergency-line ticket that starts at T3).
    return Status(201, ticket_detail(ticket, now))


@router.get("", response={200: TicketPage, **errors()}, summary="List a queue, earliest due first")
def list_tickets(request: HttpRequest, filters: Query[QueueQuery]) -> TicketPage:
    user = caller(request)
    chosen = selectors.QueueFilter(
        tier=filters.tier,
        mine=filters.mine,
        severity=filters.severity,
        plan=filters.plan,
        channel=filters.channel,
        status=filters.status,
        updated_since=filters.updated_since,
    )
    page = selectors.queue_page(
        user,
        chosen,
        offset=filters.offset,
        limit=filters.limit,
        narrow=lambda tickets: tickets.select_related("requester__user", "assignee__user"),
    )
    # Counted up to a cap, along the queue index: never the whole queue.
    cap = filters.offset + filters.limit + COUNT_AHEAD
    counted = selectors.queue(user, chosen).order_by()[: cap + 1].count()
    return TicketPage(
        count=counted,
        count_exact=counted <= cap,
        limit=filters.limit,
        offset=filters.offset,
        items=[ticket_out(ticket) for ticket in page],
    )


@router.get("/{ticket_id}", response={200: TicketDetail, **errors(404)}, summary="Read a ticket")
def read_ticket(request: HttpRequest, ticket_id: RowId) -> TicketDetail:
    return ticket_detail(visible_ticket(caller(request), ticket_id), timezone.now())


@router.patch(
    "/{ticket_id}",
    response={200: TicketDetail, **errors(404, 409)},
    summary="Change severity, status or assignee",
    auth=PEOPLE,
)
def update_ticket(request: HttpRequest, ticket_id: RowId, payload: TicketUpdate) -> TicketDetail:
    user = caller(request)
    ticket = workable_ticket(user, ticket_id)
    actor = actor_of(user)
    sent = payload.model_fields_set
    now = timezone.now()
    if isinstance(actor, Contact):
        if sent & {"severity", "assignee_id"}:
            raise Forbidden("customers may only mark a ticket solved or reopen it")
        if payload.status not in (None, TicketStatus.SOLVED, TicketStatus.OPEN):
            raise Forbidden("customers may only mark a ticket solved or reopen it")
        if payload.status is not None:
            services.change_status(ticket=ticket, status=payload.status, actor=actor, at=now)
        return ticket_detail(visible_ticket(user, ticket_id), now)
    assignee: Agent | None = None
    if "assignee_id" in sent and payload.assignee_id is not None:
        assignee = Agent.objects.select_related("user").filter(pk=payload.assignee_id).first()
        if assignee is None:
            raise field_error("assignee_id", f"no agent with id {payload.assignee_id}")
    if payload.severity is not None:
        ticket = services.change_severity(
            ticket=ticket, severity=payload.severity, actor=actor, reason=payload.reason, at=now
        )
    if payload.status is not None:
        ticket = services.change_status(ticket=ticket, status=payload.status, actor=actor, at=now)
    if "assignee_id" in sent:
        services.assign(ticket=ticket, assignee=assignee, actor=actor, at=now)
    return ticket_detail(_after_change(user, ticket_id), now)


def _after_change(user: AbstractBaseUser, ticket_id: int) -> Ticket:
    """The ticket after the caller changed it, even if the change took it out of their view."""
    tickets = Ticket.objects.select_related("organisation", "requester__user", "assignee__user")
    return tickets.get(pk=ticket_id)


@router.post(
    "/{ticket_id}/escalate",
    response={200: TicketDetail, **errors(404, 409)},
    summary="Escalate to the next tier",
    auth=agents_only("escalate tickets"),
)
def escalate_ticket(request: HttpRequest, ticket_id: RowId, payload: Escalation) -> TicketDetail:
    user = caller(request)
    ticket = workable_ticket(user, ticket_id)
    agent = agent_or_403(user, "escalate tickets")
    now = timezone.now()
    services.escalate(
        ticket=ticket, actor=agent, reason=payload.reason, code_bug=payload.code_bug, at=now
    )
    return ticket_detail(_after_change(user, ticket_id), now)


# ----------------------------------------------------------------------- messages


@router.get(
    "/{ticket_id}/messages",
    response={200: list[MessageOut], **errors(404)},
    summary="The conversation (agents also see internal notes)",
)
def list_messages(request: HttpRequest, ticket_id: RowId) -> list[MessageOut]:
    user = caller(request)
    ticket = visible_ticket(user, ticket_id)
    return [
        _message_out(message, [a.pk for a in files])
        for message, files in selectors.conversation(user, ticket)
    ]


@router.post(
    "/{ticket_id}/messages",
    response={201: MessageOut, **errors(404, 409)},
    summary="Reply (public) or add an internal note",
    auth=PEOPLE,
)
def create_message(
    request: HttpRequest, ticket_id: RowId, payload: MessageIn
) -> Status[MessageOut]:
    user = caller(request)
    ticket = workable_ticket(user, ticket_id)
    author = actor_of(user)
    public = payload.kind == MessageKind.PUBLIC
    if isinstance(author, Contact) and not public:
        raise Forbidden("internal notes are for agents only")
    now = timezone.now()
    if payload.cc:
        if not isinstance(author, Agent):
            raise Forbidden("only agents copy addresses on a ticket")
        for address in payload.cc:
            services.add_cc(ticket=ticket, address=address, actor=author, at=now)
    message = services.reply(
        ticket=ticket,
        author=author,
        body=payload.body,
        public=public,
        body_is_html=payload.format == "html",
        at=now,
    )
    message = Message.objects.select_related("author_agent", "author_contact").get(pk=message.pk)
    return Status(201, _message_out(message, []))


# -------------------------------------------------------------------- attachments


@router.get(
    "/{ticket_id}/attachments",
    response={200: list[AttachmentOut], **errors(404)},
    tags=["attachments"],
    summary="A ticket's screenshots and recordings",
)
def list_attachments(request: HttpRequest, ticket_id: RowId) -> list[AttachmentOut]:
    user = caller(request)
    ticket = visible_ticket(user, ticket_id)
    return [_attachment_out(a) for a in selectors.visible_attachments(user, ticket)]


@router.post(
    "/{ticket_id}/attachments",
    response={201: AttachmentOut, **errors(404)},
    tags=["attachments"],
    summary="Upload a screenshot or recording (multipart, field `file`)",
    auth=PEOPLE,
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "encoding": {"file": {"contentType": ", ".join(attachments.MEDIA_TYPES)}}
                }
            }
        }
    },
)
def upload_attachment(
    request: HttpRequest, ticket_id: RowId, file: File[UploadedFile]
) -> Status[AttachmentOut]:
    user = caller(request)
    ticket = workable_ticket(user, ticket_id)
    actor_of(user)
    return Status(201, _attachment_out(services.attach(ticket=ticket, upload=file)))


@attachments_router.get(
    "/{attachment_id}",
    response=errors(404),
    summary="Download an attachment",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file, as an attachment, with the type sniffed at upload.",
                "content": {
                    media_type: {"schema": {"type": "string", "format": "binary"}}
                    for media_type in attachments.MEDIA_TYPES
                },
            }
        }
    },
)
def download_attachment(request: HttpRequest, attachment_id: RowId) -> FileResponse:
    user = caller(request)
    attachment = selectors.visible_attachments(user).filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound(f"attachment {attachment_id} not found")
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise NotFound(f"attachment {attachment_id} has no stored file") from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )

"""Who is calling (``/api/me``), and organisations and contacts (administrators only)."""

from __future__ import annotations

import functools
import zoneinfo
from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import AfterValidator, Field, StringConstraints

from soporte.accounts import services
from soporte.accounts.models import (
    Agent,
    AgentKind,
    Contact,
    Language,
    Organisation,
    Plan,
    Role,
    Tier,
)
from soporte.api import (
    ADMINS,
    CLEAN,
    NOT_BLANK,
    ONE_LINE,
    BodyRowId,
    Error,
    Input,
    Limit,
    NotFound,
    Offset,
    Page,
    RowId,
    caller,
    errors,
    field_error,
)

router = Router()

Name = Annotated[str, StringConstraints(min_length=1, max_length=200), CLEAN, ONE_LINE, NOT_BLANK]


@functools.cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


EMAIL_PATTERN = (
    r"^\s*[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+(\.[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\s*$"
)
"""The addresses :func:`_email` takes (Django's validator), as the schema states them."""


def _email(value: str) -> str:
    value = value.strip().lower()
    try:
        validate_email(value)
    except DjangoValidationError:
        raise ValueError("not a valid email address") from None
    return value


def _zone(value: str) -> str:
    if value not in _zones():
        raise ValueError("not an IANA time zone (e.g. America/Mexico_City)")
    return value


Email = Annotated[
    str,
    StringConstraints(min_length=3, max_length=150),
    CLEAN,
    AfterValidator(_email),
    Field(json_schema_extra={"format": "email", "pattern": EMAIL_PATTERN}),
]
Zone = Annotated[
    str,
    StringConstraints(min_length=1, max_length=64),
    CLEAN,
    AfterValidator(_zone),
    Field(json_schema_extra={"enum": sorted(_zones())}),
]
Domain = Annotated[
    str, StringConstraints(max_length=253, pattern=rf"^@?{services.DOMAIN_PATTERN}$")
]
Phone = Annotated[str, StringConstraints(max_length=40), CLEAN]


# ------------------------------------------------------------------------------ me


class Me(Schema):
    kind: Literal["agent", "contact", "user"]
    name: str
    email: str
    agent_id: int | None = None
    tier: Tier | None = None
    role: Role | None = None
    agent_kind: AgentKind | None = Field(
        default=None, description="human, or integration (a bot: its replies never fulfil a clock)"
    )
    contact_id: int | None = None
    organisation_id: UUID | None = None


@router.get("/me", response={200: Me, **errors()}, tags=["accounts"], summary="Who am I")
def me(request: HttpRequest) -> Me:
    user = caller(request)
    email = getattr(user, "email", "") or ""
    agent: Agent | None = getattr(user, "agent", None)
    if agent is not None:
        return Me(
            kind="agent",
            name=agent.name,
            email=email,
            agent_id=agent.pk,
            tier=Tier(agent.tier),
            role=Role(agent.role),
            agent_kind=AgentKind(agent.kind),
        )
    contact: Contact | None = getattr(user, "contact", None)
    if contact is not None:
        return Me(
            kind="contact",
            name=contact.name,
            email=email,
            contact_id=contact.pk,
            organisation_id=contact.organisation_id,
        )
    return Me(kind="user", name=user.get_username(), email=email)


# -------------------------------------------------------------------- organisations


class OrganisationIn(Input):
    name: Name
    plan: Plan
    locale: Language = Language.SPANISH
    csm_id: BodyRowId | None = Field(
        None,
        description="The agent (a person, not an integration) who is the organisation's CSM: "
        "required for a plan whose policy names a CSM (Enterprise in the default policy).",
    )
    email_domains: list[Domain] = Field(
        default_factory=list,
        max_length=50,
        description="Email domains whose senders become the organisation's contacts "
        "(`vending.example`): one organisation per domain (another's is a 409), and no "
        "public mailbox provider's (`gmail.com`…: a 422).",
    )


class OrganisationOut(Schema):
    id: UUID = Field(description="The organisation ID customers see in Settings → Account.")
    name: str
    plan: Plan
    locale: Language
    csm_id: int | None
    created_at: datetime
    contacts: int
    email_domains: list[str]


class OrganisationPage(Page):
    items: list[OrganisationOut]


class PageQuery(Schema):
    limit: Limit = 50
    offset: Offset = 0


def _organisation_out(org: Organisation, contacts: int | None = None) -> OrganisationOut:
    return OrganisationOut(
        id=org.pk,
        name=org.name,
        plan=Plan(org.plan),
        locale=Language(org.locale),
        csm_id=org.csm_id,
        created_at=org.created_at,
        contacts=org.contacts.count() if contacts is None else contacts,
        email_domains=[d.domain for d in org.email_domains.all()],
    )


@router.get(
    "/organisations",
    response={200: OrganisationPage, **errors()},
    tags=["organisations"],
    summary="List organisations (admin)",
    auth=ADMINS,
)
def list_organisations(request: HttpRequest, page: Query[PageQuery]) -> OrganisationPage:
    found = (
        Organisation.objects.annotate(n_contacts=Count("contacts"))
        .prefetch_related("email_domains")
        .order_by("name", "id")
    )
    window = found[page.offset : page.offset + page.limit]
    return OrganisationPage(
        count=found.count(),
        limit=page.limit,
        offset=page.offset,
        items=[_organisation_out(org, org.n_contacts) for org in window],
    )


@router.post(
    "/organisations",
    response={201: OrganisationOut, **errors(409)},
    tags=["organisations"],
    summary="Create an organisation (admin)",
    auth=ADMINS,
)
def create_organisation(
    request: HttpRequest, payload: OrganisationIn
) -> Status[OrganisationOut | Error]:
    csm = None
    if payload.csm_id is not None:
        csm = Agent.objects.filter(pk=payload.csm_id).first()
        if csm is None:
            raise field_error("csm_id", f"no agent with id {payload.csm_id}")
    error = services.csm_error(plan=payload.plan, csm=csm)
    if error is not None:
        raise field_error("csm_id", error)
    try:
        with transaction.atomic():
            org = services.create_organisation(
                name=payload.name.strip(), plan=payload.plan, locale=payload.locale, csm=csm
            )
            for domain in payload.email_domains:
                services.add_email_domain(organisation=org, domain=domain)
    except services.DomainTaken as exc:
        return Status(409, Error(detail=str(exc)))
    except services.DomainRefused as exc:
        raise field_error("email_domains", str(exc)) from None
    return Status(201, _organisation_out(org, 0))


@router.get(
    "/organisations/{organisation_id}",
    response={200: OrganisationOut, **errors(404)},
    tags=["organisations"],
    summary="Read an organisation (admin)",
    auth=ADMINS,
)
def read_organisation(request: HttpRequest, organisation_id: UUID) -> OrganisationOut:
    org = Organisation.objects.filter(pk=organisation_id).first()
    if org is None:
        raise NotFound(f"organisation {organisation_id} not found")
    return _organisation_out(org)


# ------------------------------------------------------------------------- contacts


class ContactIn(Input):
    organisation_id: UUID
    email: Email
    name: Name
    locale: Language = Language.SPANISH
    time_zone: Zone = "America/Mexico_City"
    phone: Phone = ""


class ContactOut(Schema):
    id: int
    organisation_id: UUID
    email: str
    name: str
    locale: Language
    time_zone: str
    phone: str


class ContactPage(Page):
    items: list[ContactOut]


class ContactQuery(PageQuery):
    organisation_id: UUID | None = None


def _contact_out(contact: Contact) -> ContactOut:
    return ContactOut(
        id=contact.pk,
        organisation_id=contact.organisation_id,
        email=contact.user.email,
        name=contact.name,
        locale=Language(contact.locale),
        time_zone=contact.time_zone,
        phone=contact.phone,
    )


@router.get(
    "/contacts",
    response={200: ContactPage, **errors()},
    tags=["contacts"],
    summary="List contacts (admin)",
    auth=ADMINS,
)
def list_contacts(request: HttpRequest, query: Query[ContactQuery]) -> ContactPage:
    found = Contact.objects.select_related("user").order_by("name", "id")
    if query.organisation_id is not None:
        found = found.filter(organisation_id=query.organisation_id)
    window = found[query.offset : query.offset + query.limit]
    return ContactPage(
        count=found.count(),
        limit=query.limit,
        offset=query.offset,
        items=[_contact_out(c) for c in window],
    )


@router.post(
    "/contacts",
    response={201: ContactOut, **errors(409)},
    tags=["contacts"],
    summary="Create a contact (admin)",
    auth=ADMINS,
)
def create_contact(request: HttpRequest, payload: ContactIn) -> Status[ContactOut | Error]:
    org = Organisation.objects.filter(pk=payload.organisation_id).first()
    if org is None:
        raise field_error("organisation_id", f"no organisation {payload.organisation_id}")
    taken = get_user_model().objects.filter(username=payload.email).exists()
    if taken:
        return Status(409, Error(detail=f"a user with email {payload.email} already exists"))
    try:
        contact = services.create_contact(
            organisation=org,
            email=payload.email,
            name=payload.name.strip(),
            locale=payload.locale,
            time_zone=payload.time_zone,
            phone=payload.phone,
        )
    except IntegrityError:
        return Status(409, Error(detail=f"a user with email {payload.email} already exists"))
    return Status(201, _contact_out(contact))


@router.get(
    "/contacts/{contact_id}",
    response={200: ContactOut, **errors(404)},
    tags=["contacts"],
    summary="Read a contact (admin)",
    auth=ADMINS,
)
def read_contact(request: HttpRequest, contact_id: RowId) -> ContactOut:
    contact = Contact.objects.select_related("user").filter(pk=contact_id).first()
    if contact is None:
        raise NotFound(f"contact {contact_id} not found")
    return _contact_out(contact)

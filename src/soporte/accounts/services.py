"""Creating organisations, contacts, agents and API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import get_language, gettext

from soporte.accounts.models import (
    Agent,
    AgentKind,
    ApiToken,
    Contact,
    EmailDomain,
    Organisation,
    Role,
    Tier,
)
from soporte.db.prepared import Prepared
from soporte.policy import default_policy

TOKEN_PREFIX = "sop_"
LAST_USED_RESOLUTION = timedelta(minutes=1)


def create_organisation(
    *, name: str, plan: str, locale: str = "es", csm: Agent | None = None
) -> Organisation:
    return Organisation.objects.create(name=name, plan=plan, locale=locale, csm=csm)


def csm_error(*, plan: str, csm: Agent | None) -> str | None:
    """Why an organisation on ``plan`` cannot have ``csm`` as its customer success manager, or
    None: a plan with a CSM (Enterprise, in the policy data) needs a named one, and a CSM is a
    person, not an integration (READING.md §3)."""
    if csm is not None and not csm.is_human:
        return gettext("A CSM must be a person, not an integration.")
    rule = default_policy().plan(plan)
    if csm is None and rule.csm:
        name = rule.name((get_language() or "es").split("-")[0])
        return gettext("The %(plan)s plan needs a named CSM (customer success manager).") % {
            "plan": name
        }
    return None


_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
DOMAIN_PATTERN = rf"{_LABEL}(?:\.{_LABEL})+"
"""An email domain: two or more DNS labels (at most 253 characters in all)."""
_DOMAIN = re.compile(DOMAIN_PATTERN)

PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "hotmail.es",
        "outlook.com",
        "outlook.es",
        "live.com",
        "live.com.mx",
        "msn.com",
        "yahoo.com",
        "yahoo.com.mx",
        "icloud.com",
        "me.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "prodigy.net.mx",
    }
)
"""Mailbox providers' domains: anyone can have an address there, so none is an organisation's."""


class DomainRefused(ValueError):
    """An email domain an organisation cannot have; the message says why."""


class DomainTaken(DomainRefused):
    """The email domain is another organisation's."""


def email_domain(value: str) -> str:
    """``value`` as an organisation's email domain (``@Vending.Example`` → ``vending.example``);
    raises ``DomainRefused`` for what is not a domain or is a mailbox provider's."""
    domain = value.strip().lower().removeprefix("@")
    if len(domain) > 253 or not _DOMAIN.fullmatch(domain):
        raise DomainRefused(gettext("%(domain)s is not an email domain.") % {"domain": value})
    if domain in PUBLIC_MAIL_DOMAINS:
        raise DomainRefused(
            gettext("%(domain)s is a public mailbox provider: anyone can write from it.")
            % {"domain": domain}
        )
    return domain


def add_email_domain(*, organisation: Organisation, domain: str) -> EmailDomain:
    """Give ``organisation`` the email ``domain`` (already its own: nothing changes); raises
    ``DomainRefused`` when the domain is invalid or another organisation's."""
    domain = email_domain(domain)
    held = EmailDomain.objects.select_related("organisation").filter(domain=domain).first()
    if held is None:
        return EmailDomain.objects.create(organisation=organisation, domain=domain)
    if held.organisation_id != organisation.pk:
        raise DomainTaken(
            gettext("%(domain)s already belongs to %(organisation)s.")
            % {"domain": domain, "organisation": held.organisation.name}
        )
    return held


def create_contact(
    *,
    organisation: Organisation,
    email: str,
    name: str,
    password: str | None = None,
    locale: str = "es",
    time_zone: str = "America/Mexico_City",
    phone: str = "",
) -> Contact:
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username=email.lower(), email=email.lower(), password=password
        )
        return Contact.objects.create(
            user=user,
            organisation=organisation,
            name=name,
            locale=locale,
            time_zone=time_zone,
            phone=phone,
        )


def create_agent(
    *,
    email: str,
    name: str,
    tier: str = Tier.T1,
    role: str = Role.AGENT,
    password: str | None = None,
    locale: str = "es",
    phone: str = "",
    kind: str = AgentKind.HUMAN,
) -> Agent:
    """An agent; admins (and founder/CTO) may also use the Django admin. An integration's
    account (``kind="integration"``) is made without a password: it only uses API tokens."""
    with transaction.atomic():
        staff = role in (Role.ADMIN, Role.FOUNDER, Role.CTO)
        user = get_user_model().objects.create_user(
            username=email.lower(),
            email=email.lower(),
            password=password,
            is_staff=staff,
            is_superuser=role == Role.ADMIN,
        )
        return Agent.objects.create(
            user=user, name=name, tier=tier, role=role, kind=kind, locale=locale, phone=phone
        )


def create_token(*, agent: Agent, name: str) -> tuple[ApiToken, str]:
    """A new API token and its secret, shown once; only a hash is stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        agent=agent, name=name, prefix=secret[: len(TOKEN_PREFIX) + 8], digest=secret_digest(secret)
    )
    return token, secret


_LIVE_TOKEN = Prepared(
    lambda prefix: ApiToken.objects.select_related("agent__user").filter(
        prefix=prefix, revoked_at__isnull=True
    )[:1],
    "sop_sample",
)


def authenticate_token(secret: str, *, now: datetime) -> Agent | None:
    """The agent behind a bearer token, or None (unknown, revoked or malformed); ``now`` is
    when it was used."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = _LIVE_TOKEN.first(secret[: len(TOKEN_PREFIX) + 8])
    if token is None or not secrets.compare_digest(token.digest, secret_digest(secret)):
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        # At most one write a minute per token: a busy integration must not add a write
        # transaction to every request.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.agent


def secret_digest(secret: str) -> str:
    """What is stored of a secret (API tokens, calendar feeds): its SHA-256, in hex."""
    return hashlib.sha256(secret.encode()).hexdigest()


CONTACT_METHODS = ("phone", "whatsapp", "slack_user_id", "notice_channel")
"""The fields of an agent's profile that say how pages and notices reach them."""


def set_contact_methods(*, agent: Agent, **methods: str) -> Agent:
    """Change the agent's ``CONTACT_METHODS`` (numbers kept in E.164); ``ValidationError``
    names each wrong field, and nothing changes then."""
    unknown = set(methods) - set(CONTACT_METHODS)
    if unknown:
        raise ValueError(f"unknown contact methods: {', '.join(sorted(unknown))}")
    for name, value in methods.items():
        setattr(agent, name, value.strip())
    agent.full_clean(exclude=[f.name for f in Agent._meta.fields if f.name not in methods])
    agent.save(update_fields=list(methods))
    return agent

"""``soporte token create (--agent EMAIL | --integration NAME) --name NAME``: a REST API token,
its secret shown once.

An integration (Zapier, a monitoring script) gets its own account of kind ``integration``:
``--integration NAME`` makes it on first use (``NAME`` slugged as
``<slug>@integrations.invalid``, a T1 agent without a password, so it never signs in to the
console; the admin may change its tier and role) and adds a token to it afterwards. Its
public replies reach the customer but never fulfil a first-response clock (READING.md §9).
Only the token's hash is stored, so a lost secret is replaced, never recovered.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from soporte.accounts.models import Agent

INTEGRATION_DOMAIN = "integrations.invalid"


def register(subparsers: Any) -> None:
    token = subparsers.add_parser("token", help="REST API tokens")
    verbs = token.add_subparsers(dest="verb", required=True, metavar="{create}")
    create = verbs.add_parser(
        "create",
        help="create an API token for an agent or an integration and print its secret once",
        description="Create an API token for an agent, or for an integration's account (made "
        "on first use), and print its secret once on standard output; only its hash is stored.",
    )
    whose = create.add_mutually_exclusive_group(required=True)
    whose.add_argument("--agent", metavar="EMAIL", help="the (human) agent's email")
    whose.add_argument(
        "--integration",
        metavar="NAME",
        help="an integration's name, e.g. 'Zapier': its bot account is made if missing",
    )
    create.add_argument("--name", required=True, help="what the token is for, e.g. 'zapier'")
    create.set_defaults(func=_create, needs_django=True)


def _create(args: argparse.Namespace) -> int:
    from soporte.accounts.services import create_token

    name = args.name.strip()
    if not name:
        return _fail("--name must not be blank")
    if len(name) > 100:
        return _fail("--name is longer than 100 characters")
    agent = _agent(args.agent) if args.agent is not None else _integration(args.integration)
    if isinstance(agent, str):
        return _fail(agent)
    token, secret = create_token(agent=agent, name=name)
    print(secret)
    print(
        f"token {token.prefix}… {name!r} for {agent.name} <{agent.user.email}> ({agent.kind}); "
        "store the secret now: it is not shown again.",
        file=sys.stderr,
    )
    return 0


def _agent(email: str) -> Agent | str:
    """The agent with ``email``, or the error message."""
    from soporte.accounts.models import Agent, email_is

    email = email.strip().lower()
    agent = Agent.objects.select_related("user").filter(email_is(email)).first()
    return agent or f"--agent: no agent with email {email!r}"


def _integration(name: str) -> Agent | str:
    """The integration account called ``name`` (made now if missing), or the error message."""
    from django.utils.text import slugify

    from soporte.accounts.models import Agent, AgentKind, email_is
    from soporte.accounts.services import create_agent

    name = name.strip()
    slug = slugify(name)
    if not slug or len(name) > 200:
        return "--integration: give a name of 1 to 200 characters with a letter or digit"
    email = f"{slug}@{INTEGRATION_DOMAIN}"
    agent = Agent.objects.select_related("user").filter(email_is(email)).first()
    if agent is None:
        return create_agent(email=email, name=name, kind=AgentKind.INTEGRATION)
    if agent.is_human:
        return f"--integration: {email!r} belongs to a human agent"
    return agent


def _fail(message: str) -> int:
    print(f"soporte: {message}", file=sys.stderr)
    return 2

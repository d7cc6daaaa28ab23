"""``soporte token create --agent EMAIL --name NAME``: a REST API token, its secret shown once.

An integration gets its own agent account (e.g. ``zapier@trackmyvend.example``) and a token on
it; only the token's hash is stored, so a lost secret is replaced, never recovered.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any) -> None:
    token = subparsers.add_parser("token", help="REST API tokens")
    verbs = token.add_subparsers(dest="verb", required=True, metavar="{create}")
    create = verbs.add_parser(
        "create",
        help="create an API token for an agent and print its secret (shown only once)",
        description="Create an API token for an agent (or an integration's agent account) and "
        "print its secret once on standard output; only its hash is stored.",
    )
    create.add_argument("--agent", required=True, metavar="EMAIL", help="the agent's email")
    create.add_argument("--name", required=True, help="what the token is for, e.g. 'zapier'")
    create.set_defaults(func=_create, needs_django=True)


def _create(args: argparse.Namespace) -> int:
    from soporte.accounts.models import Agent
    from soporte.accounts.services import create_token

    email = args.agent.strip().lower()
    name = args.name.strip()
    if not name:
        print("soporte: --name must not be blank", file=sys.stderr)
        return 2
    if len(name) > 100:
        print("soporte: --name is longer than 100 characters", file=sys.stderr)
        return 2
    agent = Agent.objects.select_related("user").filter(user__email__iexact=email).first()
    if agent is None:
        print(f"soporte: --agent: no agent with email {email!r}", file=sys.stderr)
        return 2
    token, secret = create_token(agent=agent, name=name)
    print(secret)
    print(
        f"token {token.prefix}… {name!r} for {agent.name} <{agent.user.email}>; "
        "store the secret now: it is not shown again.",
        file=sys.stderr,
    )
    return 0

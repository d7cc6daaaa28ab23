"""``soporte oncall who [--at ISO8601] [--rotation NAME]``: who is on call, as one JSON object;
``soporte oncall feed (--rotation NAME | --agent EMAIL)``: a new secret calendar address, in
full (from the public URL, ``SOPORTE_PUBLIC_URL``).

The output of ``who`` is a contract: keys are only ever added, never renamed. Instants are
printed in the rotation's zone, with their UTC offset.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from soporte.accounts.models import Agent


def register(subparsers: Any) -> None:
    oncall = subparsers.add_parser("oncall", help="on-call rotations")
    verbs = oncall.add_subparsers(dest="verb", required=True, metavar="{who,feed}")
    who = verbs.add_parser(
        "who",
        help="who is on call (primary and secondary) at an instant",
        description="Print the primary and secondary of a rotation at an instant (default: "
        "now), overrides applied, and the stretch during which they stay on call.",
    )
    who.add_argument("--at", help="ISO 8601 instant with its UTC offset (default: now)")
    who.add_argument("--rotation", metavar="NAME", help="needed when there are several")
    who.set_defaults(func=_who, needs_django=True)

    feed = verbs.add_parser(
        "feed",
        help="a new secret calendar address for a rotation or an agent (the old one stops working)",
    )
    owner = feed.add_mutually_exclusive_group(required=True)
    owner.add_argument("--rotation", metavar="NAME")
    owner.add_argument("--agent", metavar="EMAIL")
    feed.set_defaults(func=_feed, needs_django=True)


def _who(args: argparse.Namespace) -> int:
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from soporte.oncall.models import Rotation
    from soporte.oncall.selectors import who_is_on_call
    from soporte.sla.cli import InputError, parse_instant

    try:
        at = parse_instant(args.at, "--at") if args.at is not None else timezone.now()
    except InputError as exc:
        return _usage(str(exc))
    rotations = {r.name: r for r in Rotation.objects.order_by("name")}
    names = list(rotations)
    if args.rotation is not None:
        if args.rotation not in rotations:
            known = ", ".join(names) or "none exists yet"
            return _usage(f"--rotation: no rotation named {args.rotation!r} (rotations: {known})")
        rotation = rotations[args.rotation]
    elif len(names) == 1:
        rotation = rotations[names[0]]
    elif not names:
        return _usage("no on-call rotation exists yet (create one in the admin)")
    else:
        return _usage(f"--rotation: several rotations exist, name one: {', '.join(names)}")
    now = who_is_on_call(rotation=rotation, at=at)
    zone = ZoneInfo(rotation.zone)
    payload = {
        "rotation": rotation.name,
        "primary": _agent(now.primary),
        "secondary": _agent(now.secondary),
        "shift_start": now.shift_start.astimezone(zone).isoformat(),
        "shift_end": now.shift_end.astimezone(zone).isoformat(),
    }
    print(json.dumps(payload, ensure_ascii=False), flush=True)
    return 0


def _feed(args: argparse.Namespace) -> int:
    from django.urls import reverse
    from django.utils import timezone

    from soporte.accounts.models import Agent, email_is
    from soporte.oncall.models import Rotation
    from soporte.oncall.services import regenerate_feed_secret
    from soporte.public import public_url

    if args.rotation is not None:
        rotation = Rotation.objects.filter(name=args.rotation).first()
        if rotation is None:
            return _usage(f"--rotation: no rotation named {args.rotation!r}")
        _, secret = regenerate_feed_secret(rotation=rotation, now=timezone.now())
    else:
        email = args.agent.strip().lower()
        agent = Agent.objects.filter(email_is(email)).first()
        if agent is None:
            return _usage(f"--agent: no agent with email {email!r}")
        _, secret = regenerate_feed_secret(agent=agent, now=timezone.now())
    print(public_url(reverse("oncall:calendar", kwargs={"secret": secret})))
    print("the previous address of this calendar no longer works", file=sys.stderr)
    return 0


def _agent(agent: Agent | None) -> dict[str, Any] | None:
    if agent is None:
        return None
    return {"id": agent.pk, "name": agent.name, "email": agent.email}


def _usage(message: str) -> int:
    print(f"soporte: {message}", file=sys.stderr)
    return 2

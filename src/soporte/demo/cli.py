"""``soporte demo [--reset]``: load the demo desk (organisations, agents, tickets)."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    demo = subparsers.add_parser("demo", help="load demo data (organisations, agents, tickets)")
    demo.add_argument("--reset", action="store_true", help="delete existing desk data first")
    demo.set_defaults(func=_demo, needs_django=True)


def _demo(args: argparse.Namespace) -> int:
    from django.core.management import call_command
    from django.utils import timezone

    from soporte.demo import world

    call_command("migrate", verbosity=0, interactive=False)
    if args.reset:
        world.reset()
    elif not world.is_empty():
        print("soporte: the desk already has data; use --reset to rebuild the demo")
        return 1
    world.print_signins(world.seed(now=timezone.now()))
    return 0

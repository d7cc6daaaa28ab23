"""The ``soporte`` command: one entry point, one module per group of subcommands.

Each module named in :data:`COMMANDS` exposes ``register(subparsers)``, which adds its parsers
and sets ``func(args) -> int`` on each. A parser may also set these defaults:

- ``needs_django=True``: Django is set up (settings, apps) before ``func`` runs;
- ``needs_policy=False``: the command does not need the policy in force to be valid
  (``policy check FILE`` reads its own file);
- ``passthrough=True``: the arguments argparse does not know go to Django's own command, as
  ``args.rest`` (``soporte migrate --noinput``).

Exit status: what ``func`` returns; 2 for a usage error, an invalid policy in force or a
configuration error (each reported in one readable message, never a traceback).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from soporte.policy import PolicyInvalid, default_policy

COMMANDS = [
    "soporte.config.serve",
    "soporte.policy.cli",
    "soporte.sla.cli",
    "soporte.jobs.cli",
    "soporte.accounts.cli",
    "soporte.oncall.cli",
    "soporte.demo.cli",
    "soporte.channels.email.cli",
    "soporte.reports.cli",
    "soporte.kb.cli",
]

EXIT_CONFIG = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="soporte",
        description="TrackMyVend's support desk. SOPORTE_POLICY=path selects the policy file.",
    )
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(name)
        module.register(subparsers)
    return parser


def report_invalid_policy(exc: PolicyInvalid) -> None:
    print("soporte: the policy in force is invalid:", file=sys.stderr)
    for problem in exc.problems:
        print(f"  {problem}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if getattr(args, "passthrough", False):
        args.rest = extra  # Django's own options (``migrate --noinput``) go to Django
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return EXIT_CONFIG
    from django.core.exceptions import ImproperlyConfigured
    from django.db import OperationalError

    try:
        if getattr(args, "needs_policy", True):
            default_policy()
        if getattr(args, "needs_django", False):
            from soporte.config.runtime import setup_django

            setup_django()
        status = func(args)
    except PolicyInvalid as exc:
        report_invalid_policy(exc)
        return EXIT_CONFIG
    except ImproperlyConfigured as exc:
        print(f"soporte: configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except OperationalError as exc:
        print(f"soporte: cannot use the database: {exc}".rstrip(), file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    return int(status or 0)


if __name__ == "__main__":
    sys.exit(main())

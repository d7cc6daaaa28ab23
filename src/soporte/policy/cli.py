"""``soporte policy show`` and ``soporte policy check FILE``. Neither needs the database."""

from __future__ import annotations

import argparse
import sys

from soporte.policy.loader import PolicyInvalid, default_policy, load_policy
from soporte.policy.summary import render_summary


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    policy = subparsers.add_parser(
        "policy",
        help="show or check the support policy",
        description="The support policy in force ($SOPORTE_POLICY, else the shipped default).",
    )
    commands = policy.add_subparsers(title="policy commands", metavar="COMMAND", required=True)

    show = commands.add_parser("show", help="print the policy in force and its summary")
    _summary_options(show)
    show.set_defaults(func=show_policy)

    check = commands.add_parser(
        "check",
        help="validate a policy file and print its summary",
        description="Exit 0 and print the summary if FILE is a valid policy; else print every "
        "problem (file: key: what is wrong) and exit 1.",
    )
    check.add_argument("file", metavar="FILE", help="the policy file (TOML) to validate")
    _summary_options(check)
    check.set_defaults(func=check_policy, needs_policy=False)


def _summary_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang", choices=["en", "es"], default="en", help="language of the summary (default en)"
    )
    parser.add_argument(
        "--year", type=int, default=None, help="year whose holidays to list (default: next year)"
    )


def show_policy(args: argparse.Namespace) -> int:
    policy = default_policy()
    sys.stdout.write(render_summary(policy, lang=args.lang, year=args.year))
    return 0


def check_policy(args: argparse.Namespace) -> int:
    try:
        policy = load_policy(args.file)
    except PolicyInvalid as exc:
        count = len(exc.problems)
        print(
            f"{args.file}: invalid policy ({count} problem{'s' * (count != 1)}):", file=sys.stderr
        )
        for problem in exc.problems:
            print(str(problem), file=sys.stderr)
        return 1
    print(f"{args.file}: valid policy")
    sys.stdout.write(render_summary(policy, lang=args.lang, year=args.year))
    return 0

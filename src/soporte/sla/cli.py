"""``soporte sla due``, ``soporte sla elapsed`` and ``soporte calendar``: JSON for scripts.

The output is a contract: keys are only ever added, never renamed. Bad input gets a message
naming the field and the valid values; in batch mode a bad line is answered with
``{"line": N, "error": ...}`` and the other lines are still answered.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import override

from soporte.bizclock import display_name
from soporte.policy import Policy, UnknownCode, default_policy
from soporte.sla.domain import SlaClock, open_clocks
from soporte.sla.explain import explain

DEFAULT_CHANNEL = "email"


class InputError(ValueError):
    """A request the command cannot answer; the message names the field at fault."""


def register(subparsers: Any) -> None:
    sla = subparsers.add_parser("sla", help="SLA due times and business time")
    verbs = sla.add_subparsers(dest="verb", required=True, metavar="{due,elapsed}")

    due = verbs.add_parser("due", help="first-response and channel due times of a ticket")
    due.add_argument("--plan")
    due.add_argument("--severity")
    due.add_argument("--opened", help="ISO 8601 instant with its UTC offset")
    due.add_argument("--channel", default=None, help=f"default: {DEFAULT_CHANNEL}")
    due.add_argument("--at", help="also explain the clocks' state at this ISO 8601 instant")
    due.add_argument("--lang", default="es", choices=["es", "en"], help="language of 'explain'")
    due.add_argument("--batch", metavar="FILE", help="JSON lines in, JSON lines out ('-': stdin)")
    due.set_defaults(func=_due, needs_django=True)

    elapsed = verbs.add_parser("elapsed", help="business time between two instants")
    elapsed.add_argument("--from", dest="start", required=True)
    elapsed.add_argument("--to", dest="end", required=True)
    elapsed.set_defaults(func=_elapsed)

    cal = subparsers.add_parser("calendar", help="business windows and holidays between two dates")
    cal.add_argument("--from", dest="first", required=True, help="YYYY-MM-DD")
    cal.add_argument("--to", dest="last", required=True, help="YYYY-MM-DD (inclusive)")
    cal.add_argument("--lang", default="es", choices=["es", "en"], help="language of names")
    cal.set_defaults(func=_calendar)


# ------------------------------------------------------------------------ sla due


def due(policy: Policy, request: dict[str, Any], *, lang: str = "es") -> dict[str, Any]:
    """Answer one ``sla due`` request (keys plan, severity, opened, optional channel and at)."""
    if not isinstance(request, dict):
        raise InputError("expected a JSON object with plan, severity, opened and optional channel")
    plan = _code(policy.plans, request.get("plan"), "plan", str.lower)
    severity = _code(policy.severities, request.get("severity"), "severity", str.upper)
    channel = _code(
        policy.channels, request.get("channel") or DEFAULT_CHANNEL, "channel", str.lower
    )
    opened = parse_instant(request.get("opened"), "opened")
    at = parse_instant(request["at"], "at") if request.get("at") else None
    clocks = open_clocks(policy, plan=plan, severity=severity, channel=channel, opened_at=opened)
    context = f"{policy.plan(plan).name(lang)} {severity}"
    lines = explain(policy, clocks.first_response, now=at, lang=lang, context=context)
    channel_clock = clocks.channel_response
    if channel_clock is not None:
        lines += explain(
            policy, channel_clock, now=at, lang=lang, context=policy.channel(channel).name(lang)
        )
    if not clocks.entitled:
        lines.append(_not_entitled(policy, plan, channel, lang))
    return {
        "plan": plan,
        "severity": severity,
        "channel": channel,
        "opened": _iso(opened.astimezone(policy.calendar.zone)),
        "first_response_due": _iso(clocks.first_response.due_at),
        "channel_response_due": _iso(channel_clock.due_at) if channel_clock else None,
        "target": clocks.first_response.target.text,
        "channel_target": channel_clock.target.text if channel_clock else None,
        "first_response_basis": _basis(clocks.first_response),
        "channel_response_basis": _basis(channel_clock) if channel_clock else None,
        "channel_entitled": clocks.entitled,
        "policy_version": policy.version,
        "explain": lines,
    }


def _due(args: argparse.Namespace) -> int:
    policy = default_policy()
    if args.batch:
        given = [n for n in ("plan", "severity", "opened") if getattr(args, n)]
        if given:
            return _usage(
                f"--batch reads plan, severity and opened from each line; drop --{given[0]}"
            )
        return _due_batch(policy, args.batch, lang=args.lang)
    for name in ("plan", "severity", "opened"):
        if not getattr(args, name):
            return _usage(f"--{name} is required (or give --batch FILE)")
    request = {
        "plan": args.plan,
        "severity": args.severity,
        "opened": args.opened,
        "channel": args.channel,
        "at": args.at,
    }
    try:
        answer = due(policy, request, lang=args.lang)
    except (InputError, UnknownCode) as exc:
        return _usage(str(exc))
    _print(answer)
    return 0


def _due_batch(policy: Policy, source: str, *, lang: str) -> int:
    failed = False
    try:
        stream = sys.stdin if source == "-" else open(source, encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        return _usage(f"--batch: cannot read {source!r} ({exc.strerror})")
    with stream:
        for answer in due_lines(policy, stream, lang=lang):
            failed = failed or "error" in answer
            _print(answer, stream=sys.stdout)
    return 1 if failed else 0


def due_lines(
    policy: Policy, lines: Iterable[str], *, lang: str = "es"
) -> Iterator[dict[str, Any]]:
    """One answer per input line, in order; a bad line yields ``{"line": N, "error": ...}``."""
    for number, line in enumerate(lines, start=1):
        try:
            request = json.loads(line)
        except json.JSONDecodeError as exc:
            yield {"line": number, "error": f"not valid JSON: {exc.msg} (column {exc.colno})"}
            continue
        try:
            yield due(policy, request, lang=lang)
        except (InputError, UnknownCode) as exc:
            yield {"line": number, "error": str(exc)}


# -------------------------------------------------------------------- sla elapsed


def _elapsed(args: argparse.Namespace) -> int:
    policy = default_policy()
    try:
        start = parse_instant(args.start, "--from")
        end = parse_instant(args.end, "--to")
    except InputError as exc:
        return _usage(str(exc))
    if end < start:
        return _usage("--to is before --from")
    amount = policy.calendar.elapsed(start, end)
    seconds = amount.total_seconds()
    _print({"business_seconds": int(seconds) if seconds.is_integer() else seconds})
    return 0


# ----------------------------------------------------------------------- calendar


def _calendar(args: argparse.Namespace) -> int:
    try:
        first, last = _date(args.first, "--from"), _date(args.last, "--to")
    except InputError as exc:
        return _usage(str(exc))
    if last < first:
        return _usage("--to is before --from")
    if (last - first).days > 366 * 10:
        return _usage("ask for at most ten years at a time")
    _print(calendar_listing(default_policy(), first, last, lang=args.lang))
    return 0


def calendar_listing(policy: Policy, first: date, last: date, *, lang: str) -> dict[str, Any]:
    calendar = policy.calendar
    return {
        "zone": calendar.spec.zone,
        "from": first.isoformat(),
        "to": last.isoformat(),
        "windows": [
            {"opens": _iso(opens), "closes": _iso(closes)}
            for opens, closes in calendar.windows(first, last)
        ],
        "holidays": [
            {
                "date": h.day.isoformat(),
                "name": display_name(h.names, lang),
                "closure": (
                    {"from": h.closure.starts.isoformat(), "to": h.closure.ends.isoformat()}
                    if h.closure
                    else None
                ),
            }
            for h in calendar.holidays(first, last)
        ],
    }


# ------------------------------------------------------------------------ helpers


def parse_instant(value: object, field: str) -> datetime:
    """An aware datetime from ISO 8601 text; ``Z`` is accepted; a missing offset is an error."""
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{field}: expected an ISO 8601 instant such as 2026-11-27T17:40:00-06:00")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InputError(
            f"{field}: {value!r} is not an ISO 8601 instant (e.g. 2026-11-27T17:40:00-06:00)"
        ) from None
    if moment.tzinfo is None:
        raise InputError(f"{field}: {value!r} has no UTC offset; add one, e.g. -06:00 or Z")
    return moment


def _date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{field}: {value!r} is not a date (YYYY-MM-DD)") from None


def _code(table: dict[str, Any], value: object, field: str, normalise: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{field}: missing (valid: {', '.join(table)})")
    code: str = normalise(value.strip())
    if code not in table:
        raise InputError(f"{field}: unknown value {value!r} (valid: {', '.join(table)})")
    return code


def _not_entitled(policy: Policy, plan: str, channel: str, lang: str) -> str:
    entitled = [p for p in policy.plans if p in policy.channel(channel).plans]
    with override(lang):
        return _(
            "%(channel)s is not included in the %(plan)s plan (it is in: %(plans)s): "
            "the message is handled as an email-grade ticket."
        ) % {
            "channel": policy.channel(channel).name(lang),
            "plan": policy.plan(plan).name(lang),
            "plans": ", ".join(policy.plan(p).name(lang) for p in entitled),
        }


def _basis(clock: SlaClock) -> str:
    return "business" if clock.counts_business_time else "wall"


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def _print(payload: dict[str, Any], stream: IO[str] | None = None) -> None:
    print(json.dumps(payload, ensure_ascii=False), file=stream or sys.stdout, flush=stream is None)


def _usage(message: str) -> int:
    print(f"soporte: {message}", file=sys.stderr)
    return 2

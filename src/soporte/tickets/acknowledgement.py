"""What we tell a customer when their ticket arrives: its number, when to expect a first
response (and when support resumes if it is closed now), and exactly which intake fields are
missing (READING.md §6, §8), in their language and time zone."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy, override
from django.utils.translation import gettext as _

from soporte.dates import long_when
from soporte.policy import Policy
from soporte.sla.explain import target_words
from soporte.sla.models import Clock
from soporte.tickets.domain import routing
from soporte.tickets.domain.intake import IntakeField
from soporte.tickets.models import Ticket

FIELD_LABELS: dict[IntakeField, Promise] = {
    IntakeField.ORGANISATION_ID: gettext_lazy(
        "Your organisation ID (Settings → Account, or at the bottom of the dashboard)"
    ),
    IntakeField.SCREENSHOT: gettext_lazy("A screenshot or screen recording of the issue"),
    IntakeField.URL: gettext_lazy("The URL you were on"),
    IntakeField.EXPECTED_VS_ACTUAL: gettext_lazy("What you expected to happen vs what happened"),
    IntakeField.BROWSER_OS: gettext_lazy("Browser and OS (e.g. Chrome 123 on Windows)"),
    IntakeField.STARTED_AT: gettext_lazy("The time and time zone the issue started"),
    IntakeField.STILL_HAPPENING: gettext_lazy("Whether it is still happening"),
}


@dataclass(frozen=True, slots=True)
class FirstClock:
    """What the acknowledgement says about the first-response clock."""

    basis: str
    target: str
    due_at: datetime


@dataclass(frozen=True, slots=True)
class Received:
    """One new ticket, as far as its acknowledgement goes."""

    number: int
    subject: str
    name: str
    lang: str
    zone: ZoneInfo
    first: FirstClock | None
    plan: str
    channel: str
    entitled: bool
    missing: tuple[IntakeField, ...]
    received_at: datetime


def next_steps(
    ticket: Ticket, clocks: list[Clock], policy: Policy, *, zone: ZoneInfo, now: datetime
) -> list[str]:
    """Sentences saying when the first response is due and, when closed now, when we resume.
    Call inside ``translation.override`` of the customer's language."""
    first = _first(c for c in clocks if c.kind == "first_response")
    closed = _closed(first, policy, now)
    lang = get_language() or ""
    lacking = _lacking(policy, lang, ticket.plan, ticket.channel, ticket.channel_entitled)
    lines = _steps(lang, _shape(first), closed, lacking)
    values = _values(ticket.pk, "", "", first, closed, policy, zone, now)
    return [line % values for line in lines]


def acknowledgements(tickets: Sequence[Received], policy: Policy) -> list[tuple[str, str]]:
    """The subject and plain-text body of each ticket's acknowledgement. The wording depends on
    a few facts (language, target, closed now, a channel the plan lacks, missing fields): it is
    written once per combination, and each ticket's number, subject, name and times filled
    in."""
    letters: list[tuple[str, str]] = [("", "")] * len(tickets)
    by_lang: dict[str, list[int]] = {}
    for i, ticket in enumerate(tickets):
        by_lang.setdefault(ticket.lang, []).append(i)
    for lang, indexes in by_lang.items():
        with override(lang):
            for i in indexes:
                t = tickets[i]
                closed = _closed(t.first, policy, t.received_at)
                lacking = _lacking(policy, lang, t.plan, t.channel, t.entitled)
                subject, body = _letter(lang, _shape(t.first), closed, lacking, t.missing)
                values = _values(
                    t.number, t.subject, t.name, t.first, closed, policy, t.zone, t.received_at
                )
                letters[i] = (subject % values, body % values)
    return letters


_Shape = tuple[str, str] | None
"""The first-response clock's basis and target, if any."""

_Lacking = tuple[str, str, tuple[str, ...]] | None
"""For a channel the plan is not entitled to: the plan's name, the channel's and those of the
channels the plan includes, in the customer's language."""


def _lacking(policy: Policy, lang: str, plan: str, channel: str, entitled: bool) -> _Lacking:
    if entitled:
        return None
    lang = lang.split("-")[0]
    names = tuple(
        policy.channel(code).name(lang) for code in routing.included_channels(policy, plan)
    )
    return policy.plan(plan).name(lang), policy.channel(channel).name(lang), names


def _shape(first: FirstClock | None) -> _Shape:
    return None if first is None else (first.basis, first.target)


def _first(clocks: Iterable[Clock]) -> FirstClock | None:
    clock = next(iter(clocks), None)
    return None if clock is None else FirstClock(clock.basis, clock.target, clock.due_at)


def _closed(first: FirstClock | None, policy: Policy, now: datetime) -> bool:
    """Support is closed at ``now`` and it matters (a business-hours first response)."""
    return first is not None and first.basis != "wall" and not policy.calendar.is_open(now)


def _values(
    number: int,
    subject: str,
    name: str,
    first: FirstClock | None,
    closed: bool,
    policy: Policy,
    zone: ZoneInfo,
    now: datetime,
) -> dict[str, Any]:
    return {
        "number": number,
        "subject": subject,
        "name": name,
        "due": "" if first is None else _when(first.due_at, zone),
        "resumes": _when(policy.calendar.next_open(now), zone) if closed else "",
    }


@lru_cache(maxsize=4096)
def _steps(lang: str, first: _Shape, closed: bool, lacking: _Lacking) -> tuple[str, ...]:
    """``next_steps`` in ``lang`` (the active language) as %-templates of ``_values``."""
    lines = [_("Your ticket number is #%(number)s.")]
    if first is not None:
        basis, target = first
        keep = {"due": "%(due)s", "target": _literal(target_words(target))}
        if basis == "wall":
            lines.append(
                _("We will answer by %(due)s at the latest (%(target)s, around the clock).") % keep
            )
        else:
            lines.append(
                _(
                    "We will answer by %(due)s at the latest (%(target)s: Monday to Friday, "
                    "09:00-18:00 Mexico City time, except holidays)."
                )
                % keep
            )
            if closed:
                lines.append(
                    _("Support is closed right now; it resumes %(when)s.") % {"when": "%(resumes)s"}
                )
    if lacking is not None:
        plan, channel, included = lacking
        text = _(
            "Your plan (%(plan)s) does not include %(channel)s, so we handle your message as an "
            "email ticket. Your plan includes: %(channels)s."
        ) % {"plan": plan, "channel": channel, "channels": listed(included)}
        lines.append(_literal(text))
    return tuple(lines)


@lru_cache(maxsize=4096)
def _letter(
    lang: str, first: _Shape, closed: bool, lacking: _Lacking, missing: tuple[IntakeField, ...]
) -> tuple[str, str]:
    """The acknowledgement's subject and body in ``lang`` (the active language), as
    %-templates of ``_values``."""
    subject = _("[#%(number)s] We received your ticket: %(subject)s")
    lines = [_("Hello %(name)s,"), ""]
    lines += _steps(lang, first, closed, lacking)
    if missing:
        lines += ["", _literal(_("To help you faster, please reply with what is missing:"))]
        lines += [_literal(f"- {FIELD_LABELS[field]}") for field in missing]
    lines += ["", _literal(_("— TrackMyVend support"))]
    return subject, "\n".join(lines)


def listed(names: Sequence[str]) -> str:
    """``"a, b and c"`` in the active language (Django's ``get_text_list`` drops the spaces
    after the commas in its es-MX catalogue)."""
    if len(names) < 2:
        return "".join(names)
    last = _("and")
    return f"{', '.join(names[:-1])} {last} {names[-1]}"


def _literal(text: str) -> str:
    """``text`` inside a %-template."""
    return text.replace("%", "%%")


def _when(moment: datetime, zone: ZoneInfo) -> str:
    return long_when(moment.astimezone(zone))

"""An SLA clock's due time in plain words, in Spanish or English (Django i18n)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from soporte.bizclock import ClosedPeriod, display_name
from soporte.dates import short_day, short_when, weekday_time
from soporte.policy.durations import Basis
from soporte.policy.model import Policy
from soporte.sla.domain import ClockKind, ClockState, ClockStatus, SlaClock, clock_facts

MAX_PERIODS = 8
"""Closed periods listed one by one; the rest are counted in a last line."""


def explain(
    policy: Policy,
    clock: SlaClock,
    *,
    now: datetime | None = None,
    lang: str = "es",
    context: str = "",
) -> list[str]:
    """Sentences explaining ``clock``: start, target, skipped closures, due time, and the state at
    ``now`` when given. ``context`` (e.g. "Starter P1") is added to the target sentence."""
    facts = clock_facts(policy, clock, now)
    zone = policy.calendar.zone
    with override(lang):
        lines = [_("Clock started %(when)s.") % {"when": _when(clock.started_at.astimezone(zone))}]
        if facts.accrues_from != clock.started_at:
            lines.append(
                _("Outside business hours: business time counts from %(when)s.")
                % {"when": _when(facts.accrues_from)}
            )
        lines.append(_target_sentence(clock, context))
        lines += _skipped_sentences(facts.skipped, lang)
        lines.append(_("Due %(when)s.") % {"when": _when(clock.due_at.astimezone(zone))})
        if facts.state is not None and facts.now is not None:
            lines.append(_state_sentence(clock, facts.now.astimezone(zone), facts.state))
        if facts.resumes_at is not None and (facts.state is None or not facts.state.due_at_opening):
            lines.append(
                _("Support is closed now; the clock resumes %(when)s.")
                % {"when": _when(facts.resumes_at)}
            )
    return lines


def due_at_opening(opening: datetime) -> str:
    """A clock whose time ran out on a close: ``due when support opens, Mon 09:00``.
    ``opening`` is aware, in the zone to show."""
    return _("due when support opens, %(when)s") % {"when": weekday_time(opening)}


_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(bd|bh|min|sec|s|h|d)\b")
_SAME_DAY = {"same bd", "same business day"}


def target_words(text: str) -> str:
    """A policy target (``5 bd``, ``4 bh``, ``15 min 24/7``, ``same bd``) in words of the
    active language: "5 días hábiles", "15 minutes, around the clock". A text that is not a
    duration is returned as it is."""
    raw = " ".join(text.split()).lower()
    if raw in _SAME_DAY:
        return _("the same business day")
    body = raw.removesuffix("24/7").strip()
    parts = _PART.findall(body)
    if not parts or _PART.sub("", body).strip():
        return text
    amount = " ".join(_unit_words(number, unit) for number, unit in parts)
    if body != raw:
        return _("%(amount)s, around the clock") % {"amount": amount}
    return amount


def _unit_words(number: str, unit: str) -> str:
    count = int(number) if number.isdigit() else 2  # a fraction reads as a plural
    forms = {
        "bd": ngettext("%(n)s business day", "%(n)s business days", count),
        "bh": ngettext("%(n)s business hour", "%(n)s business hours", count),
        "h": ngettext("%(n)s hour", "%(n)s hours", count),
        "min": ngettext("%(n)s minute", "%(n)s minutes", count),
        "d": ngettext("%(n)s day", "%(n)s days", count),
    }
    seconds = ngettext("%(n)s second", "%(n)s seconds", count)
    return forms.get(unit, seconds) % {"n": number}


def format_duration(amount: timedelta) -> str:
    """``42 h 5 min`` style, to the second; ``0 min`` for nothing. Never in days: a day of
    business time is 9 hours, a day of wall-clock time 24, and "1 d" would hide which."""
    seconds = int(abs(amount).total_seconds())
    hours, rest = divmod(seconds, 3_600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{hours} h" if hours else "",
        f"{minutes} min" if minutes else "",
        f"{secs} s" if secs else "",
    ]
    text = " ".join(p for p in parts if p) or "0 min"
    return f"-{text}" if amount < timedelta(0) else text


def _when(moment: datetime) -> str:
    return short_when(moment)


def _target_sentence(clock: SlaClock, context: str) -> str:
    kind = _("first response") if clock.kind is ClockKind.FIRST_RESPONSE else _("channel response")
    label = f"{kind}, {context}" if context else kind
    values = {
        "target": target_words(clock.target.text),
        "amount": format_duration(clock.budget),
        "label": label,
    }
    if clock.target.basis is Basis.WALL:
        return (
            _(
                "Target: %(target)s (%(label)s): wall-clock time; "
                "nights, weekends and holidays count."
            )
            % values
        )
    if clock.target.basis is Basis.SAME_BUSINESS_DAY:
        return _("Target: same business day (%(label)s): due at the close of business.") % values
    return _("Target: %(target)s = %(amount)s of business time (%(label)s).") % values


def _skipped_sentences(periods: tuple[ClosedPeriod, ...], lang: str) -> list[str]:
    lines = []
    for period in periods[:MAX_PERIODS]:
        reasons = [
            _("holiday: %(name)s, %(day)s")
            % {"name": display_name(h.names, lang), "day": short_day(h.day)}
            for h in period.holidays
        ]
        if period.closed_days:
            reasons.append(
                _("closed days: %(days)s")
                % {"days": ", ".join(short_day(d) for d in period.closed_days)}
            )
        values = {"from": _when(period.starts), "to": _when(period.ends), "why": "; ".join(reasons)}
        if reasons:
            lines.append(_("Skipped %(from)s → %(to)s (%(why)s).") % values)
        else:
            lines.append(_("Skipped the night %(from)s → %(to)s.") % values)
    if len(periods) > MAX_PERIODS:
        lines.append(
            ngettext(
                "… and %(count)d more closed period.",
                "… and %(count)d more closed periods.",
                len(periods) - MAX_PERIODS,
            )
            % {"count": len(periods) - MAX_PERIODS}
        )
    return lines


def _state_sentence(clock: SlaClock, now: datetime, seen: ClockState) -> str:
    values = {
        "when": _when(now),
        "at": _when(clock.fulfilled_at.astimezone(now.tzinfo)) if clock.fulfilled_at else "",
        "used": format_duration(seen.elapsed),
        "left": format_duration(seen.remaining),
        "over": format_duration(-seen.remaining),
    }
    sentences = {
        ClockStatus.MET: _("Fulfilled %(at)s after %(used)s: target met."),
        ClockStatus.MISSED: _("Fulfilled %(at)s after %(used)s: target missed by %(over)s."),
        ClockStatus.BREACHED: _("At %(when)s: breached, %(over)s over the target."),
        ClockStatus.AT_RISK: _("At %(when)s: %(used)s used, %(left)s left (at risk)."),
        ClockStatus.ON_TRACK: _("At %(when)s: %(used)s used, %(left)s left (on track)."),
    }
    if seen.due_at_opening is not None:
        values["opening"] = short_when(seen.due_at_opening.astimezone(now.tzinfo))
        return (
            _(
                "At %(when)s: support is closed and the target's time is used up; due when "
                "support opens, %(opening)s."
            )
            % values
        )
    return sentences[seen.status] % values

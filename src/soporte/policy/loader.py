"""Read and validate a policy file (TOML) into a :class:`Policy`.

Every fault is collected, not just the first, and each names the file, the key and what is
wrong: ``policy.toml: sla.P1.pro: unparsable duration 'four hours' ...``. Nothing here raises a
bare traceback at a policy author.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from soporte.bizclock import (
    WEEKDAYS,
    CalendarSpec,
    Closure,
    EasterOffset,
    FixedDate,
    HolidayRule,
    NthWeekday,
    Window,
)
from soporte.policy.durations import Basis, Target, parse_duration
from soporte.policy.model import (
    PAGE_TRANSPORTS,
    Channel,
    Csat,
    Escalation,
    KnowledgeBase,
    Named,
    OnCall,
    Plan,
    Policy,
    PostMortems,
)

DEFAULT_PATH = Path(__file__).with_name("default.toml")
ENV_VAR = "SOPORTE_POLICY"
_T = TypeVar("_T")
_HHMM = re.compile(r"^(\d{2}):(\d{2})$")
_HTTP_URL = re.compile(r"^https?://[^\s/]+\S*$")


@dataclass(frozen=True, slots=True)
class PolicyProblem:
    file: str
    key: str
    message: str

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.key}: {self.message}"
            if self.key
            else f"{self.file}: {self.message}"
        )


class PolicyInvalid(Exception):
    """The policy file cannot be used; ``problems`` says every reason."""

    def __init__(self, problems: list[PolicyProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def default_policy() -> Policy:
    """The policy in force: ``$SOPORTE_POLICY`` if set, else the one shipped with soporte."""
    return _load_cached(os.environ.get(ENV_VAR) or str(DEFAULT_PATH))


@cache
def _load_cached(path: str) -> Policy:
    return load_policy(path)


def load_policy(path: str | os.PathLike[str]) -> Policy:
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyInvalid(
            [PolicyProblem(name, "", f"cannot read the file ({exc.strerror})")]
        ) from None
    return parse_policy(text, source=name)


def parse_policy(text: str, *, source: str) -> Policy:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyInvalid([PolicyProblem(source, "", f"not valid TOML: {exc}")]) from None
    reader = _Reader(source)
    policy = reader.policy(data)
    if reader.problems or policy is None:
        raise PolicyInvalid(reader.problems)
    return policy


def policy_version(data: dict[str, Any]) -> str:
    """A stable hash of the policy's content: comments and layout do not change it."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()[:16]


class _Reader:
    """Walks the TOML tree, converting values and collecting problems with their key paths."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[PolicyProblem] = []
        self.business_day = timedelta(hours=9)

    def fail(self, key: str, message: str) -> None:
        self.problems.append(PolicyProblem(self.source, key, message))

    def get(
        self, table: dict[str, Any], key: str, kind: type[_T], path: str, default: Any = ...
    ) -> _T | None:
        full = f"{path}.{key}" if path else key
        if key not in table:
            if default is ...:
                self.fail(full, "missing")
                return None
            return default  # type: ignore[no-any-return]
        value = table[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.fail(full, f"expected {_kind_name(kind)}, got {value!r}")
            return None
        return value

    def convert(self, path: str, value: Any, parse: Callable[[Any], _T]) -> _T | None:
        try:
            return parse(value)
        except (ValueError, TypeError, KeyError) as exc:
            self.fail(path, str(exc.args[0]) if exc.args else type(exc).__name__)
            return None

    def duration(self, table: dict[str, Any], key: str, path: str) -> Target | None:
        raw = self.get(table, key, str, path)
        if raw is None:
            return None
        return self.convert(
            f"{path}.{key}", raw, lambda v: parse_duration(v, business_day=self.business_day)
        )

    def names(self, table: dict[str, Any], path: str) -> dict[str, str]:
        names = self.get(table, "name", dict, path)
        if names is None:
            return {}
        if not names or not all(isinstance(v, str) and v for v in names.values()):
            self.fail(
                f"{path}.name",
                "expected a table of non-empty names per language, e.g. { es = ..., en = ... }",
            )
        return {str(k): str(v) for k, v in names.items()}

    def codes(self, data: dict[str, Any], key: str) -> dict[str, dict[str, Any]]:
        table = self.get(data, key, dict, "")
        if not table:
            if table is not None:
                self.fail(key, "needs at least one entry")
            return {}
        entries = {}
        for code, entry in table.items():
            if isinstance(entry, dict):
                entries[code] = entry
            else:
                self.fail(f"{key}.{code}", f"expected a table, got {entry!r}")
        return entries

    # ------------------------------------------------------------------ sections

    def policy(self, data: dict[str, Any]) -> Policy | None:
        name = self.get(data, "name", str, "", default="Support policy")
        spec = self.calendar(self.get(data, "calendar", dict, "") or {})
        plans = {
            c: Plan(
                c,
                self.names(e, f"plans.{c}"),
                csm=bool(self.get(e, "csm", bool, f"plans.{c}", default=False)),
            )
            for c, e in self.codes(data, "plans").items()
        }
        severities = {
            c: Named(c, self.names(e, f"severities.{c}"))
            for c, e in self.codes(data, "severities").items()
        }
        tiers = {
            c: Named(c, self.names(e, f"tiers.{c}")) for c, e in self.codes(data, "tiers").items()
        }
        sla = self.sla(self.get(data, "sla", dict, "") or {}, plans, severities)
        channels = {
            c: self.channel(c, e, plans, severities, tiers)
            for c, e in self.codes(data, "channels").items()
        }
        escalation = self.escalation(
            self.get(data, "escalation", dict, "") or {}, severities, tiers
        )
        oncall = self.oncall(self.get(data, "oncall", dict, "") or {})
        csat = self.csat(self.get(data, "csat", dict, "") or {})
        kb = self.kb(self.get(data, "kb", dict, "") or {})
        postmortem = self.postmortem(self.get(data, "postmortem", dict, "", default={}) or {})
        known = {
            "name",
            "calendar",
            "plans",
            "severities",
            "tiers",
            "sla",
            "channels",
            "escalation",
            "oncall",
            "csat",
            "kb",
            "postmortem",
        }
        for key in data.keys() - known:
            self.fail(key, f"unknown section (known: {', '.join(sorted(known))})")
        if (
            self.problems
            or spec is None
            or escalation is None
            or oncall is None
            or csat is None
            or kb is None
            or postmortem is None
        ):
            return None
        return Policy(
            name=name or "",
            version=policy_version(data),
            source=self.source,
            calendar_spec=spec,
            business_day=self.business_day,
            plans=plans,
            severities=severities,
            tiers=tiers,
            channels=channels,
            sla=sla,
            escalation=escalation,
            oncall=oncall,
            csat=csat,
            kb=kb,
            postmortem=postmortem,
        )

    def calendar(self, table: dict[str, Any]) -> CalendarSpec | None:
        zone = self.zone(table, "zone", "calendar")
        day = self.get(table, "business_day", str, "calendar", default="9 h")
        if day is not None:
            target = self.convert(
                "calendar.business_day",
                day,
                lambda v: parse_duration(v, business_day=timedelta(hours=9)),
            )
            if target is not None and (target.basis is not Basis.BUSINESS or not target.amount):
                self.fail(
                    "calendar.business_day",
                    "expected a positive amount of business time, e.g. '9 h'",
                )
            elif target is not None:
                self.business_day = target.amount
        hours = self.get(table, "hours", dict, "calendar") or {}
        for key in hours.keys() - set(WEEKDAYS):
            self.fail(f"calendar.hours.{key}", f"unknown weekday (known: {', '.join(WEEKDAYS)})")
        week = tuple(self.windows(hours.get(day, []), f"calendar.hours.{day}") for day in WEEKDAYS)
        holidays = [
            self.holiday(h, f"calendar.holidays[{i}]")
            for i, h in enumerate(self.get(table, "holidays", list, "calendar", default=[]) or [])
        ]
        closures = [
            self.closure(c, f"calendar.closures[{i}]")
            for i, c in enumerate(self.get(table, "closures", list, "calendar", default=[]) or [])
        ]
        if zone is None or any(h is None for h in holidays) or any(c is None for c in closures):
            return None
        return self.convert(
            "calendar.hours",
            None,
            lambda _: CalendarSpec(
                zone, week, tuple(h for h in holidays if h), tuple(c for c in closures if c)
            ),
        )

    def zone(self, table: dict[str, Any], key: str, path: str) -> str | None:
        name = self.get(table, key, str, path)
        if name is None:
            return None
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            self.fail(
                f"{path}.{key}",
                f"unknown time zone {name!r} (expected an IANA name such as 'America/Mexico_City')",
            )
            return None
        return name

    def windows(self, raw: Any, path: str) -> tuple[Window, ...]:
        if not isinstance(raw, list):
            self.fail(path, f"expected a list of 'HH:MM-HH:MM' windows, got {raw!r}")
            return ()
        windows = []
        for i, text in enumerate(raw):
            parts = str(text).split("-")
            bounds = [_minutes(p.strip()) for p in parts] if len(parts) == 2 else [None]
            if any(b is None for b in bounds):
                self.fail(f"{path}[{i}]", f"expected 'HH:MM-HH:MM', got {text!r}")
                continue
            opens, closes = bounds
            assert opens is not None
            assert closes is not None
            if opens >= closes:
                self.fail(
                    f"{path}[{i}]",
                    f"opening {parts[0].strip()} is not before closing {parts[1].strip()}",
                )
                continue
            windows.append(Window(opens, closes))
        return tuple(sorted(windows, key=lambda w: w.opens))

    def holiday(self, raw: Any, path: str) -> HolidayRule | None:
        if not isinstance(raw, dict):
            self.fail(path, f"expected a table, got {raw!r}")
            return None
        names = self.names(raw, path)
        since = self.get(raw, "since", int, path, default=None)
        until = self.get(raw, "until", int, path, default=None)
        kinds = [k for k in ("date", "easter", "month") if k in raw]
        if len(kinds) != 1:
            self.fail(
                path, "give exactly one of date = 'MM-DD', easter = N, or month + weekday + nth"
            )
            return None
        if kinds == ["date"]:
            text = self.get(raw, "date", str, path) or ""
            found = self.convert(f"{path}.date", text, lambda v: date.fromisoformat(f"2000-{v}"))
            return (
                FixedDate(names, since, until, month=found.month, day=found.day) if found else None
            )
        if kinds == ["easter"]:
            days = self.get(raw, "easter", int, path)
            return EasterOffset(names, since, until, days=days) if days is not None else None
        month = self.get(raw, "month", int, path)
        weekday = self.get(raw, "weekday", str, path)
        nth = self.get(raw, "nth", int, path)
        if month is not None and not 1 <= month <= 12:
            self.fail(f"{path}.month", f"expected 1-12, got {month}")
            return None
        if weekday is not None and weekday not in WEEKDAYS:
            self.fail(
                f"{path}.weekday", f"unknown weekday {weekday!r} (known: {', '.join(WEEKDAYS)})"
            )
            return None
        if nth is not None and nth not in (1, 2, 3, 4, 5, -1):
            self.fail(f"{path}.nth", f"expected 1-5 or -1 (last), got {nth}")
            return None
        if month is None or weekday is None or nth is None:
            return None
        return NthWeekday(
            names, since, until, month=month, weekday=WEEKDAYS.index(weekday), nth=nth
        )

    def closure(self, raw: Any, path: str) -> Closure | None:
        if not isinstance(raw, dict):
            self.fail(path, f"expected a table, got {raw!r}")
            return None
        names = self.names(raw, path)
        bounds = [self.get(raw, k, str, path) for k in ("from", "to")]
        parsed = [
            self.convert(f"{path}.{k}", v, datetime.fromisoformat) if v else None
            for k, v in zip(("from", "to"), bounds, strict=True)
        ]
        starts, ends = parsed
        if starts is None or ends is None:
            return None
        if starts.tzinfo or ends.tzinfo:
            self.fail(path, "closure times are local to the calendar's zone: drop the offset")
            return None
        return self.convert(path, None, lambda _: Closure(starts, ends, names))

    def sla(
        self, table: dict[str, Any], plans: dict[str, Plan], severities: dict[str, Named]
    ) -> dict[tuple[str, str], Target]:
        grid: dict[tuple[str, str], Target] = {}
        for sev in table.keys() - severities.keys():
            self.fail(f"sla.{sev}", f"unknown severity (known: {', '.join(severities)})")
        for sev in severities:
            row = self.get(table, sev, dict, "sla")
            if row is None:
                continue
            for plan in row.keys() - plans.keys():
                self.fail(f"sla.{sev}.{plan}", f"unknown plan (known: {', '.join(plans)})")
            for plan in plans:
                target = self.duration(row, plan, f"sla.{sev}")
                if target is not None and target.basis is Basis.SAME_BUSINESS_DAY:
                    self.fail(f"sla.{sev}.{plan}", "'same bd' is a channel target, not an SLA")
                elif target is not None:
                    grid[(plan, sev)] = target
        return grid

    def channel(
        self,
        code: str,
        entry: dict[str, Any],
        plans: dict[str, Plan],
        severities: dict[str, Named],
        tiers: dict[str, Named],
    ) -> Channel:
        path = f"channels.{code}"
        entitled = self.get(entry, "plans", list, path) or []
        for plan in entitled:
            if plan not in plans:
                self.fail(f"{path}.plans", f"unknown plan {plan!r} (known: {', '.join(plans)})")
        raw = self.get(entry, "target", str, path)
        target = None if raw in (None, "sla") else self.duration(entry, "target", path)
        severity = self.get(entry, "severity", str, path, default=None)
        if severity is not None and severity not in severities:
            self.fail(
                f"{path}.severity",
                f"unknown severity {severity!r} (known: {', '.join(severities)})",
            )
        tier = self.get(entry, "tier", str, path, default=None)
        if tier is not None and tier not in tiers:
            self.fail(f"{path}.tier", f"unknown tier {tier!r} (known: {', '.join(tiers)})")
        address = self.get(entry, "address", str, path, default="") or ""
        reopen_days = self.get(entry, "reopen_days", int, path, default=None)
        if reopen_days is not None and reopen_days < 0:
            self.fail(f"{path}.reopen_days", f"expected 0 or more, got {reopen_days}")
        names = self.names(entry, path)
        return Channel(
            code, names, frozenset(entitled), target, severity, tier, address, reopen_days
        )

    def escalation(
        self, table: dict[str, Any], severities: dict[str, Named], tiers: dict[str, Named]
    ) -> Escalation | None:
        path = "escalation"
        first = self.get(table, "first_tier", str, path)
        if first is not None and first not in tiers:
            self.fail(f"{path}.first_tier", f"unknown tier {first!r} (known: {', '.join(tiers)})")
        limit = self.get(table, "t1_exchange_limit", int, path)
        if limit is not None and limit < 1:
            self.fail(f"{path}.t1_exchange_limit", f"expected at least 1, got {limit}")
        pages = self.get(table, "t3_pages", list, path) or []
        for sev in pages:
            if sev not in severities:
                self.fail(
                    f"{path}.t3_pages", f"unknown severity {sev!r} (known: {', '.join(severities)})"
                )
        at_once = self.get(table, "p0_pages_at_once", bool, path)
        founder = self.duration(table, "founder_cto_after", path)
        warning = self.get(table, "sla_warning_at", float, path)
        if warning is not None and not 0 < warning < 1:
            self.fail(f"{path}.sla_warning_at", f"expected a share between 0 and 1, got {warning}")
        if None in (first, limit, at_once, founder, warning):
            return None
        assert first is not None
        assert limit is not None
        assert founder is not None
        assert warning is not None
        return Escalation(first, limit, frozenset(pages), bool(at_once), founder, warning)

    def oncall(self, table: dict[str, Any]) -> OnCall | None:
        path = "oncall"
        zone = self.zone(table, "zone", path)
        handoff = self.get(table, "handoff", str, path) or ""
        day, _, clock = handoff.partition(" ")
        minutes = _minutes(clock)
        if handoff and (day not in WEEKDAYS or minutes is None or minutes >= 24 * 60):
            self.fail(
                f"{path}.handoff",
                f"expected '<weekday> HH:MM' such as 'mon 10:00', got {handoff!r}",
            )
        shift = self.duration(table, "shift", path)
        ack = self.duration(table, "ack_timeout", path)
        transports = self.page_transports(table, path)
        runbook = self.get(table, "runbook_url", str, path, default="")
        if runbook and not _HTTP_URL.match(runbook):
            self.fail(f"{path}.runbook_url", f"expected an http(s) address, got {runbook!r}")
        if zone is None or minutes is None or day not in WEEKDAYS or shift is None or ack is None:
            return None
        return OnCall(
            zone,
            WEEKDAYS.index(day),
            time(minutes // 60, minutes % 60),
            shift.amount,
            ack,
            transports,
            runbook or "",
        )

    def page_transports(self, table: dict[str, Any], path: str) -> tuple[str, ...]:
        names = self.get(table, "page_transports", list, path, default=list(PAGE_TRANSPORTS))
        key = f"{path}.page_transports"
        if names is None:
            return PAGE_TRANSPORTS
        unknown = [n for n in names if n not in PAGE_TRANSPORTS]
        if unknown or not names or len(set(names)) != len(names):
            self.fail(
                key,
                f"expected a list of distinct transports among {', '.join(PAGE_TRANSPORTS)}, "
                f"got {names!r}",
            )
            return PAGE_TRANSPORTS
        return tuple(str(n) for n in names)

    def csat(self, table: dict[str, Any]) -> Csat | None:
        answers = self.get(table, "answers", list, "csat")
        if answers is not None and len(answers) < 2:
            self.fail("csat.answers", "expected at least two answers, best first")
        zone = self.zone(table, "review_zone", "csat")
        change_days = self.get(table, "change_days", int, "csat", default=14)
        gap_hours = self.get(table, "gap_hours", int, "csat", default=24)
        for key, value in (("change_days", change_days), ("gap_hours", gap_hours)):
            if value is not None and value < 0:
                self.fail(f"csat.{key}", f"expected 0 or more, got {value}")
        if answers is None or zone is None or change_days is None or gap_hours is None:
            return None
        return Csat(tuple(str(a) for a in answers), zone, change_days, gap_hours)

    def postmortem(self, table: dict[str, Any]) -> PostMortems | None:
        days = self.get(table, "due_business_days", int, "postmortem", default=5)
        if days is not None and days < 1:
            self.fail("postmortem.due_business_days", f"expected at least 1, got {days}")
            return None
        for key in table.keys() - {"due_business_days"}:
            self.fail(f"postmortem.{key}", "unknown key (known: due_business_days)")
        return None if days is None else PostMortems(days)

    def kb(self, table: dict[str, Any]) -> KnowledgeBase | None:
        path = "kb"
        locales = self.get(table, "locales", list, path)
        default = self.get(table, "default_locale", str, path)
        if locales is not None and default is not None and default not in locales:
            self.fail(f"{path}.default_locale", f"{default!r} is not one of the locales {locales}")
        pinned = self.get(table, "pinned_faqs", int, path)
        streak = self.get(table, "faq_streak_weeks", int, path)
        auto = self.get(table, "faq_auto_pin", bool, path)
        for key, value in (("pinned_faqs", pinned), ("faq_streak_weeks", streak)):
            if value is not None and value < 1:
                self.fail(f"{path}.{key}", f"expected at least 1, got {value}")
        if locales is None or default is None or pinned is None or streak is None or auto is None:
            return None
        return KnowledgeBase(tuple(str(x) for x in locales), default, pinned, streak, auto)


def _minutes(text: str) -> int | None:
    """``"09:30"`` -> 570; ``"24:00"`` -> 1440; anything else -> None."""
    match = _HHMM.match(text)
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes >= 60 or hours > 24 or (hours == 24 and minutes):
        return None
    return hours * 60 + minutes


def _kind_name(kind: type) -> str:
    return {
        str: "a string",
        int: "a whole number",
        float: "a number",
        bool: "true or false",
        list: "a list",
        dict: "a table",
    }.get(kind, kind.__name__)

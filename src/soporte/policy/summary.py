"""A readable summary of a policy: the SLA grid, channels, calendar, holidays, escalation."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from soporte.bizclock import display_name
from soporte.policy.durations import Target
from soporte.policy.model import Policy

_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "policy": "Policy",
        "version": "version",
        "source": "source",
        "grid": "First-response SLA (severity × plan)",
        "severity": "severity",
        "channels": "Channels",
        "channel": "channel",
        "plans": "plans",
        "target": "target",
        "clock": "clock",
        "notes": "notes",
        "sla_grid": "the SLA grid",
        "business": "business hours",
        "wall": "24/7",
        "same_business_day": "business hours (close of that business day)",
        "opens_as": "opens as {severity}",
        "starts_at": "starts at {tier}",
        "calendar": "Business calendar",
        "zone": "zone",
        "business_day": "business day",
        "weekly_hours": "weekly hours",
        "closed": "closed",
        "per_week": "{hours} business hours a week",
        "holidays": "Holidays and closures in {year}",
        "none": "(none)",
        "closure": "closure {start}–{end}",
        "escalation": "Escalation",
        "first_tier": "first tier",
        "t1_limit": "T1 → T2 after",
        "exchanges": "{n} exchanges",
        "t3_pages": "T3 pages on-call for",
        "p0_at_once": "P0 pages on-call at once",
        "founder_cto": "P0 unresolved: founder and CTO paged after",
        "warning": "pre-breach warning at",
        "of_target": "{pct}% of the target",
        "oncall": "On-call",
        "handoff": "handoff",
        "shift": "shift",
        "ack_timeout": "acknowledgement timeout (primary → secondary)",
        "csat": "CSAT answers",
        "kb": "Knowledge base",
        "kb_line": "locales {locales} (default {default}); {pinned} pinned FAQs per locale; "
        "FAQ after {weeks} consecutive weeks ({mode})",
        "auto_pin": "pinned automatically",
        "propose": "proposed",
        "yes": "yes",
        "no": "no",
    },
    "es": {
        "policy": "Política",
        "version": "versión",
        "source": "archivo",
        "grid": "SLA de primera respuesta (severidad × plan)",
        "severity": "severidad",
        "channels": "Canales",
        "channel": "canal",
        "plans": "planes",
        "target": "objetivo",
        "clock": "reloj",
        "notes": "notas",
        "sla_grid": "la tabla de SLA",
        "business": "horario hábil",
        "wall": "24/7",
        "same_business_day": "horario hábil (cierre de ese día hábil)",
        "opens_as": "abre como {severity}",
        "starts_at": "empieza en {tier}",
        "calendar": "Calendario hábil",
        "zone": "zona",
        "business_day": "día hábil",
        "weekly_hours": "horario semanal",
        "closed": "cerrado",
        "per_week": "{hours} horas hábiles por semana",
        "holidays": "Días festivos y cierres en {year}",
        "none": "(ninguno)",
        "closure": "cierre {start}–{end}",
        "escalation": "Escalamiento",
        "first_tier": "primer nivel",
        "t1_limit": "T1 → T2 después de",
        "exchanges": "{n} intercambios",
        "t3_pages": "T3 llama a guardia para",
        "p0_at_once": "un P0 llama a guardia de inmediato",
        "founder_cto": "P0 sin resolver: se llama a fundador y CTO después de",
        "warning": "aviso previo al incumplimiento al",
        "of_target": "{pct}% del objetivo",
        "oncall": "Guardia",
        "handoff": "relevo",
        "shift": "turno",
        "ack_timeout": "plazo de acuse (primaria → secundaria)",
        "csat": "Respuestas de CSAT",
        "kb": "Base de conocimiento",
        "kb_line": "idiomas {locales} (predeterminado {default}); {pinned} FAQ fijadas por "
        "idioma; FAQ tras {weeks} semanas seguidas ({mode})",
        "auto_pin": "se fija automáticamente",
        "propose": "se propone",
        "yes": "sí",
        "no": "no",
    },
}

_WEEKDAY_NAMES = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
}


def _lang(lang: str) -> str:
    base = lang.lower().replace("_", "-").split("-")[0]
    return base if base in _LABELS else "en"


def default_year(policy: Policy, today: date | None = None) -> int:
    """The year after today's year in the policy's zone."""
    if today is None:
        today = datetime.now(ZoneInfo(policy.calendar_spec.zone)).date()
    return today.year + 1


def render_summary(policy: Policy, *, lang: str = "en", year: int | None = None) -> str:
    """The policy in plain text, in English (``en``) or Spanish (``es``)."""
    lang = _lang(lang)
    t = _LABELS[lang]
    if year is None:
        year = default_year(policy)
    out: list[str] = []

    out.append(f"{t['policy']}: {policy.name}")
    out.append(f"  {t['version']}: {policy.version}")
    out.append(f"  {t['source']}: {policy.source}")

    out += ["", t["grid"]]
    header = [t["severity"], *(p.name(lang) for p in policy.plans.values())]
    rows = [
        [
            f"{code} {severity.name(lang)}",
            *(_target(policy.sla[(plan, code)]) for plan in policy.plans),
        ]
        for code, severity in policy.severities.items()
    ]
    out += _table(header, rows)

    out += ["", t["channels"]]
    rows = []
    for code, channel in policy.channels.items():
        notes = []
        if channel.severity:
            notes.append(t["opens_as"].format(severity=channel.severity))
        if channel.tier:
            notes.append(t["starts_at"].format(tier=channel.tier))
        rows.append(
            [
                f"{code} ({channel.name(lang)})",
                ", ".join(p for p in policy.plans if p in channel.plans),
                t["sla_grid"] if channel.target is None else channel.target.text,
                "" if channel.target is None else t[channel.target.basis.value],
                "; ".join(notes),
            ]
        )
    out += _table([t["channel"], t["plans"], t["target"], t["clock"], t["notes"]], rows)

    spec = policy.calendar_spec
    out += ["", t["calendar"]]
    out.append(f"  {t['zone']}: {spec.zone}")
    out.append(f"  {t['business_day']}: {_duration(policy.business_day)}")
    out.append(f"  {t['weekly_hours']}:")
    weekly = timedelta(0)
    for i, windows in enumerate(spec.week):
        text = ", ".join(str(w) for w in windows) if windows else t["closed"]
        weekly += sum((timedelta(minutes=w.closes - w.opens) for w in windows), timedelta(0))
        out.append(f"    {_WEEKDAY_NAMES[lang][i]:<10} {text}")
    out.append(f"    {t['per_week'].format(hours=_hours(weekly))}")

    out += ["", t["holidays"].format(year=year)]
    holidays = policy.calendar.holidays(date(year, 1, 1), date(year, 12, 31))
    if not holidays:
        out.append(f"  {t['none']}")
    for holiday in holidays:
        line = (
            f"  {holiday.day.isoformat()}  {_WEEKDAY_NAMES[lang][holiday.day.weekday()]:<10} "
            f"{display_name(holiday.names, lang)}"
        )
        if holiday.closure is not None:
            closure = holiday.closure
            line += (
                " ("
                + t["closure"].format(
                    start=closure.starts.strftime("%Y-%m-%d %H:%M"),
                    end=closure.ends.strftime("%Y-%m-%d %H:%M"),
                )
                + ")"
            )
        out.append(line)

    esc = policy.escalation
    out += ["", t["escalation"]]
    out.append(f"  {t['first_tier']}: {esc.first_tier}")
    out.append(f"  {t['t1_limit']}: {t['exchanges'].format(n=esc.t1_exchange_limit)}")
    out.append(f"  {t['t3_pages']}: {', '.join(sorted(esc.t3_pages)) or t['none']}")
    out.append(f"  {t['p0_at_once']}: {t['yes'] if esc.p0_pages_at_once else t['no']}")
    out.append(f"  {t['founder_cto']}: {_target(esc.founder_cto_after)}")
    pct = f"{esc.sla_warning_at * 100:g}"
    out.append(f"  {t['warning']}: {t['of_target'].format(pct=pct)}")

    oncall = policy.oncall
    out += ["", t["oncall"]]
    out.append(f"  {t['zone']}: {oncall.zone}")
    handoff_day = _WEEKDAY_NAMES[lang][oncall.handoff_weekday]
    out.append(f"  {t['handoff']}: {handoff_day} {oncall.handoff_time.strftime('%H:%M')}")
    out.append(f"  {t['shift']}: {_duration(oncall.shift)}")
    out.append(f"  {t['ack_timeout']}: {_target(oncall.ack_timeout)}")

    out += ["", f"{t['csat']}: {', '.join(policy.csat.answers)}"]
    kb = policy.kb
    mode = t["auto_pin"] if kb.faq_auto_pin else t["propose"]
    kb_line = t["kb_line"].format(
        locales=", ".join(kb.locales),
        default=kb.default_locale,
        pinned=kb.pinned_faqs,
        weeks=kb.faq_streak_weeks,
        mode=mode,
    )
    out.append(f"{t['kb']}: {kb_line}")
    return "\n".join(out) + "\n"


def _target(target: Target) -> str:
    """A target as the policy writes it (``4 bh``, ``15 min 24/7``): the text names the clock."""
    return target.text


def _duration(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = []
    if days:
        parts.append(f"{days} d")
    if hours:
        parts.append(f"{hours} h")
    if minutes or not parts:
        parts.append(f"{minutes} min")
    return " ".join(parts)


def _hours(value: timedelta) -> str:
    hours = value.total_seconds() / 3600
    return f"{hours:g}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  " + "  ".join(f"{c:<{w}}" for c, w in zip(cells, widths, strict=True)).rstrip()

    return [line(header), "  " + "  ".join("-" * w for w in widths), *(line(r) for r in rows)]

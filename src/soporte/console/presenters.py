"""What the console shows, computed at render time: countdowns, colours, checklists, the timeline
in words. Nothing here queries the database beyond what the caller prefetched."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from soporte.accounts.models import Plan
from soporte.dates import short_when
from soporte.feedback.models import Answer, DispositionChoice
from soporte.policy import Policy, default_policy
from soporte.sla.domain import ClockStatus
from soporte.sla.explain import due_at_opening, format_duration, target_words
from soporte.sla.selectors import ClockView, clock_views, most_urgent
from soporte.tickets.domain.intake import IntakeField
from soporte.tickets.models import (
    Channel,
    EventKind,
    Severity,
    Status,
    StillHappening,
    Ticket,
    TimelineEvent,
)

CLOCK_KINDS: dict[str, Promise] = {
    "first_response": gettext_lazy("First response"),
    "channel_response": gettext_lazy("Channel response"),
}

CLOCK_STATUSES: dict[ClockStatus, Promise] = {
    ClockStatus.ON_TRACK: gettext_lazy("On track"),
    ClockStatus.AT_RISK: gettext_lazy("At risk"),
    ClockStatus.BREACHED: gettext_lazy("Breached"),
    ClockStatus.MET: gettext_lazy("Met"),
    ClockStatus.MISSED: gettext_lazy("Missed"),
}

INTAKE_LABELS: dict[IntakeField, Promise] = {
    IntakeField.ORGANISATION_ID: gettext_lazy("Organisation ID"),
    IntakeField.SCREENSHOT: gettext_lazy("Screenshot or recording"),
    IntakeField.URL: gettext_lazy("URL"),
    IntakeField.EXPECTED_VS_ACTUAL: gettext_lazy("Expected vs what happened"),
    IntakeField.BROWSER_OS: gettext_lazy("Browser and OS"),
    IntakeField.STARTED_AT: gettext_lazy("When it started (time and zone)"),
    IntakeField.STILL_HAPPENING: gettext_lazy("Still happening"),
}


def clock_kind_label(kind: str) -> str:
    label = CLOCK_KINDS.get(kind)
    return str(label) if label is not None else kind.replace("_", " ")


def countdown(view: ClockView) -> str:
    """``2 h 40 min left``, ``20 min over``, ``due when support opens, Mon 09:00`` (its time used
    up on a close), or how a fulfilled clock ended (to the minute)."""
    if view.clock.fulfilled_at is not None:
        if view.status is ClockStatus.MISSED:
            return _("fulfilled, target missed")
        return _("fulfilled, target met")
    if view.due_at_opening is not None:
        return due_at_opening(timezone.localtime(view.due_at_opening))
    amount = format_duration(timedelta(minutes=int(abs(view.remaining).total_seconds() // 60)))
    if view.status is ClockStatus.BREACHED:
        return _("%(amount)s over") % {"amount": amount}
    return _("%(amount)s left") % {"amount": amount}


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One queue row, every cell already a string: a queue page renders fifty of these, and
    the template engine's cost is per variable it resolves, so each cell is one plain lookup.
    """

    ticket: Ticket
    urgent: ClockView | None
    url: str
    requester: str
    organisation: str
    plan_label: str
    severity_label: str
    channel_label: str
    status_label: str
    assignee: str
    status: str
    """The urgent clock's status value ("" without a clock): its colour."""
    row_class: str
    countdown: str
    clock_label: str
    due: str
    """When the urgent clock is due, local time: ``Mon 30 Nov 2026, 12:40 CST``."""


def _row_class(urgent: ClockView | None) -> str:
    if urgent is None or urgent.clock.fulfilled_at is not None:
        return ""
    if urgent.status is ClockStatus.BREACHED:
        return "row-breached"
    if urgent.status is ClockStatus.AT_RISK:
        return "row-at-risk"
    return ""


def _labels(choices: list[tuple[str, Any]]) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def queue_rows(
    tickets: list[Ticket], now: datetime, policy: Policy | None = None
) -> list[QueueRow]:
    """One row per ticket; ``clocks`` must be prefetched, and ``organisation``, ``requester``
    and ``assignee`` selected."""
    policy = policy or default_policy()
    plans, severities = _labels(Plan.choices), _labels(Severity.choices)
    channels, statuses = _labels(Channel.choices), _labels(Status.choices)
    kinds: dict[str, str] = {}
    rows = []
    for ticket in tickets:
        urgent = most_urgent(clock_views(ticket.clocks.all(), now, policy))
        if urgent is not None and urgent.kind not in kinds:
            kinds[urgent.kind] = clock_kind_label(urgent.kind)
        rows.append(
            QueueRow(
                ticket=ticket,
                urgent=urgent,
                url=reverse("console:ticket", args=[ticket.pk]),
                requester=ticket.requester.name,
                organisation=ticket.organisation.name,
                plan_label=plans.get(ticket.plan, ticket.plan),
                severity_label=severities.get(ticket.severity, ticket.severity),
                channel_label=channels.get(ticket.channel, ticket.channel),
                status_label=statuses.get(ticket.status, ticket.status),
                assignee=ticket.assignee.name if ticket.assignee is not None else "",
                status=urgent.status.value if urgent else "",
                row_class=_row_class(urgent),
                countdown=countdown(urgent) if urgent else "",
                clock_label=kinds[urgent.kind] if urgent else "",
                due=short_when(timezone.localtime(urgent.clock.due_at)) if urgent else "",
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class ClockPanel:
    view: ClockView
    label: str
    target: str
    """In words: ``4 business hours``."""
    status_label: str
    countdown: str
    explanation: list[str]

    @property
    def status(self) -> str:
        return self.view.status.value


def clock_panels(
    ticket: Ticket, now: datetime, explanations: dict[str, list[str]]
) -> list[ClockPanel]:
    return [
        ClockPanel(
            view=view,
            label=clock_kind_label(view.kind),
            target=target_words(view.clock.target),
            status_label=str(CLOCK_STATUSES[view.status]),
            countdown=countdown(view),
            explanation=explanations.get(view.kind, []),
        )
        for view in clock_views(ticket.clocks.all(), now)
    ]


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    label: str
    present: bool
    value: str


def intake_checklist(ticket: Ticket, *, attachment_names: list[str]) -> list[ChecklistItem]:
    """The seven fields in the policy's order: whether each was given, and what was given."""
    intake = ticket.intake(has_screenshot=bool(attachment_names))
    present = intake.present()
    expected_actual = ""
    if intake.expected.strip() or intake.actual.strip():
        expected_actual = _("Expected: %(expected)s — Happened: %(actual)s") % {
            "expected": intake.expected.strip() or "—",
            "actual": intake.actual.strip() or "—",
        }
    still = (
        dict(StillHappening.choices).get(intake.still_happening, "")
        if intake.still_happening
        else ""
    )
    values = {
        IntakeField.ORGANISATION_ID: intake.organisation_id,
        IntakeField.SCREENSHOT: ", ".join(attachment_names),
        IntakeField.URL: intake.url,
        IntakeField.EXPECTED_VS_ACTUAL: expected_actual,
        IntakeField.BROWSER_OS: intake.browser_os,
        IntakeField.STARTED_AT: intake.started_at,
        IntakeField.STILL_HAPPENING: str(still),
    }
    return [
        ChecklistItem(str(INTAKE_LABELS[field]), field in present, values[field])
        for field in IntakeField
    ]


# --------------------------------------------------------------------------- the timeline


@dataclass(frozen=True, slots=True)
class TimelineLine:
    event: TimelineEvent
    text: str
    actor: str

    @property
    def kind(self) -> str:
        return self.event.kind


def timeline_lines(events: list[TimelineEvent]) -> list[TimelineLine]:
    """Every event in words; ``actor_agent`` and ``actor_contact`` must be selected."""
    return [TimelineLine(event, describe(event), _actor(event)) for event in events]


def _actor(event: TimelineEvent) -> str:
    if event.actor_agent is not None:
        return event.actor_agent.name
    if event.actor_contact is not None:
        return event.actor_contact.name
    return _("soporte")


def _choice(choices: list[tuple[str, Any]], value: Any) -> str:
    return str(dict(choices).get(value, value or "—"))


def _moment(value: Any) -> str:
    """A stored local ISO timestamp as ``Mon 30 Nov 2026, 12:40 CST``."""
    if not isinstance(value, str) or not value:
        return "—"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return short_when(timezone.localtime(moment))


def _seconds(value: Any) -> str:
    try:
        amount = timedelta(seconds=float(value))
    except (TypeError, ValueError):
        return "—"
    return format_duration(timedelta(minutes=int(abs(amount).total_seconds() // 60)))


def _with_reason(text: str, reason: Any) -> str:
    reason = _system_reason(str(reason or "").strip())
    return _("%(text)s. Reason: %(reason)s") % {"text": text, "reason": reason} if reason else text


_CLOCK_INPUT = re.compile(r"^(severity|plan) (\S+) → (\S+)$")
_EXCHANGES = re.compile(r"^(\d+) back-and-forths at T1 without a solution$")


def _system_reason(reason: str) -> str:
    """A reason the desk wrote itself (``tickets.services``: "severity P2 → P1", "2
    back-and-forths at T1 without a solution"), stored in English, in the reader's language;
    a reason an agent typed, as typed."""
    if match := _CLOCK_INPUT.match(reason):
        field, old, new = match.groups()
        if field == "plan":
            plans = _labels(Plan.choices)
            return _("plan %(old)s → %(new)s") % {
                "old": plans.get(old, old),
                "new": plans.get(new, new),
            }
        return _("severity %(old)s → %(new)s") % {"old": old, "new": new}
    if match := _EXCHANGES.match(reason):
        count = int(match.group(1))
        return ngettext(
            "%(count)d back-and-forth at T1 without a solution",
            "%(count)d back-and-forths at T1 without a solution",
            count,
        ) % {"count": count}
    return reason


def describe(event: TimelineEvent) -> str:
    d: dict[str, Any] = event.data if isinstance(event.data, dict) else {}
    kind = event.kind
    clock = clock_kind_label(str(d.get("clock", "")))
    if kind == EventKind.CREATED:
        created = _(
            "Ticket created via %(channel)s: %(severity)s at %(tier)s, intake %(score)s/7"
        ) % {
            "channel": _choice(Channel.choices, d.get("channel")),
            "severity": d.get("severity", "—"),
            "tier": d.get("tier", "—"),
            "score": d.get("completeness", "—"),
        }
        if not d.get("email_grade_plan"):
            return created
        because = _(
            "email-grade: the %(plan)s plan does not include %(channel)s, so only the SLA grid "
            "applies"
        ) % {
            "plan": _choice(Plan.choices, d["email_grade_plan"]),
            "channel": _choice(Channel.choices, d.get("channel")),
        }
        return f"{created}; {because}"
    if kind == EventKind.REPLIED:
        return _("Public reply")
    if kind == EventKind.NOTED:
        return _("Internal note")
    if kind == EventKind.ACKNOWLEDGED:
        missing = d.get("missing") or []
        if not missing:
            return _("Acknowledgement sent; nothing missing from the intake")
        names = ", ".join(_intake_label(str(name)) for name in missing)
        return _("Acknowledgement sent, asking for: %(fields)s") % {"fields": names}
    if kind == EventKind.INTAKE_UPDATED:
        names = ", ".join(_intake_label(str(name)) for name in d.get("supplied") or [])
        return _("Intake %(old)s/7 → %(new)s/7, from the customer's reply: %(fields)s") % {
            "old": d.get("old", "—"),
            "new": d.get("new", "—"),
            "fields": names,
        }
    if kind == EventKind.SEVERITY_CHANGED:
        text = _("Severity changed %(old)s → %(new)s") % {"old": d.get("old"), "new": d.get("new")}
        return _with_reason(text, d.get("reason"))
    if kind == EventKind.PLAN_CHANGED:
        text = _("Plan changed %(old)s → %(new)s") % {"old": d.get("old"), "new": d.get("new")}
        return _with_reason(text, d.get("reason"))
    if kind == EventKind.STATUS_CHANGED:
        return _("Status changed %(old)s → %(new)s") % {
            "old": _choice(Status.choices, d.get("old")),
            "new": _choice(Status.choices, d.get("new")),
        }
    if kind == EventKind.ASSIGNED:
        if d.get("assignee_name"):
            return _("Assigned to %(name)s") % {"name": d["assignee_name"]}
        return _("Unassigned")
    if kind == EventKind.ESCALATED:
        if d.get("automatic"):
            text = _("Escalated automatically %(old)s → %(new)s") % {
                "old": d.get("old"),
                "new": d.get("new"),
            }
        else:
            text = _("Escalated %(old)s → %(new)s") % {"old": d.get("old"), "new": d.get("new")}
        if d.get("code_bug"):
            text = _("%(text)s (code or infrastructure bug)") % {"text": text}
        return _with_reason(text, d.get("reason"))
    if kind == EventKind.PAGE_REQUESTED:
        reasons = {
            "p0_opened": _("a P0 was opened"),
            "p0_raised": _("the severity was raised to P0"),
            "t3_code_bug": _("a code or infrastructure bug reached T3"),
        }
        return _("On-call page requested: %(why)s") % {
            "why": reasons.get(str(d.get("reason")), str(d.get("reason", "")))
        }
    if kind in _PAGE_EVENTS:
        return _page_event(kind, d)
    if kind == EventKind.CLOCK_STARTED:
        return _("%(clock)s clock started: target %(target)s, due %(due)s") % {
            "clock": clock,
            "target": target_words(str(d.get("target", "—"))),
            "due": _moment(d.get("due_at")),
        }
    if kind == EventKind.CLOCK_RECOMPUTED:
        text = _("%(clock)s clock recomputed: target %(target)s, due %(before)s → %(after)s") % {
            "clock": clock,
            "target": target_words(str(d.get("target", "—"))),
            "before": _moment(d.get("due_before")),
            "after": _moment(d.get("due_after")),
        }
        return _with_reason(text, d.get("reason"))
    if kind == EventKind.CLOCK_FULFILLED:
        values = {"clock": clock, "used": _seconds(d.get("business_seconds"))}
        if d.get("met"):
            return _("%(clock)s clock fulfilled after %(used)s: target met") % values
        return _("%(clock)s clock fulfilled after %(used)s: target missed") % values
    if kind == EventKind.CLOCK_WARNING:
        return _("%(clock)s clock at risk: %(left)s left; leads notified") % {
            "clock": clock,
            "left": _seconds(d.get("left_seconds")),
        }
    if kind == EventKind.CLOCK_BREACHED:
        return _("%(clock)s clock breached: %(over)s over; leads notified") % {
            "clock": clock,
            "over": _seconds(d.get("over_seconds")),
        }
    if kind == EventKind.EMAIL_FAILED:
        return _("Could not deliver the email to %(to)s: %(error)s") % {
            "to": d.get("to") or "—",
            "error": d.get("error") or "—",
        }
    if kind == EventKind.DELIVERY_FAILED:
        return _delivery_failed(d)
    if kind == EventKind.EMAIL_BOUNCED:
        return _("Your reply to %(to)s bounced: %(reason)s") % {
            "to": d.get("to") or "—",
            "reason": d.get("reason") or "—",
        }
    if kind == EventKind.LINKED:
        return _(
            "Linked to #%(number)s: a sender outside the ticket's organisation wrote in its thread"
        ) % {"number": d.get("other", "—")}
    if kind == EventKind.RECURRENCE_LINKED:
        return _("Same problem as #%(number)s (recurrence %(id)s)") % {
            "number": d.get("other", "—"),
            "id": d.get("recurrence", "—"),
        }
    if kind == EventKind.RECURRENCE_DISPOSED:
        text = _("Recurrence %(id)s disposed of: %(disposition)s") % {
            "id": d.get("recurrence", "—"),
            "disposition": _choice(DispositionChoice.choices, d.get("disposition", "")),
        }
        if d.get("postmortem"):
            return _("%(text)s, from a post-mortem's action item") % {"text": text}
        return text
    if kind == EventKind.ORGANISATION_CHANGED:
        return _("Sender linked: organisation %(old)s → %(new)s") % {
            "old": d.get("old", "—"),
            "new": d.get("new", "—"),
        }
    if kind in _SURVEY_EVENTS:
        return _survey_event(kind, d)
    if kind == EventKind.ANSWERED_WITH_ARTICLE:
        return _("Answered with article «%(title)s»") % {"title": d.get("title", "—")}
    return _choice(EventKind.choices, kind)


_SURVEY_EVENTS = {EventKind.SURVEY_SKIPPED, EventKind.SURVEY_ANSWERED}


def _delivery_failed(d: dict[str, Any]) -> str:
    values = {"to": d.get("to") or "—", "error": d.get("error") or "—"}
    if d.get("channel") == "sms":
        return _("Could not send the SMS to %(to)s: %(error)s") % values
    return _("Could not post the message in the ticket's Slack thread: %(error)s") % values


def _survey_event(kind: str, d: dict[str, Any]) -> str:
    if kind == EventKind.SURVEY_SKIPPED:
        if d.get("reason") == "opted_out":
            return _("CSAT survey not sent: the customer opted out of surveys")
        if d.get("reason") == "whatsapp_window_closed":
            return _("CSAT survey not sent over WhatsApp: the 24-hour window was closed")
        return _("CSAT survey not sent: the customer had another one in the last 24 hours")
    faces = dict(Answer.choices)
    new = faces.get(str(d.get("new")), "—")
    if d.get("old"):
        text = _("CSAT answer changed %(old)s → %(new)s") % {"old": faces.get(d["old"]), "new": new}
    else:
        text = _("CSAT answered %(new)s") % {"new": new}
    return _("%(text)s, with a comment") % {"text": text} if d.get("comment") else text


def undelivered(events: list[TimelineEvent]) -> set[int]:
    """The messages whose email to the customer failed for good."""
    return {e.data["message"] for e in events if e.kind == EventKind.EMAIL_FAILED}


_PAGE_EVENTS = {
    EventKind.PAGE_OPENED,
    EventKind.PAGE_SENT,
    EventKind.PAGE_FAILED,
    EventKind.PAGE_SKIPPED,
    EventKind.PAGE_ACKNOWLEDGED,
    EventKind.PAGE_RESOLVED,
    EventKind.PAGE_REPLANNED,
}


def _page_role(target: Any) -> str:
    roles = {
        "primary": _("the on-call primary"),
        "secondary": _("the on-call secondary"),
        "founder_cto": _("the founder and the CTO"),
        "gap": _("a step nobody was on call for"),
    }
    return roles.get(str(target), str(target or "—"))


def _paged(d: dict[str, Any]) -> dict[str, str]:
    """Who a page notification went to, as what, over what (a sent or failed page's data)."""
    return {
        "role": _page_role(d.get("target")),
        "name": d.get("agent", "—"),
        "transport": d.get("transport", "—"),
    }


def _page_event(kind: str, d: dict[str, Any]) -> str:
    if kind == EventKind.PAGE_OPENED:
        if d.get("rotation"):
            return _("Page opened (rotation %(rotation)s)") % {"rotation": d["rotation"]}
        return _("Page opened; no rotation takes pages")
    values = _paged(d)
    if kind == EventKind.PAGE_SENT:
        if d.get("instead_of"):
            return _(
                "Page for %(name)s (%(role)s) queued over %(transport)s instead of %(failed)s"
            ) % {**values, "failed": d["instead_of"]}
        return _("Page for %(name)s (%(role)s) queued over %(transport)s") % values
    if kind == EventKind.PAGE_FAILED:
        if d.get("next_transport"):
            return _(
                "Page for %(name)s (%(role)s) could not be delivered over %(transport)s; "
                "trying %(next)s, leads told"
            ) % {**values, "next": d["next_transport"]}
        return (
            _("Page for %(name)s (%(role)s) could not be delivered over %(transport)s; leads told")
            % values
        )
    if kind == EventKind.PAGE_SKIPPED:
        return _("Nobody on call as %(role)s: step skipped at once, leads paged") % {
            "role": _page_role(d.get("target"))
        }
    if kind == EventKind.PAGE_ACKNOWLEDGED:
        vias = {"console": _("in the console"), "link": _("by the link in the page")}
        vias |= {"api": _("through the API"), "pagerduty": _("in PagerDuty")}
        return _("Page acknowledged %(via)s") % {"via": vias.get(str(d.get("via")), "")}
    if kind == EventKind.PAGE_REPLANNED:
        values = {"severity": d.get("severity", "—"), "when": _moment(d.get("founder_cto_at"))}
        if d.get("founder_cto_at"):
            return (
                _("Page re-planned for %(severity)s: the founder and the CTO are paged at %(when)s")
                % values
            )
        return _("Page re-planned for %(severity)s: the founder and the CTO are not paged") % values
    return _("Page resolved with the ticket")


def _intake_label(name: str) -> str:
    try:
        return str(INTAKE_LABELS[IntakeField(name)])
    except (KeyError, ValueError):
        return name

"""What we tell a customer when their ticket arrives: its number, when to expect a first
response (and when support resumes if it is closed now), and exactly which intake fields are
missing (READING.md §6, §8), in their language and time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from soporte.policy import Policy
from soporte.sla.models import Clock
from soporte.tickets.domain.intake import IntakeField
from soporte.tickets.models import Ticket
from soporte.web.dates import long_when

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


def next_steps(
    ticket: Ticket, clocks: list[Clock], policy: Policy, *, zone: ZoneInfo, now: datetime
) -> list[str]:
    """Sentences saying when the first response is due and, when closed now, when we resume.
    Call inside ``translation.override`` of the customer's language."""
    first = next((c for c in clocks if c.kind == "first_response"), None)
    lines = [_("Your ticket number is #%(number)s.") % {"number": ticket.pk}]
    if first is not None:
        due = _when(first.due_at, zone)
        if first.basis == "wall":
            lines.append(
                _("We will answer by %(due)s at the latest (%(target)s, around the clock).")
                % {"due": due, "target": first.target}
            )
        else:
            lines.append(
                _(
                    "We will answer by %(due)s at the latest (%(target)s, counted in business "
                    "hours: Monday to Friday, 09:00-18:00 Mexico City time, except holidays)."
                )
                % {"due": due, "target": first.target}
            )
            if not policy.calendar.is_open(now):
                lines.append(
                    _("Support is closed right now; it resumes %(when)s.")
                    % {"when": _when(policy.calendar.next_open(now), zone)}
                )
    if not ticket.channel_entitled:
        lines.append(
            _(
                "Your plan does not include this channel, so we handle your message as an email "
                "ticket."
            )
        )
    return lines


def acknowledgement(
    ticket: Ticket,
    clocks: list[Clock],
    policy: Policy,
    *,
    missing: list[IntakeField],
    lang: str,
    zone: ZoneInfo,
    now: datetime,
) -> tuple[str, str]:
    """The subject and plain-text body of the acknowledgement."""
    with override(lang):
        subject = _("[#%(number)s] We received your ticket: %(subject)s") % {
            "number": ticket.pk,
            "subject": ticket.subject,
        }
        lines = [_("Hello %(name)s,") % {"name": ticket.requester.name}, ""]
        lines += next_steps(ticket, clocks, policy, zone=zone, now=now)
        if missing:
            lines += ["", _("To help you faster, please reply with what is missing:")]
            lines += [f"- {FIELD_LABELS[field]}" for field in missing]
        lines += ["", _("— TrackMyVend support")]
    return subject, "\n".join(lines)


def _when(moment: datetime, zone: ZoneInfo) -> str:
    return long_when(moment.astimezone(zone))

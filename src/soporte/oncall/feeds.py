"""The team calendar: iCalendar feeds of a rotation's shifts and of one person's shifts.

Each event is one person in one role for (part of) one rotation shift, overrides applied.
UIDs depend only on the rotation, the shift, the role and the start, so a calendar app keeps
an event across fetches while the schedule stays the same. Times are in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from soporte.accounts.models import Agent
from soporte.oncall import domain
from soporte.oncall.models import Rotation
from soporte.oncall.selectors import agent_assignments, agents_by_id, rotation_shifts

PAST = timedelta(weeks=4)
AHEAD = timedelta(weeks=26)


def rotation_calendar(rotation: Rotation, *, now: datetime, language: str) -> bytes:
    """Every shift of ``rotation`` from four weeks before ``now`` to 26 weeks after, primary
    and secondary; strings in the active language (``language`` tags the summaries)."""
    stretches = rotation_shifts(rotation=rotation, start=now - PAST, end=now + AHEAD)
    held = [a for role in domain.Role for a in domain.assignments(stretches, role)]
    held.sort(key=lambda a: (a.start, a.role.value))
    names = agents_by_id(a.person for a in held)
    calendar = _calendar(_("On call: %(rotation)s") % {"rotation": rotation.name})
    for assignment in held:
        agent = names.get(assignment.person)
        who = agent.name if agent else "?"
        summary = (
            _("Primary on call: %(name)s")
            if assignment.role is domain.Role.PRIMARY
            else _("Secondary on call: %(name)s")
        ) % {"name": who}
        calendar.add_component(_event(rotation, assignment, summary, now, language))
    return bytes(calendar.to_ical())


def agent_calendar(agent: Agent, *, now: datetime, language: str) -> bytes:
    """``agent``'s shifts in every rotation, over the same range as a rotation's feed."""
    calendar = _calendar(_("On-call shifts: %(name)s") % {"name": agent.name})
    for held in agent_assignments(agent=agent, start=now - PAST, end=now + AHEAD):
        summary = (
            _("Primary on call (%(rotation)s)")
            if held.assignment.role is domain.Role.PRIMARY
            else _("Secondary on call (%(rotation)s)")
        ) % {"rotation": held.rotation.name}
        calendar.add_component(_event(held.rotation, held.assignment, summary, now, language))
    return bytes(calendar.to_ical())


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//TrackMyVend//soporte on call//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(
    rotation: Rotation, held: domain.Assignment, summary: str, now: datetime, language: str
) -> Event:
    event = Event()
    event.add("uid", uid(rotation, held))
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", held.start.astimezone(UTC))
    event.add("dtend", held.end.astimezone(UTC))
    event.add("summary", summary, parameters={"LANGUAGE": language})
    event.add("transp", "TRANSPARENT")
    return event


def uid(rotation: Rotation, held: domain.Assignment) -> str:
    start = held.start.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"oncall-{rotation.pk}-{held.index}-{held.role.value}-{start}@soporte"

"""The demo world: a desk that looks alive on first start.

Everything is made through the same services as real traffic, relative to ``now``: tickets in
every state, some breached, some near breach, some answered, escalated, solved.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from soporte.accounts import services as accounts
from soporte.accounts.models import Agent, Contact, Organisation
from soporte.demo import (
    channels,
    faq,
    feedback,
    kb,
    postmortems,
    recurrences,
    slack,
    voice,
    whatsapp,
)
from soporte.oncall import selectors as oncall_selectors
from soporte.oncall import services as oncall
from soporte.oncall.models import Rotation
from soporte.policy import default_policy
from soporte.tickets import services as tickets
from soporte.tickets.domain.intake import Intake

PASSWORD = "soporte-demo"
"""Every demo account's password. Demo data is for a laptop, never for production."""

AGENTS = [
    # email, name, tier, role
    ("lucia@trackmyvend.mx", "Lucía Herrera", "T1", "agent"),
    ("diego@trackmyvend.mx", "Diego Ramírez", "T1", "agent"),
    ("sofia@trackmyvend.mx", "Sofía Navarro", "T2", "agent"),
    ("mateo@trackmyvend.mx", "Mateo Cruz", "T3", "agent"),
    ("valeria@trackmyvend.mx", "Valeria Ortiz", "T1", "lead"),
    ("andres@trackmyvend.mx", "Andrés Molina", "T2", "lead"),
    ("camila@trackmyvend.mx", "Camila Reyes", "T3", "lead"),
    ("ricardo@trackmyvend.mx", "Ricardo Fuentes", "T3", "founder"),
    ("elena@trackmyvend.mx", "Elena Vargas", "T3", "cto"),
    ("admin@trackmyvend.mx", "Admin soporte", "T3", "admin"),
]

ORGANISATIONS = [
    # name, plan, contact email, contact name, language
    ("Snacks del Norte", "starter", "ana@snacksdelnorte.mx", "Ana Gutiérrez", "es"),
    ("Café Express MTY", "pro", "luis@cafeexpress.mx", "Luis Treviño", "es"),
    ("Vendomatic Corp", "enterprise", "kate@vendomatic.example", "Kate Miller", "en"),
]

ROTATION = "Plataforma"
ON_CALL = ["mateo@trackmyvend.mx", "camila@trackmyvend.mx"]
"""The T3 engineers who ship fixes, in rotation order (with two, each is the other's
secondary). The founder and the CTO are paged by the escalation chain, not by the rotation."""

OVERRIDE = (
    "elena@trackmyvend.mx",
    "camila@trackmyvend.mx",
    "Camila da una charla en una conferencia",
)
"""Next week Elena (CTO) covers Camila's primary shift from Thursday 10:00 to Saturday 10:00."""

BEST = Intake(
    organisation_id="",
    url="https://app.trackmyvend.com/dashboard",
    expected="'Ventas totales hoy' shows the 14 sales listed in Reportes",
    actual="'Ventas totales hoy' shows $0",
    browser_os="Chrome 123 on macOS",
    started_at="14:30 CST today",
    still_happening="yes",
)


@dataclass(frozen=True, slots=True)
class Story:
    """One demo ticket: who, how far into its first-response target it is, what happened since."""

    org: int
    subject: str
    severity: str
    channel: str
    used: float
    """Share of the first-response target used by now: 0.3 is fresh, 0.9 at risk, 1.5 breached."""
    complete: bool
    then: tuple[str, ...] = ()
    """Steps after opening: "reply", "customer", "escalate", "code_bug", "solve"."""


STORIES = [
    Story(0, "No veo mis ventas de hoy", "P2", "portal", 0.3, True),
    Story(
        0, "El correo para restablecer contraseña no llega", "P1", "email", 1.4, False, ("reply",)
    ),
    Story(
        1,
        "Máquina reporta en línea pero sin ventas en 3 días",
        "P1",
        "whatsapp",
        2.0,
        True,
        ("reply", "customer", "reply", "customer"),
    ),
    Story(1, "El mapa sale en blanco tras la última actualización", "P2", "slack", 0.9, True),
    Story(1, "Totales del tablero incorrectos", "P1", "email", 0.85, True, ("escalate",)),
    Story(1, "Dashboard broken, please fix", "P3", "email", 3.0, False, ("reply", "solve")),
    Story(2, "All machines offline in Monterrey", "P0", "phone", 0.5, True),
    Story(
        2, "Sales export fails with error 500", "P1", "email", 1.6, True, ("escalate", "code_bug")
    ),
    Story(2, "Typo in the Reportes header", "P3", "portal", 0.4, True),
    Story(2, "Cannot invite new users", "P2", "email", 1.2, False),
]


def seed(*, now: datetime) -> dict[str, Any]:
    """Create the demo world as it stands at ``now``; returns who can sign in."""
    with transaction.atomic():
        agents = {
            email: accounts.create_agent(
                email=email, name=name, tier=tier, role=role, password=PASSWORD
            )
            for email, name, tier, role in AGENTS
        }
        orgs: list[Organisation] = []
        contacts: list[Contact] = []
        for name, plan, email, person, lang in ORGANISATIONS:
            csm = agents["camila@trackmyvend.mx"] if plan == "enterprise" else None
            org = accounts.create_organisation(name=name, plan=plan, locale=lang, csm=csm)
            orgs.append(org)
            contacts.append(
                accounts.create_contact(
                    organisation=org, email=email, name=person, password=PASSWORD, locale=lang
                )
            )
        on_call = _rotation(agents, now)
    for story in STORIES:
        _tell(story, contacts[story.org], agents, now)
    channels.seed(contacts=contacts, agents=agents, now=now)
    slack.seed(contacts=contacts, agents=agents, now=now)
    voice.seed(contacts=contacts, now=now)
    whatsapp.seed(luis=contacts[1], agent=agents["lucia@trackmyvend.mx"], now=now)
    feedback.seed(contacts=contacts, agents=[a for a in agents.values() if a.tier == "T1"], now=now)
    postmortems.seed(
        contact=contacts[2],
        engineer=agents["mateo@trackmyvend.mx"],
        lead=agents["camila@trackmyvend.mx"],
        now=now,
    )
    recurrences.seed(contacts=contacts, agents=agents, now=now)
    articles = kb.seed(
        author=agents["lucia@trackmyvend.mx"], translator=agents["diego@trackmyvend.mx"], now=now
    )
    faq.seed(
        sources=articles,
        contacts=contacts,
        agent=agents["diego@trackmyvend.mx"],
        lead=agents["valeria@trackmyvend.mx"],
        now=now,
    )
    return {
        "agents": list(agents),
        "contacts": [c.email for c in contacts],
        "password": PASSWORD,
        "on_call": on_call,
    }


def _rotation(agents: dict[str, Agent], now: datetime) -> str:
    """The "Plataforma" rotation, which takes pages, started at the last handoff (so someone is
    on call now), with one upcoming override; returns who is on call now, in words for the
    sign-in banner."""
    rotation = oncall.create_rotation(
        name=ROTATION, members=[agents[email] for email in ON_CALL], now=now
    )
    oncall.set_paging_rotation(rotation=rotation)  # the one rotation takes the pages
    zone = ZoneInfo(rotation.zone)
    next_shift = rotation.starts_at.astimezone(zone).date() + timedelta(days=7)
    covering, covered, reason = OVERRIDE
    oncall.add_override(
        rotation=rotation,
        role="primary",
        starts_at=datetime.combine(next_shift + timedelta(days=3), rotation.handoff_time, zone),
        ends_at=datetime.combine(next_shift + timedelta(days=5), rotation.handoff_time, zone),
        covering=agents[covering],
        covered=agents[covered],
        reason=reason,
        created_by=agents["camila@trackmyvend.mx"],
        now=now,
    )
    who = oncall_selectors.who_is_on_call(rotation=rotation, at=now)
    until = who.shift_end.astimezone(zone).strftime("%a %d %b %H:%M %Z")
    holders = [
        f"{agent.name} <{agent.email}> ({role})"
        for agent, role in ((who.primary, "primary"), (who.secondary, "secondary"))
        if agent is not None
    ]
    return f"{rotation.name}: {', '.join(holders) or 'nobody'} until {until}"


def reset() -> None:
    """Delete every ticket, rotation, organisation, contact and agent (and their users), and
    the jobs."""
    from django.contrib.auth import get_user_model

    from soporte.feedback.models import Recurrence
    from soporte.jobs.models import Job, OutboxMessage
    from soporte.tickets.models import Ticket

    with transaction.atomic():
        users = [
            *Agent.objects.values_list("user_id", flat=True),
            *Contact.objects.values_list("user_id", flat=True),
        ]
        Ticket.objects.all().delete()
        kb.reset()
        Recurrence.objects.all().delete()
        Rotation.objects.all().delete()  # its members and overrides hold on to agents
        Job.objects.all().delete()
        OutboxMessage.objects.all().delete()
        Contact.objects.all().delete()
        Organisation.objects.all().delete()
        Agent.objects.all().delete()
        get_user_model().objects.filter(pk__in=users).delete()


def is_empty() -> bool:
    return not Organisation.objects.exists() and not Agent.objects.exists()


def _tell(story: Story, contact: Contact, agents: dict[str, Agent], now: datetime) -> None:
    opened = _opened_at(story, contact.organisation.plan, now)
    intake = (
        replace(BEST, organisation_id=str(contact.organisation_id)) if story.complete else Intake()
    )
    ticket = tickets.open_ticket(
        requester=contact,
        channel=story.channel,
        severity=story.severity,
        subject=story.subject,
        body=story.subject,
        intake=intake,
        received_at=opened,
        now=now,
    )
    t1 = agents["lucia@trackmyvend.mx"]
    step = (now - opened) / (len(story.then) + 1)
    for i, action in enumerate(story.then, start=1):
        at = opened + step * i
        if action == "reply":
            tickets.reply(ticket=ticket, author=t1, body="Gracias, lo estamos revisando.", at=at)
        elif action == "customer":
            tickets.reply(ticket=ticket, author=contact, body="Sigue igual.", at=at)
        elif action == "escalate":
            tickets.escalate(ticket=ticket, actor=t1, reason="Needs logs and a repro", at=at)
        elif action == "code_bug":
            tickets.escalate(
                ticket=ticket,
                actor=agents["sofia@trackmyvend.mx"],
                reason="Reproduced in staging: export query times out",
                code_bug=True,
                at=at,
            )
        elif action == "solve":
            tickets.change_status(ticket=ticket, status="solved", actor=t1, at=at)


def _opened_at(story: Story, plan: str, now: datetime) -> datetime:
    """When to have opened the ticket so that ``story.used`` of its target has elapsed by now."""
    policy = default_policy()
    target = policy.first_response_target(plan, story.severity)
    wanted = target.amount * story.used
    clock = policy.clock_for(target)
    lo, hi = now - timedelta(days=366), now
    while hi - lo > timedelta(seconds=1):  # elapsed(t, now) shrinks as t grows: bisect on t
        mid = lo + (hi - lo) / 2
        lo, hi = (mid, hi) if clock.elapsed(mid, now) > wanted else (lo, mid)
    return hi.replace(microsecond=0)


def print_signins(world: dict[str, Any]) -> None:
    print("Demo sign-ins (password: {})".format(world["password"]))
    print("  agents:   " + ", ".join(world["agents"]))
    print("  contacts: " + ", ".join(world["contacts"]))
    if world.get("on_call"):
        print("  on call now: " + world["on_call"] + " (every rotation: /console/oncall/)")

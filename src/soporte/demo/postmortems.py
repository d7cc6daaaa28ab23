"""The demo desk's post-mortems: a P0 of last week with its post-mortem written (and action
items linked to product fixes), and a P0 solved yesterday whose post-mortem is still due
(the P0 open in the stories asks for one too, due once it is resolved)."""

from __future__ import annotations

from datetime import datetime, timedelta

from soporte.accounts.models import Agent, Contact
from soporte.feedback import postmortems
from soporte.feedback.models import PostMortem
from soporte.tickets import services as tickets
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import Ticket


def seed(*, contact: Contact, engineer: Agent, lead: Agent, now: datetime) -> None:
    """``contact``: an Enterprise customer; ``engineer`` (T3) and ``lead`` write."""
    written = _incident(
        contact,
        engineer,
        "Sales stopped syncing for every machine",
        opened=now - timedelta(days=8, hours=3),
        lasted=timedelta(minutes=55),
    )
    postmortem = PostMortem.objects.get(ticket=written)
    at = now - timedelta(days=6)
    postmortems.save_postmortem(
        postmortem=postmortem,
        author=engineer,
        language="en",
        impact="No machine of any customer reported sales for 55 minutes; Enterprise "
        "dashboards showed $0 and three customers called the emergency line.",
        cause="A Supabase migration replaced the sales view and dropped its grant to the "
        "dashboard's role (RLS), so every read returned no rows.",
        went_well="The page was acknowledged in 4 minutes and the grant restored in 40; "
        "customers were told within the SLA.",
        at=at,
    )
    for text, url in (
        (
            "Check every view's grants in CI before a migration ships",
            "https://github.com/trackmyvend/app/pull/812",
        ),
        (
            "Alert when a region reports no sales for 15 minutes",
            "https://github.com/trackmyvend/app/issues/813",
        ),
    ):
        postmortems.add_action_item(
            postmortem=postmortem, author=engineer, text=text, fix_url=url, owner=lead, at=at
        )
    postmortems.publish(postmortem=postmortem, author=lead, at=at + timedelta(hours=1))
    _incident(
        contact,
        engineer,
        "Card readers declined every payment in Guadalajara",
        opened=now - timedelta(days=1, hours=5),
        lasted=timedelta(minutes=35),
    )


def _incident(
    contact: Contact, engineer: Agent, subject: str, *, opened: datetime, lasted: timedelta
) -> Ticket:
    """A P0 from ``contact`` answered by ``engineer`` and solved ``lasted`` after it opened."""
    ticket = tickets.open_ticket(
        requester=contact,
        channel="email",
        severity="P0",
        subject=subject,
        body=subject,
        intake=Intake(still_happening="yes"),
        received_at=opened,
        now=opened,
    )
    tickets.reply(
        ticket=ticket,
        author=engineer,
        body="We are on it; next update in 15 minutes.",
        at=opened + timedelta(minutes=9),
    )
    tickets.change_status(ticket=ticket, status="solved", actor=engineer, at=opened + lasted)
    return ticket

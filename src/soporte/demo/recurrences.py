"""The demo desk's recurrences: the same problem told twice by two organisations, linked and
disposed of with a KB article, and a card-reader problem seen twice, linked and still open (it
shows in the console's list of recurrences). Relative to ``now``."""

from __future__ import annotations

from datetime import datetime, timedelta

from soporte.accounts.models import Agent, Contact
from soporte.feedback import recurrences as feedback
from soporte.tickets import services as tickets
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import Ticket

KB_LINK = "https://trackmyvend.com/Manuales.html#ventas-en-el-tablero"


def seed(*, contacts: list[Contact], agents: dict[str, Agent], now: datetime) -> None:
    ana, luis, _ = contacts
    lucia, valeria = agents["lucia@trackmyvend.mx"], agents["valeria@trackmyvend.mx"]
    first = _open(
        ana,
        "No me llegan las ventas al tablero",
        "Desde ayer el tablero no muestra las ventas de la máquina 14.",
        now - timedelta(days=20),
    )
    again = _open(
        luis,
        "no aparecen mis ventas desde ayer",
        "En el dashboard las ventas estan en cero, la maquina si vende.",
        now - timedelta(days=6),
    )
    disposed = feedback.link_recurrence(
        ticket=again, earlier=first, actor=lucia, at=now - timedelta(days=6, hours=-1)
    )
    feedback.set_recurrence_disposition(
        recurrence=disposed,
        kind="kb_article",
        link=KB_LINK,
        actor=valeria,
        at=now - timedelta(days=5),
    )
    reader = _open(
        luis,
        "El lector de tarjetas rechaza todas las tarjetas",
        "Nayax muestra tarjeta rechazada con cualquier tarjeta de débito.",
        now - timedelta(days=3),
    )
    twice = _open(
        ana,
        "lector nayax rechaza tarjetas de debito",
        "Los clientes no pueden pagar con tarjeta desde la mañana.",
        now - timedelta(hours=4),
    )
    feedback.link_recurrence(ticket=twice, earlier=reader, actor=lucia, at=now - timedelta(hours=3))


def _open(requester: Contact, subject: str, body: str, at: datetime) -> Ticket:
    return tickets.open_ticket(
        requester=requester,
        channel="portal",
        severity="P2",
        subject=subject,
        body=body,
        intake=Intake(),
        now=at,
    )

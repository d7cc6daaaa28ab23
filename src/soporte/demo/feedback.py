"""The demo desk's CSAT history: over the three weeks before ``now``, tickets of each demo
contact solved by T1 agents, their surveys answered with every face (a few left unanswered), and
comments on some of the answers below 👍. Made through the real services, each step at its own
instant, so the review and the reports have something to show."""

from __future__ import annotations

from datetime import datetime, timedelta

from soporte.accounts.models import Agent, Contact
from soporte.demo import review
from soporte.feedback import services as surveys
from soporte.feedback.models import Survey
from soporte.tickets import services as tickets
from soporte.tickets.domain.intake import Intake

DAYS = 21
"""How far back the history goes."""

ANSWERS: list[tuple[str, str, str]] = [
    # subject, answer ("" for none yet), comment
    ("No puedo descargar el reporte mensual", "up", ""),
    ("La máquina 4 no muestra el inventario", "up", ""),
    (
        "Error al cambiar el precio de un producto",
        "neutral",
        "Se resolvió, pero tardaron dos días.",
    ),
    ("Cannot reset my password", "up", ""),
    ("Las alertas de temperatura llegan tarde", "down", "Me pidieron lo mismo tres veces."),
    ("Duplicate sales in the dashboard", "neutral", ""),
    ("El mapa no carga en el celular", "up", ""),
    ("Webhook retries flood our endpoint", "down", "The fix only worked for a day."),
    ("No llegan los correos de cierre de caja", "", ""),
    ("Wrong time zone on the sales report", "up", ""),
    (
        "La app pide iniciar sesión a cada rato",
        "neutral",
        "Bien, aunque la respuesta fue muy general.",
    ),
    ("Machine 12 shows offline but sells", "up", ""),
    ("No aparece la factura de noviembre", "down", ""),
    ("Exportar a Excel corta los acentos", "up", ""),
]


def seed(*, contacts: list[Contact], agents: list[Agent], now: datetime) -> None:
    """Solve and survey one demo ticket every ``DAYS // len(ANSWERS)``-ish days before ``now``,
    taking the contacts and the (T1) ``agents`` in turn; then the weekly reviews of the answers
    (``demo.review``: one closed week, one with work left)."""
    answered = []
    step = timedelta(days=DAYS) / len(ANSWERS)
    for i, (subject, answer, comment) in enumerate(ANSWERS):
        opened = now - timedelta(days=DAYS) + step * i
        contact = contacts[i % len(contacts)]
        agent = agents[i % len(agents)]
        ticket = tickets.open_ticket(
            requester=contact,
            channel="email" if i % 2 else "portal",
            severity="P2" if i % 3 else "P3",
            subject=subject,
            body=subject,
            intake=Intake(),
            received_at=opened,
            now=opened,
        )
        replied = opened + timedelta(hours=1)
        tickets.reply(ticket=ticket, author=agent, body="Ya quedó, ¿nos confirmas?", at=replied)
        solved = opened + timedelta(hours=5)
        tickets.change_status(ticket=ticket, status="solved", actor=agent, at=solved)
        survey = Survey.objects.filter(ticket=ticket).first()
        if survey is not None and answer:
            answered.append(
                surveys.answer(
                    survey=survey,
                    answer=answer,
                    comment=comment or None,
                    at=solved + timedelta(hours=3),
                )
            )
    review.review_weeks(surveys=answered, now=now)

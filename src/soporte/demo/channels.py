"""The demo desk's email and chat traffic, sent through the channels as real traffic is: raw
emails through the email ingest (a thread with the customer's reply, a colleague from the
organisation's domain, an unidentified sender, an out-of-office that files nothing, a bounce of
an agent's reply) and a live chat through the chat's services, all relative to ``now``."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from soporte.accounts import services as accounts
from soporte.accounts.models import Agent, Contact
from soporte.channels.chat import services as chat
from soporte.channels.chat.domain.identity import signature
from soporte.channels.email.ingest import ingest
from soporte.channels.email.secrets import desk_address, ticket_reply_address
from soporte.tickets import services as tickets
from soporte.tickets.models import Message, Ticket


def seed(*, contacts: list[Contact], agents: dict[str, Agent], now: datetime) -> None:
    """Email and chat stories for the demo's organisations (``contacts``: one per plan)."""
    ana, luis, kate = contacts
    lucia = agents["lucia@trackmyvend.mx"]
    accounts.add_email_domain(organisation=ana.organisation, domain="snacksdelnorte.mx")
    _thread(kate, lucia, now - timedelta(hours=5))
    _colleague(now - timedelta(hours=3))
    _unidentified(now - timedelta(hours=2))
    _out_of_office(luis, now - timedelta(hours=1))
    _bounce(luis, lucia, now - timedelta(minutes=90))
    _chat(ana, lucia, now - timedelta(minutes=4))


def _mail(sender: str, subject: str, body: str, at: datetime, **headers: str) -> tuple[bytes, str]:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = headers.pop("to", desk_address())
    msg["Subject"] = subject
    msg["Date"] = format_datetime(at)
    message_id = make_msgid(domain="mail.demo.example")
    msg["Message-ID"] = message_id
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    return msg.as_bytes(), message_id


def _file(raw: bytes, at: datetime) -> int | None:
    return ingest(raw, received_at=at, now=at).ticket


def _answer(number: int, agent: Agent, body: str, at: datetime) -> str:
    """``agent``'s public reply on ticket ``number``: the Message-ID of its email."""
    ticket = Ticket.objects.get(pk=number)
    answer = tickets.reply(ticket=ticket, author=agent, body=body, at=at)
    return Message.objects.get(pk=answer.pk).email_message_id or ""


def _thread(kate: Contact, agent: Agent, at: datetime) -> None:
    """Kate writes, Lucía answers, Kate replies to Lucía's email from her mail client."""
    raw, _ = _mail(
        f"Kate Miller <{kate.email}>",
        "Sales export shows the wrong currency",
        "Hi, since this morning the CSV export of Reportes shows amounts in USD instead of MXN.\n"
        "URL: https://app.trackmyvend.com/reportes/export\nChrome 131 on Windows 11.\n",
        at,
    )
    number = _file(raw, at)
    if number is None:
        return
    body = "Thanks Kate, could you tell us your organisation ID and the export's date range?"
    answered = _answer(number, agent, body, at + timedelta(minutes=20))
    reply, _ = _mail(
        f"Kate Miller <{kate.email}>",
        f"Re: [#{number}] Sales export shows the wrong currency",
        f"Organisation ID {kate.organisation_id}, any range since December 1st.\n\n"
        f"On {format_datetime(at)} TrackMyVend <{desk_address()}> wrote:\n"
        "> Thanks Kate, could you tell us your organisation ID and the export's date range?\n",
        at + timedelta(minutes=50),
        to=ticket_reply_address(number),
        In_Reply_To=answered,
        References=answered,
    )
    _file(reply, at + timedelta(minutes=50))


def _colleague(at: datetime) -> None:
    """Someone at snacksdelnorte.mx nobody knew yet: a new contact of Snacks del Norte."""
    raw, _ = _mail(
        "Jorge Salinas <jorge@snacksdelnorte.mx>",
        "Máquina 14 no sincroniza inventario",
        "Hola, la máquina 14 de la planta Apodaca no sincroniza el inventario desde ayer a las "
        "18:00 hora del centro. Sigue pasando.\n",
        at,
    )
    _file(raw, at)


def _unidentified(at: datetime) -> None:
    raw, _ = _mail(
        "Pedro Lozano <pedro.lozano@gmail.com>",
        "¿Cuánto cuesta el plan Pro?",
        "Buenas tardes, tengo 30 máquinas en Saltillo y quiero saber si el plan Pro me conviene.\n",
        at,
    )
    _file(raw, at)


def _out_of_office(luis: Contact, at: datetime) -> None:
    raw, _ = _mail(
        f"Luis Treviño <{luis.email}>",
        "Respuesta automática: fuera de la oficina",
        "Estoy de vacaciones hasta el lunes.\n",
        at,
        Auto_Submitted="auto-replied",
    )
    _file(raw, at)


def _bounce(luis: Contact, agent: Agent, at: datetime) -> None:
    """Luis's ticket gets Lucía's answer; his mail server bounces it."""
    raw, _ = _mail(
        f"Luis Treviño <{luis.email}>",
        "No puedo invitar a un usuario nuevo",
        "El botón Invitar no hace nada en Configuración → Usuarios.\n",
        at,
    )
    number = _file(raw, at)
    if number is None:
        return
    sent = _answer(number, agent, "Hola Luis, ¿qué navegador usas?", at + timedelta(minutes=10))
    _file(_dsn(luis.email, sent, at + timedelta(minutes=11)), at + timedelta(minutes=11))


def _dsn(recipient: str, original: str, at: datetime) -> bytes:
    """An RFC 3464 delivery status notification for ``original``, as an MTA writes one."""
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.cafeexpress.mx>\r\n"
        f"To: {desk_address()}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        f"Date: {format_datetime(at)}\r\n"
        f"Message-ID: {make_msgid(domain='mx.cafeexpress.mx')}\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="dsn"\r\n\r\n'
        "--dsn\r\nContent-Type: text/plain\r\n\r\n"
        f"Your message could not be delivered to {recipient}: mailbox full.\r\n"
        "--dsn\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.cafeexpress.mx\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\nAction: failed\r\nStatus: 5.2.2\r\n"
        "Diagnostic-Code: smtp; 552 5.2.2 Mailbox full\r\n"
        "--dsn\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {original}\r\nTo: {recipient}\r\n"
        "--dsn--\r\n"
    ).encode()


def _chat(ana: Contact, agent: Agent, at: datetime) -> None:
    """Ana asks in the in-app chat; nobody has answered yet (the chat clock runs)."""
    organisation = str(ana.organisation_id)
    started = chat.start(
        email=ana.email,
        organisation_id=organisation,
        signature=signature(chat.secret(), ana.email, organisation),
        name=ana.name,
        lang="es",
        page_url="https://app.trackmyvend.com/maquinas/nueva",
        now=at,
    )
    chat.send(
        conversation=started.conversation,
        client_id="demo-1",
        body="¿Cómo registro una máquina nueva? No veo el botón en Máquinas.",
        now=at,
    )

"""Realistic inbound support emails for the email ingest bench: ``python -m bench.mailgen DIR``.

:func:`generate` makes the same ``COUNT`` messages for the same seed, as a customer base writes
them to the support address: Spanish and English, subjects with accents (RFC 2047 encoded
words), bodies as plain text, HTML only, or ``multipart/alternative``; a share carry a small
PNG screenshot (``multipart/mixed``); some are replies to an earlier message of the set
(``In-Reply-To`` and ``References``, ``Re:`` subject, the quoted history below the answer).
Every sender is a contact of :func:`customers` (organisations on each plan, each with its own
email domain), which the bench seeds first. Files are named ``00001.eml``… in sending order, so
a folder read in name order sees each message after the one it answers.

Standard library only: the peer's venv imports it too.
"""

from __future__ import annotations

import random
import struct
import sys
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import Path

COUNT = 2_000
SEED = 20261205
SUPPORT_ADDRESS = "soporte@trackmyvend.com"
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
"""The first message's ``Date`` (a Monday); the set spans about two weeks."""

PLANS = ("starter", "pro", "enterprise")
ORGS_PER_PLAN = 8
CONTACTS_PER_ORG = 4

# The mix (shares of COUNT).
REPLY_SHARE = 0.25
ATTACHMENT_SHARE = 0.12
SPANISH_SHARE = 0.6
BODY_KINDS = (("plain", 0.45), ("html", 0.2), ("alternative", 0.35))

FIRST_NAMES = ("María", "José", "Lucía", "Andrés", "Sofía", "Iñaki", "Ana", "Raúl", "Peter")
LAST_NAMES = ("Núñez", "García", "Pérez", "Muñoz", "López", "Ramírez", "Smith", "Ibáñez")

SUBJECTS = {
    "es": (
        "La máquina {n} no acepta monedas",
        "Error de conexión en la planta {n}",
        "¿Cómo exporto el inventario del almacén {n}?",
        "Facturación: cobro duplicado en la sucursal {n}",
        "Pantalla en blanco después de la actualización ({n})",
        "Sensores de temperatura sin datos en la ruta {n}",
        "Solicitud: añadir usuarios a la organización {n}",
    ),
    "en": (
        "Machine {n} rejects coins",
        "Connection error at site {n}",
        "How do I export the stock report for warehouse {n}?",
        "Billing: charged twice for branch {n}",
        "Blank screen after the update ({n})",
        "Café kiosk {n} shows no temperature readings",
        "Request: add users to our organisation ({n})",
    ),
}
PARAGRAPHS = {
    "es": (
        "Desde esta mañana la máquina muestra «fuera de servicio» y los clientes no pueden "
        "comprar. Ya la reiniciamos dos veces sin éxito.",
        "El panel de TrackMyVend dice que la última sincronización fue ayer a las 18:40. "
        "Uso Chrome 131 en Windows 11.",
        "¿Podrían revisarlo lo antes posible? Perdemos ventas cada hora que pasa.",
        "Adjunto una captura de pantalla del error que aparece al abrir el inventario.",
        "Gracias por la ayuda; quedo atento a su respuesta.",
    ),
    "en": (
        "Since this morning the machine shows 'out of order' and customers cannot buy. "
        "We restarted it twice already.",
        "The TrackMyVend dashboard says the last sync was yesterday at 6:40 pm. "
        "I am on Firefox 133 on macOS 15.",
        "Could you look into it as soon as possible? We lose sales every hour.",
        "I attached a screenshot of the error that shows when I open the inventory.",
        "Thanks for your help, looking forward to your answer.",
    ),
}
FOLLOW_UPS = {
    "es": (
        "Sigue igual, ¿hay alguna novedad?",
        "Ya probamos lo que sugirieron y el problema continúa en otra máquina también.",
        "Confirmo que ahora funciona, muchas gracias.",
    ),
    "en": (
        "Still the same, any news?",
        "We tried what you suggested and now another machine has the problem too.",
        "I confirm it works now, thank you very much.",
    ),
}
WROTE = {"es": "El {date}, {name} <{email}> escribió:", "en": "On {date}, {name} <{email}> wrote:"}


@dataclass(frozen=True, slots=True)
class Contact:
    email: str
    name: str
    locale: str


@dataclass(frozen=True, slots=True)
class Organisation:
    name: str
    plan: str
    domain: str
    locale: str
    contacts: tuple[Contact, ...]


@dataclass(frozen=True, slots=True)
class Mail:
    """One generated message and what the bench expects of it."""

    filename: str
    raw: bytes
    message_id: str
    contact: Contact
    subject: str
    language: str
    body: str
    """``plain``, ``html`` or ``alternative``."""
    attachment: bool
    references: tuple[str, ...]
    """The thread it answers, first message first (empty when it opens one)."""

    @property
    def root(self) -> str:
        """The Message-ID that opened its thread (its own when it opens one)."""
        return self.references[0] if self.references else self.message_id


def customers() -> list[Organisation]:
    """The organisations and contacts that send the set (the bench seeds them)."""
    rng = random.Random(SEED)
    orgs = []
    for plan in PLANS:
        for k in range(ORGS_PER_PLAN):
            domain = f"{plan}{k}.vending-{'mx' if k % 3 else 'us'}.example"
            org_locale = "en" if k % 3 == 0 else "es"
            contacts = tuple(
                Contact(
                    email=f"{_ascii(first)}.{_ascii(last)}{j}@{domain}",
                    name=f"{first} {last}",
                    locale=org_locale if j else ("en" if org_locale == "es" else "es"),
                )
                for j in range(CONTACTS_PER_ORG)
                for first, last in [(rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES))]
            )
            orgs.append(
                Organisation(
                    name=f"Vending {plan.title()} {k}",
                    plan=plan,
                    domain=domain,
                    locale=org_locale,
                    contacts=contacts,
                )
            )
    return orgs


def generate(count: int = COUNT, seed: int = SEED) -> list[Mail]:
    """``count`` messages, the same ones for the same ``seed``, in sending order."""
    rng = random.Random(seed)
    senders = [c for org in customers() for c in org.contacts]
    mails: list[Mail] = []
    for i in range(1, count + 1):
        at = START + timedelta(minutes=10 * i + rng.randrange(10), seconds=rng.randrange(60))
        parent = rng.choice(mails) if mails and rng.random() < REPLY_SHARE else None
        mails.append(_mail(rng, i, at, rng.choice(senders), parent))
    return mails


def write(mails: list[Mail], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for mail in mails:
        (folder / mail.filename).write_bytes(mail.raw)


def _mail(rng: random.Random, i: int, at: datetime, sender: Contact, parent: Mail | None) -> Mail:
    language = "es" if rng.random() < SPANISH_SHARE else "en"
    if parent is not None:  # the same person answers, in the same language
        sender, language = parent.contact, parent.language
    body_kind = rng.choices([k for k, _ in BODY_KINDS], [w for _, w in BODY_KINDS])[0]
    attachment = rng.random() < ATTACHMENT_SHARE
    domain = sender.email.split("@", 1)[1]
    message_id = f"<{at:%Y%m%d%H%M%S}.{i:05d}.{rng.getrandbits(40):010x}@mail.{domain}>"
    if parent is None:
        subject = rng.choice(SUBJECTS[language]).format(n=rng.randrange(10, 999))
        text = "\n\n".join(rng.sample(PARAGRAPHS[language], k=rng.randint(1, 3)))
    else:
        subject = parent.subject if parent.subject.startswith("Re: ") else f"Re: {parent.subject}"
        quoted = WROTE[language].format(
            date=format_datetime(at - timedelta(hours=2)), name=sender.name, email=sender.email
        )
        history = "\n".join(f"> {line}" if line else ">" for line in _text(parent).splitlines())
        text = f"{rng.choice(FOLLOW_UPS[language])}\n\n{quoted}\n{history}"
    greeting = "Hola" if language == "es" else "Hello"
    signature = f"{sender.name}\n{domain}"
    text = f"{greeting},\n\n{text}\n\n--\n{signature}\n"

    msg = EmailMessage(policy=SMTP)
    msg["From"] = f"{sender.name} <{sender.email}>"
    msg["To"] = f"Soporte TrackMyVend <{SUPPORT_ADDRESS}>"
    msg["Subject"] = subject  # encoded words (RFC 2047) when it has accents
    msg["Date"] = format_datetime(at)
    msg["Message-ID"] = message_id
    if parent is not None:
        msg["In-Reply-To"] = parent.message_id
        msg["References"] = " ".join((*parent.references, parent.message_id))
    msg["MIME-Version"] = "1.0"
    msg["User-Agent"] = rng.choice(("Thunderbird/128.5", "Outlook 16.0", "Apple Mail (3826)"))
    html = _html(text)
    if body_kind == "html":
        msg.set_content(html, subtype="html")
    else:
        msg.set_content(text)
        if body_kind == "alternative":
            msg.add_alternative(html, subtype="html")
    if attachment:
        msg.add_attachment(_png(rng), maintype="image", subtype="png", filename=f"captura-{i}.png")
    return Mail(
        filename=f"{i:05d}.eml",
        raw=msg.as_bytes(),
        message_id=message_id,
        contact=sender,
        subject=subject,
        language=language,
        body=body_kind,
        attachment=attachment,
        references=(*parent.references, parent.message_id) if parent else (),
    )


def _text(mail: Mail) -> str:
    """What a mail client quotes of ``mail``: its text body."""
    from email import message_from_bytes
    from email.policy import default

    msg = message_from_bytes(mail.raw, policy=default)
    body = msg.get_body(preferencelist=("plain", "html"))  # type: ignore[attr-defined]
    text: str = body.get_content() if body is not None else ""
    return text.replace("\r\n", "\n").strip()


def _html(text: str) -> str:
    from html import escape

    paragraphs = "".join(
        f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in text.strip().split("\n\n")
    )
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head>'
        f'<body style="font-family: Arial, sans-serif">{paragraphs}</body></html>\n'
    )


def _png(rng: random.Random, side: int = 24) -> bytes:
    """A small valid PNG (``side`` × ``side``, RGB) of a random colour band pattern."""
    r, g, b = rng.randrange(256), rng.randrange(256), rng.randrange(256)
    rows = b"".join(
        b"\x00"  # filter type: none
        + b"".join(bytes((r, g, b) if (x + y) % 8 < 4 else (255, 255, 255)) for x in range(side))
        for y in range(side)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _ascii(name: str) -> str:
    from unicodedata import normalize

    return normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "var/bench-mail")
    generated = generate()
    write(generated, target)
    print(f"{len(generated)} messages in {target}")

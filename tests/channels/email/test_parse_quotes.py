"""What the sender wrote now, apart from the quoted history and the signature, as the mail
clients customers use write it in Spanish and English; and the language of the text."""

from __future__ import annotations

import pytest

from soporte.channels.email.domain.language import language
from soporte.channels.email.domain.message import parse
from soporte.channels.email.domain.quotes import MAX_CHARS, split_reply

GMAIL_ES = (
    "Ya funciona, gracias.\n\n"
    "El lun, 2 dic 2026 a las 10:00, Soporte TrackMyVend (<soporte@trackmyvend.com>) escribió:\n"
    "> ¿Sigue pasando?\n>\n> Soporte\n"
)
GMAIL_ES_WRAPPED = (
    "Ya funciona.\n\n"
    "El lun, 2 dic 2026 a las 10:00, Soporte TrackMyVend <soporte@trackmyvend.com>\n"
    "escribió:\n\n> ¿Sigue pasando?\n"
)
APPLE_ES = (
    "Adjunto la captura.\n\nEnviado desde mi iPhone\n\n"
    "El 2 dic 2026, a las 10:00, Soporte <soporte@trackmyvend.com> escribió:\n\n"
    "> ¿Nos manda una captura?\n"
)
GMAIL_EN = (
    "It works now.\n\n"
    "On Mon, Dec 2, 2026 at 10:00 AM Soporte TrackMyVend <soporte@trackmyvend.com> wrote:\n"
    "> Is it still happening?\n"
)
GMAIL_EN_WRAPPED = (
    "Still broken.\n\nOn Mon, Dec 2, 2026 at 10:00 AM Soporte TrackMyVend <\n"
    "soporte@trackmyvend.com> wrote:\n> Is it still happening?\n"
)
OUTLOOK_ES = (
    "Sigue igual desde las 9:30.\n\nSaludos,\nAna Pérez\nGerente, Tiendas Acme\n\n"
    "________________________________\n"
    "De: Soporte TrackMyVend <soporte@trackmyvend.com>\n"
    "Enviado: lunes, 2 de diciembre de 2026 10:00\n"
    "Para: Ana Pérez <ana@acme.example>\n"
    "Asunto: RE: [#42] Tablero en cero\n\n¿Sigue pasando?\n"
)
OUTLOOK_EN = (
    "Still happening.\n\n"
    "From: Soporte TrackMyVend <soporte@trackmyvend.com>\n"
    "Sent: Monday, December 2, 2026 10:00 AM\n"
    "To: Ana Perez <ana@acme.example>\n"
    "Subject: RE: [#42] Dashboard\n\nIs it still happening?\n"
)
OLD_OUTLOOK = "Listo.\n\n-----Original Message-----\nFrom: Soporte\nSent: Monday\n\nHola\n"
SIGNATURE = "Gracias por la ayuda.\n\n-- \nAna Pérez\nTiendas Acme\n"
LISTS = "Pasos:\n- abrir el tablero\n- elegir hoy\n- ver $0\n"


@pytest.mark.parametrize(
    ("text", "reply", "quoted_starts"),
    [
        (GMAIL_ES, "Ya funciona, gracias.", "El lun, 2 dic 2026 a las 10:00, Soporte"),
        (GMAIL_ES_WRAPPED, "Ya funciona.", "El lun, 2 dic 2026 a las 10:00, Soporte"),
        (APPLE_ES, "Adjunto la captura.", "El 2 dic 2026, a las 10:00, Soporte"),
        (GMAIL_EN, "It works now.", "On Mon, Dec 2, 2026 at 10:00 AM Soporte"),
        (GMAIL_EN_WRAPPED, "Still broken.", "On Mon, Dec 2, 2026 at 10:00 AM Soporte"),
        (OUTLOOK_ES, "Sigue igual desde las 9:30.", "De: Soporte TrackMyVend"),
        (OUTLOOK_EN, "Still happening.", "From: Soporte TrackMyVend"),
        (OLD_OUTLOOK, "Listo.", "-----Original Message-----"),
        (SIGNATURE, "Gracias por la ayuda.", ""),
        (LISTS, LISTS.strip(), ""),  # a list is no signature
        ("Hola.\nEl sistema dice: error 500\n", "Hola.\nEl sistema dice: error 500", ""),
        ("", "", ""),
    ],
)
def test_the_reply_apart_from_the_quoted_history(text: str, reply: str, quoted_starts: str) -> None:
    found_reply, quoted = split_reply(text)
    assert found_reply == reply
    assert quoted.startswith(quoted_starts)
    assert bool(quoted) == bool(quoted_starts)


def test_a_quoted_history_keeps_what_it_quoted() -> None:
    assert split_reply(OUTLOOK_ES)[1].endswith(
        "Asunto: RE: [#42] Tablero en cero\n\n¿Sigue pasando?"
    )


def test_a_body_beyond_the_parsers_reach_is_kept_whole() -> None:
    text = "Registro:\n" + "linea\n" * (MAX_CHARS // 6 + 10)
    reply, quoted = split_reply(text)
    assert (reply.count("linea"), quoted) == (text.count("linea"), "")
    reply, quoted = split_reply(GMAIL_EN + "> linea\n" * (MAX_CHARS // 8))
    assert reply == "It works now."
    assert quoted.count("> linea") == MAX_CHARS // 8


def test_an_html_reply_loses_its_quoted_history_too() -> None:
    raw = (
        "From: ana@acme.example\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        "<div>Ya quedó, gracias.</div><br><div class=gmail_quote><div>El lun, 2 dic 2026 a las "
        "10:00, Soporte &lt;soporte@trackmyvend.com&gt; escribió:<br></div>"
        "<blockquote>¿Sigue pasando?</blockquote></div>"
    ).encode()
    mail = parse(raw)
    assert mail.reply_text == "Ya quedó, gracias."
    assert mail.quoted_text == (
        "El lun, 2 dic 2026 a las 10:00, Soporte <soporte@trackmyvend.com> escribió:\n\n"
        "¿Sigue pasando?"
    )
    assert mail.text == "Ya quedó, gracias.\n\n" + mail.quoted_text


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Hola, el tablero no carga desde la mañana. ¿Me pueden ayudar?", "es"),
        ("Buenos días, sigue sin funcionar el reporte de ventas.", "es"),
        ("Hello, the dashboard is not loading since this morning. Can you help?", "en"),
        ("Thanks, it works now. Please close the ticket.", "en"),
        ("Gracias", ""),  # too little to tell
        ("OK", ""),
        ("Chrome 123, Windows 11, https://app.trackmyvend.com", ""),
        ("Hola, the dashboard de la tienda is not working con el reporte", ""),  # mixed
        ("", ""),
    ],
)
def test_language(text: str, found: str) -> None:
    assert language(text) == found


def test_the_language_is_read_from_what_the_sender_wrote_now() -> None:
    raw = (
        "From: ana@acme.example\r\n\r\nThanks, it works now and it is fine.\n\n"
        "El lun, 2 dic 2026 a las 10:00, Soporte <s@t.example> escribió:\n"
        "> Hola, ¿sigue pasando el problema con el tablero de la tienda? Nos dice por favor.\n"
    ).encode()
    assert parse(raw).language == "en"


def test_a_long_line_is_kept_and_no_quote_header() -> None:
    log = "On " * 2_000  # the start of a quote header, too long to be one
    reply, quoted = split_reply(f"Va el registro:\n{log}\n\n{GMAIL_EN}")
    assert reply == f"Va el registro:\n{log.strip()}\n\nIt works now."
    assert quoted.startswith("On Mon, Dec 2, 2026 at 10:00 AM Soporte")

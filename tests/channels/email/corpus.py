"""A generated corpus of the mail real mailboxes hold, malformed included: every charset
family, mislabelled charsets, split encoded words, missing and duplicate headers, bare LF, 8-bit
headers, uuencode, TNEF, forwards, ``cid:`` images, a huge body, broken MIME, garbage.

:func:`corpus` yields ``(name, raw, expectations)``; ``expectations`` maps an
:class:`InboundMail` field to its exact value, or ``text_has``/``filenames``/``problem_has`` to
what the text, the attachments' names and the problems must include (:func:`unmet` checks
them). The parse tests and the ingest benchmark both read it.
"""

from __future__ import annotations

import base64
import binascii
import quopri
from collections.abc import Iterator
from typing import Any

from soporte.channels.email.domain.message import InboundMail, derived_message_id

Expectations = dict[str, Any]

DATE = b"Mon, 07 Dec 2026 10:00:00 -0600"


def message(*headers: tuple[str, bytes | str], body: bytes = b"", eol: bytes = b"\r\n") -> bytes:
    """Raw message bytes: ``headers`` in order (bytes as they are: 8-bit allowed), a blank
    line, then ``body`` (its line ends rewritten to ``eol``)."""
    lines = [
        name.encode() + b": " + (v if isinstance(v, bytes) else v.encode()) for name, v in headers
    ]
    return eol.join(lines) + eol + eol + body.replace(b"\r\n", b"\n").replace(b"\n", eol)


def ordinary(n: int) -> bytes:
    """The ``n``-th of many ordinary messages (the benchmark's bulk): one sender, a plain
    Spanish question with a quoted reply."""
    return message(
        ("From", f"Cliente {n} <cliente{n}@acme.example>"),
        ("To", "soporte@trackmyvend.com"),
        ("Subject", f"=?utf-8?q?Reporte_n=C3=BAmero_{n}?="),
        ("Message-ID", f"<ordinary-{n}@acme.example>"),
        ("Date", DATE),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Transfer-Encoding", "quoted-printable"),
        body=quopri.encodestring(
            (
                f"Hola, el tablero de la tienda {n} muestra $0 en ventas desde las 9:30.\n"
                "Uso Chrome 123 en Windows 11.\n\nGracias,\nAna\n\n"
                "El lun, 7 dic 2026 a las 10:00, Soporte <soporte@trackmyvend.com> escribió:\n"
                "> ¿Sigue pasando?\n"
            ).encode()
        ),
    )


def _plain(subject: str, text: bytes, charset: str, *extra: tuple[str, bytes | str]) -> bytes:
    return message(
        ("From", "Ana <ana@acme.example>"),
        ("Subject", subject),
        ("Message-ID", "<m@acme.example>"),
        ("Date", DATE),
        ("Content-Type", f"text/plain; charset={charset}"),
        *extra,
        body=text,
    )


def _b64(data: bytes) -> bytes:
    return base64.encodebytes(data)


def _uu(name: str, data: bytes) -> bytes:
    lines = [binascii.b2a_uu(data[i : i + 45]) for i in range(0, len(data), 45)]
    return b"begin 644 " + name.encode() + b"\n" + b"".join(lines) + b"`\nend\n"


def _multipart(kind: str, boundary: str, *parts: bytes, head: tuple[tuple[str, str], ...] = ()):  # type: ignore[no-untyped-def]
    b = boundary.encode()
    body = b"".join(b"--" + b + b"\n" + p + b"\n" for p in parts) + b"--" + b + b"--\n"
    headers = [
        ("From", "Ana <ana@acme.example>"),
        ("Subject", "Adjuntos"),
        ("Message-ID", "<mp@acme.example>"),
        ("MIME-Version", "1.0"),
        *head,
        ("Content-Type", f'{kind}; boundary="{boundary}"'),
    ]
    return message(*headers, body=body)


def _part(kind: str, body: bytes, *headers: str) -> bytes:
    return "\n".join([f"Content-Type: {kind}", *headers]).encode() + b"\n\n" + body


PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")
TNEF = bytes.fromhex("789f3e220100") + b"\x00" * 32


def corpus() -> Iterator[tuple[str, bytes, Expectations]]:
    """Every case: its name, its raw bytes, and what reading it must give."""
    yield (
        "iso-2022-jp",
        _plain(
            "=?ISO-2022-JP?B?GyRCMnE1RCRON28bKEI=?=",
            "こんにちは、田中です。\n".encode("iso-2022-jp"),
            "iso-2022-jp",
        ),
        {"subject": "会議の件", "text": "こんにちは、田中です。", "problems": ()},
    )
    yield (
        "koi8-r",
        _plain(
            "=?koi8-r?B?" + base64.b64encode("Привет".encode("koi8-r")).decode() + "?=",
            "Не работает отчёт".encode("koi8-r"),
            "koi8-r",
            ("Content-Transfer-Encoding", "8bit"),
        ),
        {"subject": "Привет", "text": "Не работает отчёт"},
    )
    yield (
        "gb2312 holding GBK",
        _plain(
            "=?gb2312?B?" + base64.b64encode("报表".encode("gbk")).decode() + "?=",
            "你好，朱镕基的报表不工作".encode("gbk"),
            "gb2312",
        ),
        {"subject": "报表", "text": "你好，朱镕基的报表不工作"},
    )
    yield (
        "windows-1252",
        _plain("Precio", "El precio es 10 € — “urgente”".encode("cp1252"), "windows-1252"),
        {"text": "El precio es 10 € — “urgente”", "problems": ()},
    )
    yield (
        "us-ascii holding UTF-8",
        _plain("Caída", "Está caído el tablero".encode(), "us-ascii"),
        {"text": "Está caído el tablero", "problem_has": "us-ascii"},
    )
    yield (
        "us-ascii holding Latin-1",
        _plain("Caída", "Información del módulo".encode("latin-1"), '"us-ascii"'),
        {"text": "Información del módulo"},
    )
    yield (
        "UTF-8 holding Windows-1252",
        _plain("x", "Información “rota”".encode("cp1252"), "utf-8"),
        {"text": "Información “rota”"},
    )
    yield (
        "unknown charset holding UTF-8",
        _plain("=?x-made-up?Q?Caf=C3=A9?=", "Señal débil".encode(), "x-made-up"),
        {"subject": "Café", "text": "Señal débil", "problem_has": "x-made-up"},
    )
    yield (
        "encoded words split mid-character",
        _plain(
            "=?UTF-8?Q?A=C3?= =?UTF-8?Q?=B1o_nuevo?=\r\n =?utf-8?B?"
            + base64.b64encode(b"\xe2\x82").decode()
            + "?= =?utf-8?B?"
            + base64.b64encode(b"\xac 5").decode()
            + "?=",
            b"ok",
            "utf-8",
        ),
        {"subject": "Año nuevo€ 5"},
    )
    yield (
        "no From",
        message(("Subject", "Sin remitente"), ("Message-ID", "<nf@x>"), body=b"Hola"),
        {"from_address": "", "from_name": "", "text": "Hola", "problem_has": "From"},
    )
    no_subject = message(("From", "ana@acme.example"), body=b"Hola")
    yield (
        "no Subject, Message-ID or Date",
        no_subject,
        {
            "subject": "",
            "message_id": derived_message_id(no_subject),
            "date": None,
            "from_address": "ana@acme.example",
        },
    )
    yield (
        "duplicate headers",
        message(
            ("From", "Ana <ANA@Acme.Example>"),
            ("From", "Mallory <mallory@evil.example>"),
            ("Subject", "Primero"),
            ("Subject", "Segundo"),
            ("Message-ID", "bare-id@acme.example"),
            ("Message-ID", "<second@acme.example>"),
            body=b"Hola",
        ),
        {
            "from_address": "ana@acme.example",
            "from_name": "Ana",
            "subject": "Primero",
            "message_id": "<bare-id@acme.example>",
        },
    )
    yield (
        "bare LF",
        message(
            ("From", "ana@acme.example"),
            ("Subject", "=?utf-8?q?L=C3=ADneas?=\n\tpartidas"),
            ("Content-Type", "text/plain; charset=utf-8"),
            body=b"uno\ndos\n\ntres",
            eol=b"\n",
        ),
        {"subject": "Líneas partidas", "text": "uno\ndos\n\ntres"},
    )
    yield (
        "8-bit headers",
        message(
            ("From", "Jos\xe9 P\xe9rez <jose@acme.example>".encode("latin-1")),
            ("Subject", "Reunión mañana".encode()),
            ("Content-Type", "text/plain; charset=utf-8"),
            body="Confirmo la reunión".encode(),
        ),
        {"from_name": "José Pérez", "subject": "Reunión mañana", "text": "Confirmo la reunión"},
    )
    yield (
        "uuencoded attachment",
        _plain(
            "Reporte", b"Va el reporte.\n\n" + _uu("reporte.txt", b"ventas: 14\n" * 10), "us-ascii"
        ),
        {"text": "Va el reporte.", "filenames": ("reporte.txt",)},
    )
    yield (
        "TNEF winmail.dat",
        _multipart(
            "multipart/mixed",
            "b1",
            _part("text/plain; charset=utf-8", b"Adjunto el archivo"),
            _part(
                "application/ms-tnef; name=winmail.dat",
                _b64(TNEF),
                "Content-Transfer-Encoding: base64",
                "Content-Disposition: attachment; filename=winmail.dat",
            ),
        ),
        {"text": "Adjunto el archivo", "filenames": ("winmail.dat",)},
    )
    inner = _multipart(
        "multipart/mixed",
        "in1",
        _part("text/plain; charset=utf-8", b"El pedido 7 no aparece."),
        _part(
            "image/png",
            _b64(PNG),
            "Content-Transfer-Encoding: base64",
            'Content-Disposition: attachment; filename="pedido.png"',
        ),
        head=(("To", "soporte@trackmyvend.com"), ("Date", "Fri, 04 Dec 2026 09:00:00 -0600")),
    )
    yield (
        "forwarded message/rfc822",
        _multipart(
            "multipart/mixed",
            "out1",
            _part("text/plain; charset=utf-8", b"Les reenvio lo que me escribio el cliente."),
            _part("message/rfc822", inner.replace(b"\r\n", b"\n")),
        ),
        {
            "reply_text": "Les reenvio lo que me escribio el cliente.",
            "text_has": ("---------- Forwarded message ----------", "El pedido 7 no aparece."),
            "filenames": ("pedido.png",),
        },
    )
    alternative = (
        b'Content-Type: multipart/alternative; boundary="alt"\n\n'
        b"--alt\n" + _part("text/plain; charset=utf-8", b"Ver la imagen [logo]") + b"\n"
        b"--alt\n"
        + _part("text/html; charset=utf-8", b'<p>Ver la imagen <img src="cid:logo@acme"></p>')
        + b"\n--alt--"
    )
    related = (
        b'Content-Type: multipart/related; boundary="rel"\n\n--rel\n'
        + alternative
        + b"\n--rel\n"
        + _part(
            "image/png",
            _b64(PNG),
            "Content-Transfer-Encoding: base64",
            "Content-ID: <logo@acme>",
            "Content-Disposition: inline",
        )
        + b"\n--rel--"
    )
    yield (
        "related + alternative with a cid image",
        _multipart(
            "multipart/mixed",
            "mix",
            related,
            _part(
                "application/pdf; name=factura.pdf",
                _b64(b"%PDF-1.4"),
                "Content-Transfer-Encoding: base64",
            ),
        ),
        {
            "text": "Ver la imagen [logo]",
            "html": '<p>Ver la imagen <img src="cid:logo@acme"></p>',
            "filenames": ("part-1.png", "factura.pdf"),
        },
    )
    yield (
        "200k-line body",
        _plain(
            "Registro", b"".join(b"linea %d del registro\n" % i for i in range(200_000)), "utf-8"
        ),
        {"text_has": ("linea 0 del registro", "linea 199999 del registro")},
    )
    yield (
        "broken MIME boundary",
        message(
            ("From", "ana@acme.example"),
            ("Subject", "Roto"),
            ("Content-Type", 'multipart/mixed; boundary="never"'),
            body=b"--other\nContent-Type: text/plain\n\nTexto perdido\n--other--\n",
        ),
        {"text_has": ("Texto perdido",), "problem_has": "boundary"},
    )
    yield (
        "a part with no Content-Type",
        _multipart(
            "multipart/mixed",
            "nc",
            b"\nSin tipo de contenido",
            _part("text/plain", b"Segunda parte"),
        ),
        {"text": "Sin tipo de contenido\n\nSegunda parte"},
    )
    yield (
        "an RFC 2231 parameter the standard library's parser raises on",
        message(
            ("From", "ana@acme.example"),
            ("Subject", "Parámetro roto"),
            ("Content-Type", "multipart/mixed; name*0*=utf-8''%E2; name*; boundary=b"),
            body=b"--b\n\nHola\n--b--\n",
        ),
        {"text_has": ("Hola",), "problem_has": "unreadable MIME structure"},
    )
    yield (
        "HTML only",
        message(
            ("From", "ana@acme.example"),
            ("Subject", "html"),
            ("Content-Type", "text/html; charset=utf-8"),
            body=(
                b"<html><head><style>p{color:red}</style></head><body><p>Hola&nbsp;equipo,</p>"
                b'<p>Ver <a href="https://app.trackmyvend.com/r/4">el reporte</a><br>gracias</p>'
                b"<ul><li>uno</li><li>dos</li></ul><script>alert(1)</script></body></html>"
            ),
        ),
        {
            "text": "Hola equipo,\n\nVer el reporte (https://app.trackmyvend.com/r/4)\ngracias"
            "\n\n- uno\n- dos",
        },
    )
    yield (
        "broken quoted-printable and base64",
        _multipart(
            "multipart/mixed",
            "enc",
            _part(
                "text/plain; charset=utf-8",
                b"Caf=C3=A9 =ZZ roto=\nunido",
                "Content-Transfer-Encoding: quoted-printable",
            ),
            _part(
                "application/octet-stream; name=a.bin",
                b"QUJD\n!!RE=\nRU",
                "Content-Transfer-Encoding: base64",
            ),
        ),
        {"text": "Café =ZZ rotounido", "filenames": ("a.bin",)},
    )
    yield (
        "garbage bytes",
        bytes(range(256)) * 8 + b"\r\n\r\n\x00\xff",
        {},
    )
    yield (
        "headers only, no blank line",
        b"From: ana@acme.example\r\nSubject: solo encabezados",
        {"subject": "solo encabezados", "text": "", "from_address": "ana@acme.example"},
    )


def unmet(mail: InboundMail, expectations: Expectations) -> list[str]:
    """What of ``expectations`` ``mail`` does not meet (empty: all)."""
    failures = []
    for key, wanted in expectations.items():
        if key == "text_has":
            failures += [f"text lacks {w!r}" for w in wanted if w not in mail.text]
        elif key == "filenames":
            names = tuple(p.filename for p in mail.parts)
            if names != wanted:
                failures.append(f"attachments {names!r}, not {wanted!r}")
        elif key == "problem_has":
            if not any(wanted in p for p in mail.problems):
                failures.append(f"no problem mentions {wanted!r}: {mail.problems!r}")
        elif getattr(mail, key) != wanted:
            failures.append(f"{key} is {getattr(mail, key)!r}, not {wanted!r}")
    return failures

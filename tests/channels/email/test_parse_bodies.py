"""Bodies as a mail client shows them: charsets (declared, mislabelled, unknown), the text or
HTML picked from any MIME tree, HTML read as text and made safe, attachments, ``cid:`` images,
uuencoded files and forwarded messages."""

from __future__ import annotations

import base64
import binascii

import pytest
from corpus import PNG, message

from soporte.channels.email.domain.charsets import decode_bytes
from soporte.channels.email.domain.markup import html_text, safe_html
from soporte.channels.email.domain.message import parse
from soporte.channels.email.domain.parts import Part


@pytest.mark.parametrize(
    ("data", "declared", "text", "problem"),
    [
        (b"plain", "", "plain", ""),
        ("ñandú".encode(), "utf-8", "ñandú", ""),
        ("ñandú".encode(), "us-ascii", "ñandú", "text labelled us-ascii read as utf-8"),
        ("ñandú".encode(), "iso-8859-1", "ñandú", "text labelled iso-8859-1 read as utf-8"),
        ("ñandú".encode("latin-1"), "iso-8859-1", "ñandú", ""),
        ("ñandú".encode("latin-1"), "us-ascii", "ñandú", "text labelled us-ascii read as cp1252"),
        ("“sí”".encode("cp1252"), "utf-8", "“sí”", "text labelled utf-8 read as cp1252"),
        ("ñandú".encode("latin-1"), "", "ñandú", "8-bit text without a charset read as cp1252"),
        ("ñandú".encode(), "x-made-up", "ñandú", "unknown charset 'x-made-up' read as utf-8"),
        ("ñandú".encode(), "base64", "ñandú", "unknown charset 'base64' read as utf-8"),
        (b"\\u0041", "unicode-escape", "\\u0041", ""),  # not a mail charset: as written
        ("Привет".encode("koi8-r"), "KOI8-R", "Привет", ""),
        ("Привет".encode("cp1251"), '"windows-1251"', "Привет", ""),
        ("こんにちは".encode("iso-2022-jp"), "iso-2022-jp", "こんにちは", ""),
        ("こんにちは".encode("shift_jis"), "shift_jis", "こんにちは", ""),
        ("朱镕基".encode("gbk"), "gb2312", "朱镕基", ""),
        ("안녕".encode("cp949"), "ks_c_5601-1987", "안녕", ""),
        ("שלום".encode("iso-8859-8"), "iso-8859-8-i", "שלום", ""),
        ("hi".encode("utf-16"), "utf-16", "hi", ""),
        (b"\x1b$B\xff", "iso-2022-jp", "\ufffd", "invalid iso-2022-jp bytes replaced"),
    ],
)
def test_a_body_under_its_charset(data: bytes, declared: str, text: str, problem: str) -> None:
    decoded = decode_bytes(data, declared)
    assert (decoded.text, decoded.problem) == (text, problem)


def mail(content_type: str, body: bytes, *headers: tuple[str, str]) -> bytes:
    return message(
        ("From", "ana@acme.example"),
        ("MIME-Version", "1.0"),
        *headers,
        ("Content-Type", content_type),
        body=body,
    )


def tree(boundary: str, *parts: bytes) -> bytes:
    b = boundary.encode()
    return b"".join(b"--" + b + b"\n" + p + b"\n" for p in parts) + b"--" + b + b"--\n"


PLAIN = b"Content-Type: text/plain; charset=utf-8\n\nTexto"
RICH = "<p>Texto <b>rico</b></p>"
HTML = b"Content-Type: text/html; charset=utf-8\n\n" + RICH.encode()


@pytest.mark.parametrize(
    ("content_type", "body", "text", "html"),
    [
        ("text/plain", b"Solo texto", "Solo texto", ""),
        ("text/html", b"<p>Solo&nbsp;HTML</p>", "Solo HTML", "<p>Solo&nbsp;HTML</p>"),
        (
            'multipart/alternative; boundary="a"',
            tree("a", PLAIN, HTML),
            "Texto",
            RICH,
        ),
        ('multipart/alternative; boundary="a"', tree("a", HTML), "Texto rico", RICH),
        (  # an empty text alternative: the HTML's text
            'multipart/alternative; boundary="a"',
            tree("a", b"Content-Type: text/plain\n\n  \n", HTML),
            "Texto rico",
            RICH,
        ),
        (  # alternative inside related inside mixed
            'multipart/mixed; boundary="m"',
            tree(
                "m",
                b'Content-Type: multipart/related; boundary="r"\n\n'
                + tree(
                    "r",
                    b'Content-Type: multipart/alternative; boundary="a"\n\n'
                    + tree("a", PLAIN, HTML),
                ),
            ),
            "Texto",
            RICH,
        ),
        (  # Apple Mail: text, image, text
            'multipart/mixed; boundary="m"',
            tree("m", PLAIN, b"Content-Type: image/png\n\nx", b"Content-Type: text/plain\n\nSigue"),
            "Texto\n\nSigue",
            "",
        ),
        (  # a text attachment is no body
            'multipart/mixed; boundary="m"',
            tree("m", PLAIN, b"Content-Type: text/plain\nContent-Disposition: attachment\n\nlog"),
            "Texto",
            "",
        ),
        ("text/plain", b"uno\r\ndos\rtres\nfin", "uno\ndos\ntres\nfin", ""),
    ],
)
def test_the_body_picked_from_the_tree(
    content_type: str, body: bytes, text: str, html: str
) -> None:
    found = parse(mail(content_type, body))
    assert (found.text, found.html) == (text, html)


@pytest.mark.parametrize(
    ("encoding", "body", "text"),
    [
        ("quoted-printable", b"Caf=C3=A9 con=\n leche", "Café con leche"),
        ("quoted-printable", b"100=\n% =ZZ listo", "100% =ZZ listo"),
        ("base64", base64.encodebytes("¿Qué tal?".encode()), "¿Qué tal?"),
        ("base64", b"wr9RdcOpIHRhbD8", "¿Qué tal?"),  # no padding
        ("base64", b"wr9Rdc*OpIH!RhbD8=\n", "¿Qué tal?"),  # junk characters
        ("8bit", "línea".encode(), "línea"),
        ("x-made-up", "línea".encode(), "línea"),
    ],
)
def test_transfer_encodings_and_their_errors(encoding: str, body: bytes, text: str) -> None:
    raw = mail("text/plain; charset=utf-8", body, ("Content-Transfer-Encoding", encoding))
    assert parse(raw).text == text


def test_attachments_inline_images_tnef_and_uuencoded_files_are_kept() -> None:
    png = base64.encodebytes(PNG)
    raw = mail(
        'multipart/mixed; boundary="m"',
        tree(
            "m",
            b"Content-Type: text/plain\n\nVer adjuntos\n\nbegin 644 datos.csv\n"
            + binascii.b2a_uu(b"ventas;14\n")
            + b"`\nend\nfin",
            b'Content-Type: multipart/related; boundary="r"\n\n'
            + tree(
                "r",
                b'Content-Type: text/html\n\n<p>Logo: <img src="cid:logo@x"></p>',
                b"Content-Type: image/png\nContent-ID: <logo@x>\n"
                b"Content-Transfer-Encoding: base64\n\n" + png,
            ),
            b"Content-Type: application/ms-tnef; name=winmail.dat\n"
            b"Content-Transfer-Encoding: base64\n\neJ8+IgEA",
            b"Content-Type: image/png\nContent-ID: <attached@x>\n"
            b"Content-Disposition: attachment; filename*=utf-8''pantalla%20%C3%BAnica.png\n"
            b"Content-Transfer-Encoding: base64\n\n" + png,
            b"Content-Type: application/pdf;\n name==?utf-8?q?factura_d=C3=ADa.pdf?=\n"
            b"Content-Transfer-Encoding: base64\n\nJVBERg==",
        ),
    )
    found = parse(raw)
    assert found.text == "Ver adjuntos\n\nfin"
    assert found.parts == (
        Part("datos.csv", "text/csv", b"ventas;14\n"),
        Part("part-2.png", "image/png", PNG, content_id="logo@x", inline=True),
        Part("winmail.dat", "application/ms-tnef", b'x\x9f>"\x01\x00'),
        Part("pantalla única.png", "image/png", PNG, content_id="attached@x"),
        Part("factura día.pdf", "application/pdf", b"%PDF"),
    )


def test_a_forwarded_message_is_quoted_text_and_keeps_its_attachments() -> None:
    inner = message(
        ("From", "=?utf-8?q?Jos=C3=A9?= <jose@cliente.example>"),
        ("To", "ana@acme.example"),
        ("Date", "Fri, 04 Dec 2026 09:00:00 -0600"),
        ("Subject", "Pedido perdido"),
        ("Content-Type", 'multipart/mixed; boundary="i"'),
        body=tree(
            "i",
            b"Content-Type: text/html\n\n<p>El pedido <b>7</b> no aparece.</p>",
            b"Content-Type: image/png; name=pedido.png\n\nPNG",
        ),
    )
    raw = mail(
        'multipart/mixed; boundary="o"',
        tree(
            "o",
            b"Content-Type: text/plain\n\nLes reenvio esto.",
            b"Content-Type: message/rfc822\n\n" + inner,
        ),
    )
    found = parse(raw)
    forwarded = (
        "---------- Forwarded message ----------\nFrom: José <jose@cliente.example>\n"
        "Date: Fri, 04 Dec 2026 09:00:00 -0600\nSubject: Pedido perdido\n"
        "To: ana@acme.example\n\nEl pedido 7 no aparece."
    )
    assert found.text == "Les reenvio esto.\n\n" + forwarded
    assert (found.reply_text, found.quoted_text) == ("Les reenvio esto.", forwarded)
    assert [p.filename for p in found.parts] == ["pedido.png"]


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<p>Uno</p><p>Dos</p>", "Uno\n\nDos"),
        ("Línea 1<br>Línea 2<br/>Línea 3", "Línea 1\nLínea 2\nLínea 3"),
        ("<ul><li>uno</li><li>dos</li></ul><ol><li>tres</li></ol>", "- uno\n- dos\n\n- tres"),
        ('<a href="https://x.example/a">el tablero</a>', "el tablero (https://x.example/a)"),
        ('<a href="https://x.example/a">https://x.example/a</a>', "https://x.example/a"),
        ('<a href="mailto:ana@x.example">Ana</a>', "Ana (ana@x.example)"),
        ('<a href="javascript:alert(1)">clic</a>', "clic"),
        ("<style>p {color: red}</style><script>alert(1)</script><p>visible</p>", "visible"),
        ("<head><title>Título</title></head><body>cuerpo</body>", "cuerpo"),
        ("&lt;b&gt; &amp; &eacute;&#241;&#x4E2D; &nbsp;", "<b> & éñ中"),
        ("<pre>  a\n    b</pre>", "a\n    b"),
        ("<table><tr><td>A</td><td>1</td></tr><tr><td>B</td><td>2</td></tr></table>", "A 1\nB 2"),
        ("<div>  muchos     espacios \n y saltos </div>", "muchos espacios y saltos"),
        ('<img src="cid:x" alt="captura">', "captura"),
        ("<p>sin cerrar <b>negrita", "sin cerrar negrita"),
        ("", ""),
    ],
)
def test_html_read_as_text(markup: str, text: str) -> None:
    assert html_text(markup) == text


@pytest.mark.parametrize(
    ("markup", "safe"),
    [
        (
            '<p onclick="x()">Hola <img src="cid:logo@x" alt="logo" onerror="x()"></p>',
            '<p>Hola <img src="/attachments/9" alt="logo"></p>',
        ),
        ('<img src="CID:<logo@x>">', '<img src="/attachments/9">'),
        ('<p>a<img src="https://tracker.example/p.gif">b</p>', "<p>ab</p>"),
        ('<p>a<img src="data:image/png;base64,AAAA">b</p>', "<p>ab</p>"),
        ('<p>a<img src="cid:unknown@x">b</p>', "<p>ab</p>"),
        ("<p>a<img>b</p>", "<p>ab</p>"),
        ("<script>alert(1)</script><style>p{}</style><p>ok</p>", "<p>ok</p>"),
        (
            '<a href="https://x.example" target="_blank">x</a>',
            '<a href="https://x.example" rel="noopener noreferrer nofollow">x</a>',
        ),
        ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'),
        ('<iframe src="https://x.example"></iframe><p style="color:red">t</p>', "<p>t</p>"),
    ],
)
def test_safe_html(markup: str, safe: str) -> None:
    assert safe_html(markup, {"logo@x": "/attachments/9"}) == safe

"""The generated malformed corpus: every message reads without an exception, and its sender,
subject and body decode as a person reads them. Arbitrary bytes never raise."""

from __future__ import annotations

import pytest
from corpus import corpus, ordinary, unmet
from hypothesis import given, settings
from hypothesis import strategies as st

from soporte.channels.email.domain.message import TooLarge, parse

CASES = list(corpus())


@pytest.mark.parametrize(("raw", "expectations"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_every_corpus_message_reads_as_a_person_reads_it(raw: bytes, expectations: dict) -> None:  # type: ignore[type-arg]
    mail = parse(raw)
    assert unmet(mail, expectations) == []


def test_an_ordinary_message_reads_whole() -> None:
    mail = parse(ordinary(7))
    assert (mail.from_address, mail.from_name) == ("cliente7@acme.example", "Cliente 7")
    assert mail.subject == "Reporte número 7"
    assert mail.reply_text == (
        "Hola, el tablero de la tienda 7 muestra $0 en ventas desde las 9:30.\n"
        "Uso Chrome 123 en Windows 11."
    )
    assert mail.quoted_text.startswith("El lun, 7 dic 2026 a las 10:00, Soporte")
    assert (mail.language, mail.automatic, mail.problems) == ("es", "", ())


def test_a_message_over_the_limit_is_refused_before_it_is_read() -> None:
    with pytest.raises(TooLarge, match="the limit is 100 bytes"):
        parse(b"x" * 101, max_bytes=100)
    assert parse(b"Subject: x\r\n\r\n" + b"y" * 86, max_bytes=100).subject == "x"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_never_raise(raw: bytes) -> None:
    mail = parse(raw)
    assert mail.message_id.startswith("<")


_PIECES = st.sampled_from(
    [
        b"From: =?utf-8?q?A=C3?= <a@b.c>\r\n",
        b"Subject: =?x?B?////?=\r\n",
        b"Content-Type: multipart/mixed; boundary=z\r\n",
        b"Content-Type: message/rfc822\r\n",
        b"Content-Type: multipart/report; report-type=delivery-status; boundary=z\r\n",
        b"Content-Type: text/plain; charset*=bogus''x\r\n",
        b"Content-Type: multipart/report; name*0*=utf-8''%E2; name*\r\n",
        b"Content-Transfer-Encoding: base64\r\n",
        b"Content-Transfer-Encoding: x-uuencode\r\n",
        b"Content-Disposition: attachment; filename*=utf-8''%E2%82\r\n",
        b"\r\n",
        b"--z\r\n",
        b"--z--\r\n",
        b"begin 644 a.txt\r\n#86)C\r\n`\r\nend\r\n",
        b"<html><a href='x'>y</b><script>",
        b"\xff\xfe\x00",
        b"Final-Recipient: rfc822; x\r\nAction: failed\r\n",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40))
def test_mime_shaped_garbage_never_raises(pieces: list[bytes]) -> None:
    mail = parse(b"".join(pieces))
    assert (mail.automatic == "bounce") == (mail.bounce is not None)

"""Header values as a person reads them: encoded words, raw 8-bit bytes, addresses,
Message-IDs, dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from soporte.channels.email.domain.headers import addresses, date, header_text, message_ids
from soporte.channels.email.domain.message import MAX_MESSAGE_ID, derived_message_id, parse


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("plain words", "plain words"),
        ("=?utf-8?q?Caf=C3=A9_con_leche?=", "Café con leche"),
        ("=?UTF-8?B?wr9GdW5jaW9uYT8=?=", "¿Funciona?"),
        ("=?utf-8?q?A=C3?= =?utf-8?q?=B1o?=", "Año"),  # split mid-character
        ("=?utf-8?b?w6E=?=\r\n =?utf-8?b?w6k=?=", "áé"),  # folded between words
        ("=?utf-8?q?a?= b =?utf-8?q?c?=", "a b c"),  # text between words is kept
        ("=?iso-8859-1?q?Jos=E9?= =?utf-8?q?=C3=B1?=", "Joséñ"),  # two charsets
        ("=?utf-8*es?q?Hola?=", "Hola"),  # RFC 2231 language
        ("=?windows-1252?q?=93hola=94?=", "“hola”"),
        ("=?koi8-r?b?8NLJ18XU?=", "Привет"),
        ("=?gb2312?b?saix7Q==?=", "报表"),
        ("=?x-unknown?q?Se=C3=B1al?=", "Señal"),  # unknown charset: UTF-8
        ("=?us-ascii?q?Se=C3=B1al?=", "Señal"),  # mislabelled
        ("=?utf-8?b?SG9sYQ?=", "Hola"),  # base64 without its padding
        ("=?utf-8?b?SG9s=YQ?=", "Hola"),  # padding inside
        ("=?utf-8?b?SG9sY?=", "Hol"),  # a dangling character
        ("=?utf-8?b?=?=", ""),
        ("=?utf-8?x?abc?=", "=?utf-8?x?abc?="),  # no such encoding: left as written
        ("Reuni\udcc3\udcb3n", "Reunión"),  # raw UTF-8 bytes (surrogate escapes)
        ("Jos\udce9", "José"),  # raw Latin-1 byte
        ("Folded\r\n continued", "Folded continued"),
    ],
)
def test_header_text(raw: str, text: str) -> None:
    assert header_text(raw) == text


@pytest.mark.parametrize(
    ("values", "found"),
    [
        (["Ana <Ana@Acme.Example>"], [("Ana", "ana@acme.example")]),
        (['"Pérez, Ana" <ana@acme.example>'], [("Pérez, Ana", "ana@acme.example")]),
        (
            ["=?utf-8?q?P=C3=A9rez=2C_Ana?= <ana@acme.example>"],
            [("Pérez, Ana", "ana@acme.example")],
        ),
        (["ana@acme.example"], [("", "ana@acme.example")]),
        (["a@x.example, B <b@y.example>"], [("", "a@x.example"), ("B", "b@y.example")]),
        (["Ana (trabajo) <ana@acme.example>"], [("Ana (trabajo)", "ana@acme.example")]),
        (["MAILER-DAEMON (Mail Delivery System)"], []),  # no address
        (["undisclosed-recipients:;"], []),
        ([""], []),
    ],
)
def test_addresses(values: list[str], found: list[tuple[str, str]]) -> None:
    assert addresses(values) == found


@pytest.mark.parametrize(
    ("raw", "ids"),
    [
        ("<a@b>", ("<a@b>",)),
        ("  <a@b>  ", ("<a@b>",)),
        ("a@b", ("<a@b>",)),
        ("<a@b> <c@d>\r\n <e@f>", ("<a@b>", "<c@d>", "<e@f>")),
        ("<a@b>,<c@d>", ("<a@b>", "<c@d>")),
        ("Your message of Mon <a@b>", ("<a@b>",)),
        ("no id here", ()),
        ("", ()),
    ],
)
def test_message_ids(raw: str, ids: tuple[str, ...]) -> None:
    assert message_ids(raw) == ids


@pytest.mark.parametrize(
    ("raw", "when"),
    [
        ("Mon, 07 Dec 2026 10:00:00 -0600", datetime(2026, 12, 7, 16, tzinfo=UTC)),
        ("7 Dec 2026 10:00 +0530", datetime(2026, 12, 7, 4, 30, tzinfo=UTC)),
        ("Mon, 07 Dec 2026 10:00:00 -0000", datetime(2026, 12, 7, 10, tzinfo=UTC)),
        ("Mon, 07 Dec 2026 10:00:00", datetime(2026, 12, 7, 10, tzinfo=UTC)),
        ("yesterday", None),
        ("Mon, 99 Foo 2026 99:99:99 +9999", None),
        ("", None),
    ],
)
def test_date(raw: str, when: datetime | None) -> None:
    assert date(raw) == when


def test_the_date_keeps_the_senders_offset() -> None:
    found = date("Mon, 07 Dec 2026 10:00:00 -0600")
    assert found is not None
    assert found.utcoffset() == timedelta(hours=-6)
    assert found.tzinfo == timezone(timedelta(hours=-6))


def test_the_first_of_duplicate_headers_wins_and_threading_headers_are_read() -> None:
    mail = parse(
        b"From: Ana <ana@acme.example>\r\nFrom: Eve <eve@evil.example>\r\n"
        b"To: Soporte <soporte@trackmyvend.com>, otro@acme.example\r\n"
        b"Cc: jefe@acme.example\r\nReply-To: Ana Casa <ana@casa.example>\r\n"
        b"In-Reply-To: <out-1@trackmyvend.com>\r\n"
        b"References: <a@x>\r\n <out-1@trackmyvend.com>\r\n"
        b"Subject: Re: [#42] Tablero\r\nSubject: otro\r\n\r\nok"
    )
    assert (mail.from_address, mail.subject) == ("ana@acme.example", "Re: [#42] Tablero")
    assert mail.to == ("soporte@trackmyvend.com", "otro@acme.example")
    assert (mail.cc, mail.reply_to) == (("jefe@acme.example",), ("ana@casa.example",))
    assert mail.in_reply_to == ("<out-1@trackmyvend.com>",)
    assert mail.references == ("<a@x>", "<out-1@trackmyvend.com>")


def test_a_derived_message_id_is_stable_and_depends_on_the_bytes() -> None:
    raw = b"From: ana@acme.example\r\n\r\nHola"
    assert parse(raw).message_id == parse(raw).message_id == derived_message_id(raw)
    assert parse(raw + b"!").message_id != derived_message_id(raw)
    assert derived_message_id(raw).startswith("<")
    assert derived_message_id(raw).endswith("@derived.soporte>")


def test_a_subject_is_one_line() -> None:
    mail = parse(b"Subject: uno\r\n\tdos  \x00tres\r\n\r\n")
    assert mail.subject == "uno dos tres"


def test_an_absurdly_long_message_id_becomes_a_stable_digest() -> None:
    long_id = "<" + "x" * 300 + "@acme.example>"
    raw = f"From: ana@acme.example\r\nMessage-ID: {long_id}\r\n\r\n".encode()
    mail = parse(raw)
    assert mail.message_id == derived_message_id(long_id.encode())
    assert len(mail.message_id) <= MAX_MESSAGE_ID
    assert parse(raw + b"otro cuerpo").message_id == mail.message_id
    assert mail.problems == ("a Message-ID of 315 characters replaced by a digest",)

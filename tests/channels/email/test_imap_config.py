"""``SOPORTE_IMAP_URL``: what it names, and a clear error naming what is wrong with it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from soporte.channels.email.imap import Mailbox, mailbox_from_url
from soporte.config.cli import main


def parse(url: str, processed: str = "Procesados") -> Mailbox:
    return mailbox_from_url(url, processed=processed, rejected="Rechazados")


def test_imaps_with_a_percent_encoded_password_and_the_default_port() -> None:
    box = parse("imaps://soporte%40trackmyvend.com:p%3Ass%2Fw%20rd@mail.example/Soporte%20MX")
    assert (box.host, box.port, box.tls) == ("mail.example", 993, True)
    assert (box.user, box.password) == ("soporte@trackmyvend.com", "p:ss/w rd")
    assert (box.folder, box.processed, box.rejected) == ("Soporte MX", "Procesados", "Rechazados")
    assert "p:ss" not in f"{box!r} {box}"


def test_imap_defaults_to_port_143_and_the_inbox() -> None:
    box = parse("imap://u:p@127.0.0.1")
    assert (box.port, box.tls, box.folder) == (143, False, "INBOX")


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("pop3://u:p@host/INBOX", "unsupported scheme 'pop3'"),
        ("host/INBOX", "unsupported scheme ''"),
        ("imaps://u:p@/INBOX", "the host is missing"),
        ("imaps://host/INBOX", "the user and password are missing"),
        ("imaps://u@host/INBOX", "the user and password are missing"),
        ("imaps://u:p@host:99999/INBOX", "the port is not a number"),
        ("imaps://u:p@host:abc/INBOX", "the port is not a number"),
        ("imaps://u:p@host/INBOX?ssl=0", "unexpected ?query"),
    ],
)
def test_a_bad_url_is_a_configuration_error_naming_what_is_wrong(url: str, error: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=r"^SOPORTE_IMAP_URL: ") as raised:
        parse(url)
    assert error in str(raised.value)


def test_an_empty_folder_name_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match="SOPORTE_IMAP_PROCESSED: the folder name"):
        parse("imaps://u:p@host/INBOX", processed="  ")


def test_the_command_reports_a_bad_url_in_one_line(
    db: Any, settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.SOPORTE_IMAP_URL = "imaps://mail.example/INBOX"
    assert main(["mail", "poll", "--once"]) == 2
    assert capsys.readouterr().err == (
        "soporte: configuration error: SOPORTE_IMAP_URL: the user and password are missing "
        "(user:pass@host)\n"
    )


def test_the_command_says_when_no_mailbox_is_set(
    db: Any, settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.SOPORTE_IMAP_URL = ""
    assert main(["mail", "poll"]) == 2
    assert "SOPORTE_IMAP_URL is not set" in capsys.readouterr().err

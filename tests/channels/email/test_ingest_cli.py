"""``soporte mail ingest``: files, folders and standard input; ``--json`` prints exactly the
issue's keys; exit 0 when every message was handled, 1 when one was rejected."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from ingest_helpers import raw

from soporte.config.cli import main
from soporte.tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)

KEYS = ["outcome", "ticket", "message_id", "from", "subject", "text", "reason"]


def lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_json_lines_with_exactly_the_keys_and_exit_0(
    world: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.eml").write_bytes(raw(message_id="<a@c.example>", subject="Ñandú roto"))
    (tmp_path / "b.eml").write_bytes(raw(message_id="<a@c.example>"))
    (tmp_path / "notes.txt").write_text("not a message")

    status = main(["mail", "ingest", "--json", str(tmp_path)])

    printed = lines(capsys)
    assert status == 0
    assert [list(line) for line in printed] == [KEYS, KEYS]
    assert [line["outcome"] for line in printed] == ["created", "duplicate"]
    assert printed[0]["subject"] == "Ñandú roto"
    assert printed[0]["from"] == "ana@starter.example"
    assert printed[0]["message_id"] == "<a@c.example>"
    assert printed[0]["ticket"] == printed[1]["ticket"] == Ticket.objects.get().pk
    assert printed[0]["reason"] is None


def test_a_rejected_message_exits_1_and_the_others_are_filed(
    world: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad, good = tmp_path / "bad.eml", tmp_path / "good.eml"
    bad.write_bytes(raw(sender=""))
    good.write_bytes(raw())

    status = main(["mail", "ingest", "--json", str(bad), str(good)])

    printed = lines(capsys)
    assert status == 1
    assert [line["outcome"] for line in printed] == ["rejected", "created"]
    assert "From" in printed[0]["reason"]


def test_standard_input_and_the_plain_output(
    world: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(raw()))
    monkeypatch.setattr(sys, "stdin", stdin)

    status = main(["mail", "ingest"])

    out = capsys.readouterr().out
    assert status == 0
    assert out.startswith(f"-: created #{Ticket.objects.get().pk}")


def test_a_missing_file_is_said_and_exits_1(
    world: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["mail", "ingest", "--json", str(tmp_path / "absent.eml")])

    captured = capsys.readouterr()
    assert status == 1
    assert "absent.eml" in captured.err
    assert not Ticket.objects.exists()

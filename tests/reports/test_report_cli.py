"""``soporte report``: the SLA heat map as CSV and JSON from the command's own entry point
(in process, on the test database), its filters, and bad input as one line naming the option
with exit status 2."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from report_helpers import MX, open_at

from soporte.config.cli import main
from soporte.tickets import services

OPENED = datetime(2026, 3, 9, 10, 0, tzinfo=MX)
PERIOD = ["--from", "2026-03-01", "--to", "2026-03-31", "--lang", "en"]


@pytest.fixture
def desk(world: Any) -> None:
    answered = open_at(world, OPENED, plan="pro", severity="P1", channel="email")
    services.reply(
        ticket=answered, author=world.agents["t1"], body="Hi", at=OPENED + timedelta(hours=1)
    )
    open_at(world, OPENED, plan="starter", severity="P2", channel="chat")  # never answered


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        status = main(["report", *args])
    except SystemExit as exit_:  # argparse's own usage errors
        status = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.usefixtures("desk")
def test_sla_as_csv_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "sla", *PERIOD, "--format", "csv")
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("Plan,P0,P0 met,P0 missed,P0 breached,P0 running,P1,")
    assert lines[1].startswith("Starter,,0,0,0,0,,0,0,0,0,0.0,0,0,1,0")  # P2 breached (2 bd ago)
    assert lines[2].startswith("Pro,,0,0,0,0,100.0,1,0,0,0,")

    status, out, err = run(capsys, "sla", *PERIOD, "--format", "json", "--plan", "pro")
    answer = json.loads(out)
    assert (status, answer["key"], len(answer["rows"])) == (0, "sla_compliance", 1)
    assert answer["rows"][0][:7] == ["Pro", None, 0, 0, 0, 0, 100.0]
    assert {"key": "P1", "label": "P1", "kind": "percent"} in answer["columns"]


@pytest.mark.usefixtures("desk")
def test_any_report_by_key_and_the_list(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = run(capsys, "list")
    assert status == 0
    assert "sla_trend\tSLA" in out.splitlines()
    status, out, _err = run(capsys, "sla", "--from", "2026-03-01", "--to", "2026-03-31")
    assert out.startswith("Plan,P0,P0 cumplido,")  # Spanish unless asked
    status, out, _err = run(capsys, "escalations", *PERIOD, "--channel", "chat")
    assert status == 0
    assert "2026-W11,1,0,0,0,0,0.0" in out.splitlines()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["sla", "--from", "2026-13-01", "--to", "2026-03-31"],
            "--from: '2026-13-01' is not a date",
        ),
        (["sla", "--from", "2026-03-01"], "--to is required"),
        (["sla", "--from", "2026-03-02", "--to", "2026-03-01"], "--to: the period ends before"),
        (["sla", *PERIOD, "--plan", "gold"], "--plan: unknown plan 'gold'"),
        (["sla", *PERIOD, "--format", "xml"], "--format: invalid choice: 'xml'"),
        (["sla", *PERIOD, "--organisation", "7"], "--organisation: '7' is not an organisation ID"),
        (["volumen", *PERIOD], "unknown report 'volumen'"),
    ],
)
def test_bad_input_is_one_line_naming_the_option(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    status, out, err = run(capsys, *args)
    assert (status, out) == (2, "")
    assert message in err
    assert "Traceback" not in err

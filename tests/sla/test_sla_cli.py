"""``soporte sla due|elapsed`` and ``soporte calendar`` through the real entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SOPORTE = str(Path(sys.executable).with_name("soporte"))


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SOPORTE, *args], input=stdin, capture_output=True, text=True, timeout=60, check=False
    )


def test_due_prints_one_json_object_with_both_clocks():
    done = run(
        "sla",
        "due",
        "--plan",
        "pro",
        "--severity",
        "P1",
        "--opened",
        "2026-11-27T17:40:00-06:00",
        "--channel",
        "chat",
        "--lang",
        "en",
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["first_response_due"] == "2026-11-30T12:40:00-06:00"
    assert answer["channel_response_due"] == "2026-11-27T17:55:00-06:00"
    assert (answer["target"], answer["channel_target"]) == ("4 bh", "15 min")
    assert answer["first_response_basis"] == "business"
    assert "Due Mon 30 Nov 2026, 12:40 CST." in answer["explain"]
    assert any("closed days: Sat 28 Nov, Sun 29 Nov" in line for line in answer["explain"])


def test_due_defaults_to_email_and_accepts_utc_input():
    done = run(
        "sla", "due", "--plan", "enterprise", "--severity", "P0", "--opened", "2026-12-25T05:55:00Z"
    )
    answer = json.loads(done.stdout)
    assert answer["channel"] == "email"
    assert answer["first_response_due"] == "2026-12-25T00:10:00-06:00"
    assert answer["channel_response_due"] is None
    assert answer["channel_target"] is None
    assert answer["first_response_basis"] == "wall"


def test_due_explains_the_state_at_an_instant_in_spanish():
    done = run(
        "sla",
        "due",
        "--plan",
        "starter",
        "--severity",
        "P0",
        "--opened",
        "2026-11-19T17:40:00-06:00",
        "--at",
        "2026-11-21T12:00:00-06:00",
    )
    lines = json.loads(done.stdout)["explain"]
    assert any("Día de la Revolución" in line for line in lines)
    assert any("3 h 40 min" in line for line in lines)
    assert "Vence el lun 23 nov 2026, 12:40 CST." in lines
    assert (
        "El soporte está cerrado ahora; el reloj se reanuda el lun 23 nov 2026, 09:00 CST." in lines
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--plan", "gold", "--severity", "P1", "--opened", "2026-11-27T17:40:00-06:00"],
            "plan: unknown value 'gold' (valid: starter, pro, enterprise)",
        ),
        (
            ["--plan", "pro", "--severity", "P7", "--opened", "2026-11-27T17:40:00-06:00"],
            "severity: unknown value 'P7' (valid: P0, P1, P2, P3)",
        ),
        (
            [
                "--plan",
                "pro",
                "--severity",
                "P1",
                "--opened",
                "2026-11-27T17:40:00-06:00",
                "--channel",
                "fax",
            ],
            "channel: unknown value 'fax' (valid: email, portal, chat, whatsapp, slack, phone)",
        ),
        (
            ["--plan", "pro", "--severity", "P1", "--opened", "2026-11-27T17:40:00"],
            "opened: '2026-11-27T17:40:00' has no UTC offset",
        ),
        (
            ["--plan", "pro", "--severity", "P1", "--opened", "yesterday"],
            "opened: 'yesterday' is not an ISO 8601 instant",
        ),
        (["--plan", "pro", "--severity", "P1"], "--opened is required"),
    ],
)
def test_due_errors_name_the_field_and_valid_values(args, message):  # type: ignore[no-untyped-def]
    done = run("sla", "due", *args)
    assert done.returncode != 0
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_batch_answers_every_line_in_order_and_fails_only_bad_lines(tmp_path):  # type: ignore[no-untyped-def]
    lines = [
        {
            "plan": "pro",
            "severity": "P0",
            "opened": "2026-11-27T17:40:00-06:00",
            "channel": "slack",
        },
        "not json",
        {"plan": "pro", "severity": "P9", "opened": "2026-11-27T17:40:00-06:00"},
        {"plan": "starter", "severity": "P1", "opened": "2026-11-27T17:00:00-06:00"},
        {"plan": "starter", "severity": "P1"},
        ["not", "an", "object"],
    ]
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n"
    done = run("sla", "due", "--batch", "-", stdin=text)
    assert done.returncode == 1
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(answers) == len(lines)
    assert answers[0]["channel_response_due"] == "2026-11-27T18:00:00-06:00"
    assert answers[1] == {"line": 2, "error": "not valid JSON: Expecting value (column 1)"}
    assert answers[2]["line"] == 3
    assert "severity: unknown value 'P9'" in answers[2]["error"]
    assert answers[3]["first_response_due"] == "2026-11-30T17:00:00-06:00"
    assert answers[4]["line"] == 5
    assert "opened" in answers[4]["error"]
    assert answers[5]["line"] == 6
    assert "expected a JSON object" in answers[5]["error"]
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps(lines[0]) + "\n", encoding="utf-8")
    assert run("sla", "due", "--batch", str(good)).returncode == 0
    missing = run("sla", "due", "--batch", str(tmp_path / "nope.jsonl"))
    assert missing.returncode == 2
    assert "cannot read" in missing.stderr


def test_elapsed_counts_business_seconds():
    done = run(
        "sla", "elapsed", "--from", "2026-11-27T17:00:00-06:00", "--to", "2026-11-30T10:00:00-06:00"
    )
    assert json.loads(done.stdout) == {"business_seconds": 7200}
    fraction = run(
        "sla",
        "elapsed",
        "--from",
        "2026-11-30T09:00:00-06:00",
        "--to",
        "2026-11-30T09:00:00.25-06:00",
    )
    assert json.loads(fraction.stdout) == {"business_seconds": 0.25}
    backwards = run(
        "sla", "elapsed", "--from", "2026-11-30T10:00:00-06:00", "--to", "2026-11-30T09:00:00-06:00"
    )
    assert backwards.returncode == 2
    assert "--to is before --from" in backwards.stderr


def test_calendar_lists_windows_and_named_holidays():
    done = run("calendar", "--from", "2026-12-23", "--to", "2027-01-04", "--lang", "en")
    listing = json.loads(done.stdout)
    assert listing["zone"] == "America/Mexico_City"
    assert [w["opens"][:10] for w in listing["windows"]] == [
        "2026-12-23",
        "2026-12-24",
        "2026-12-28",
        "2026-12-29",
        "2026-12-30",
        "2027-01-04",
    ]
    assert listing["windows"][0] == {
        "opens": "2026-12-23T09:00:00-06:00",
        "closes": "2026-12-23T18:00:00-06:00",
    }
    assert [(h["date"], h["name"]) for h in listing["holidays"]] == [
        ("2026-12-25", "Christmas Day"),
        ("2026-12-31", "New Year's Eve"),
        ("2027-01-01", "New Year's Day"),
    ]
    bad = run("calendar", "--from", "2026-13-01", "--to", "2027-01-04")
    assert bad.returncode == 2
    assert "'2026-13-01' is not a date" in bad.stderr

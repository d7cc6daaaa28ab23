"""``soporte policy show|check`` through the real entry point and through ``main(argv)``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from config_helpers import default_text, run_soporte

from soporte.config.cli import main
from soporte.policy import DEFAULT_PATH, default_policy

GRID_ROW = re.compile(r"^\s+P0 Service down\s+4 bh\s+1 bh\s+15 min 24/7$", re.MULTILINE)


def broken_policy(tmp_path: Path) -> Path:
    """The default policy with an unknown zone, an unparsable duration and a missing cell."""
    text = default_text()
    text = text.replace('zone = "America/Mexico_City"', 'zone = "America/Atlantis"', 1)
    text = text.replace(
        '[sla.P1]\nstarter = "1 bd"\npro = "4 bh"', '[sla.P1]\nstarter = "1 bd"\npro = "four hours"'
    )
    text = text.replace(
        '[sla.P3]\nstarter = "5 bd"\npro = "2 bd"\nenterprise = "1 bd"\n',
        '[sla.P3]\nstarter = "5 bd"\npro = "2 bd"\n',
    )
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_check_of_the_default_file_exits_0_and_prints_the_grid() -> None:
    result = run_soporte("policy", "check", str(DEFAULT_PATH))

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert GRID_ROW.search(result.stdout), result.stdout
    assert re.search(r"^\s+P3 Cosmetic\s+5 bd\s+2 bd\s+1 bd$", result.stdout, re.MULTILINE)
    assert default_policy().version in result.stdout
    assert "America/Mexico_City" in result.stdout
    assert "Good Friday" in result.stdout


def test_check_of_a_broken_file_names_the_file_and_key_of_each_problem(tmp_path: Path) -> None:
    path = broken_policy(tmp_path)

    result = run_soporte("policy", "check", str(path))

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert f"{path}: calendar.zone: unknown time zone 'America/Atlantis'" in result.stderr
    assert any(line.startswith(f"{path}: sla.P1.pro: ") and "four hours" in line for line in lines)
    assert f"{path}: sla.P3.enterprise: missing" in lines


def test_check_of_a_missing_file_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    result = run_soporte("policy", "check", str(tmp_path / "nope.toml"))

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "nope.toml: cannot read the file" in result.stderr


def test_soporte_policy_selects_the_policy_for_show(tmp_path: Path) -> None:
    path = tmp_path / "faster.toml"
    path.write_text(default_text().replace('pro = "1 bh"', 'pro = "30 min"', 1), encoding="utf-8")

    default = run_soporte("policy", "show")
    modified = run_soporte("policy", "show", SOPORTE_POLICY=str(path))

    assert default.returncode == modified.returncode == 0
    assert f"version: {default_policy().version}" in default.stdout
    assert "version: " in modified.stdout
    assert default_policy().version not in modified.stdout
    assert f"source: {path}" in modified.stdout
    assert re.search(r"P0 Service down\s+4 bh\s+30 min\s+15 min 24/7", modified.stdout)


def test_a_broken_soporte_policy_stops_every_command_with_exit_2(tmp_path: Path) -> None:
    path = broken_policy(tmp_path)

    for command in (["policy", "show"], ["serve", "--port", "1"], ["migrate"]):
        result = run_soporte(*command, SOPORTE_POLICY=str(path))
        assert result.returncode == 2, command
        assert "Traceback" not in result.stderr
        assert "the policy in force is invalid" in result.stderr
        assert f"{path}: sla.P3.enterprise: missing" in result.stderr
        assert f"{path}: sla.P1.pro: " in result.stderr


def test_main_prints_the_summary_in_spanish(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["policy", "check", str(DEFAULT_PATH), "--lang", "es", "--year", "2027"])

    out = capsys.readouterr().out
    assert status == 0
    assert "SLA de primera respuesta (severidad × plan)" in out
    assert re.search(r"^\s+P0 Servicio caído\s+4 bh\s+1 bh\s+15 min 24/7$", out, re.MULTILINE)
    assert re.search(r"2027-03-26\s+viernes\s+Viernes Santo", out)
    assert "45 horas hábiles por semana" in out


def test_main_without_a_command_prints_usage_and_exits_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([]) == 2
    assert "usage: soporte" in capsys.readouterr().err

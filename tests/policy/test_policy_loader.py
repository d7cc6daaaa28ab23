"""The policy file: durations, validation messages, version, and the shipped default."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from soporte.policy import (
    DEFAULT_PATH,
    Basis,
    DurationError,
    PolicyInvalid,
    default_policy,
    load_policy,
    parse_duration,
    parse_policy,
)

DEFAULT_TEXT = DEFAULT_PATH.read_text(encoding="utf-8")
BD = timedelta(hours=9)


@pytest.mark.parametrize(
    ("text", "basis", "amount"),
    [
        ("4 bh", Basis.BUSINESS, timedelta(hours=4)),
        ("1 bd", Basis.BUSINESS, timedelta(hours=9)),
        ("5 bd", Basis.BUSINESS, timedelta(hours=45)),
        ("15 min", Basis.BUSINESS, timedelta(minutes=15)),
        ("15 min 24/7", Basis.WALL, timedelta(minutes=15)),
        ("  15   MIN   24/7 ", Basis.WALL, timedelta(minutes=15)),
        ("1 h 30 min", Basis.BUSINESS, timedelta(hours=1, minutes=30)),
        ("7 d 24/7", Basis.WALL, timedelta(days=7)),
        ("0.5 bd", Basis.BUSINESS, timedelta(hours=4, minutes=30)),
        ("0 min", Basis.BUSINESS, timedelta(0)),
        ("same bd", Basis.SAME_BUSINESS_DAY, timedelta(0)),
    ],
)
def test_durations_as_people_write_them(text, basis, amount):  # type: ignore[no-untyped-def]
    target = parse_duration(text, business_day=BD)
    assert (target.basis, target.amount) == (basis, amount)
    assert target.is_24_7 is (basis is Basis.WALL)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("four hours", "is not a duration"),
        ("4", "is not a duration"),
        ("", "is not a duration"),
        ("24/7", "is not a duration"),
        ("4 weeks", "unknown unit 'weeks'"),
        ("1 bd 24/7", "cannot be 24/7"),
        ("2 bh 24/7", "'bh' counts business hours"),
        ("2 d", "whole days ('d') need '24/7'"),
        ("4 h soon", "is not a duration"),
    ],
)
def test_unreadable_durations_say_why(text, message):  # type: ignore[no-untyped-def]
    with pytest.raises(DurationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_duration(text, business_day=BD)


def test_default_policy_encodes_the_support_policy():
    policy = default_policy()
    assert [str(policy.sla[(p, "P0")]) for p in ("starter", "pro", "enterprise")] == [
        "4 bh",
        "1 bh",
        "15 min 24/7",
    ]
    assert policy.sla[("starter", "P3")].amount == timedelta(hours=45)
    assert policy.business_day == timedelta(hours=9)
    assert policy.calendar_spec.zone == "America/Mexico_City"
    assert policy.channels["slack"].plans == {"pro", "enterprise"}
    assert policy.channels["phone"].plans == {"enterprise"}
    assert policy.channels["phone"].severity == "P0"
    assert policy.channels["phone"].tier == "T3"
    assert policy.channels["email"].target is None
    assert policy.escalation.t1_exchange_limit == 2
    assert policy.escalation.t3_pages == {"P0", "P1"}
    assert policy.escalation.founder_cto_after.amount == timedelta(minutes=30)
    assert policy.escalation.founder_cto_after.basis is Basis.WALL
    assert (policy.oncall.handoff_weekday, policy.oncall.handoff_time) == (0, time(10, 0))
    assert policy.oncall.ack_timeout.amount == timedelta(minutes=10)
    assert policy.csat.answers == ("up", "neutral", "down")
    assert policy.kb.locales == ("es", "en")
    assert (policy.kb.pinned_faqs, policy.kb.faq_streak_weeks) == (10, 3)
    assert (policy.csat.answers, policy.csat.change_days, policy.csat.gap_hours) == (
        ("up", "neutral", "down"),
        14,
        24,
    )
    assert policy.plans["enterprise"].csm
    assert not policy.plans["pro"].csm
    holidays = [h.day for h in policy.calendar.holidays(date(2027, 1, 1), date(2027, 12, 31))]
    assert holidays == [
        date(2027, 1, 1),
        date(2027, 2, 5),
        date(2027, 3, 21),
        date(2027, 3, 26),
        date(2027, 5, 1),
        date(2027, 9, 16),
        date(2027, 11, 20),
        date(2027, 12, 25),
        date(2027, 12, 31),
    ]


def test_post_mortems_and_the_runbook_are_policy_values():
    policy = default_policy()
    assert policy.postmortem.due_business_days == 5
    assert policy.oncall.runbook_url == "https://trackmyvend.com/RUNBOOK.md"
    text = DEFAULT_TEXT
    for line in (
        "[postmortem]",
        "due_business_days = 5",
        'runbook_url = "https://trackmyvend.com/RUNBOOK.md"',
    ):
        assert line in text
        text = text.replace(line, "")
    without = parse_policy(text, source="x.toml")
    assert (without.postmortem.due_business_days, without.oncall.runbook_url) == (5, "")


def test_version_is_stable_under_comments_and_layout_but_not_content():
    reformatted = "# a comment\n\n" + DEFAULT_TEXT.replace(
        'starter = "4 bh"', 'starter   =   "4 bh"   # same'
    )
    assert parse_policy(reformatted, source="x.toml").version == default_policy().version
    changed = DEFAULT_TEXT.replace('starter = "4 bh"', 'starter = "3 bh"')
    assert parse_policy(changed, source="x.toml").version != default_policy().version
    assert default_policy().version.startswith("sha256:")


def problems(text: str) -> list[str]:
    with pytest.raises(PolicyInvalid) as caught:
        parse_policy(text, source="broken.toml")
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'starter = "1 bd"',
            'starter = "one day"',
            "broken.toml: sla.P1.starter: 'one day' is not a duration",
        ),
        ('[sla.P3]\nstarter = "5 bd"\n', "[sla.P3]\n", "broken.toml: sla.P3.starter: missing"),
        (
            "[sla.P3]\n",
            '[sla.P3]\nbasic = "1 bd"\n',
            "broken.toml: sla.P3.basic: unknown plan (known: starter, pro, enterprise)",
        ),
        (
            "[sla.P3]\n",
            '[sla.P9]\nstarter = "1 bd"\n[sla.P3]\n',
            "broken.toml: sla.P9: unknown severity",
        ),
        (
            'zone = "America/Mexico_City"\nbusiness_day',
            'zone = "Mexico/Nowhere"\nbusiness_day',
            "broken.toml: calendar.zone: unknown time zone 'Mexico/Nowhere'",
        ),
        (
            'mon = ["09:00-18:00"]',
            'mon = ["18:00-09:00"]',
            "broken.toml: calendar.hours.mon[0]: opening 18:00 is not before closing 09:00",
        ),
        (
            'mon = ["09:00-18:00"]',
            'mon = ["9am-6pm"]',
            "broken.toml: calendar.hours.mon[0]: expected 'HH:MM-HH:MM'",
        ),
        (
            'mon = ["09:00-18:00"]',
            'mon = ["09:00-13:00", "12:00-18:00"]',
            "broken.toml: calendar.hours: mon: windows",
        ),
        (
            "sat = []",
            "sat = []\nfunday = []",
            "broken.toml: calendar.hours.funday: unknown weekday",
        ),
        ('date = "05-01"', 'date = "05-41"', "broken.toml: calendar.holidays[4].date:"),
        (
            'date = "05-01"',
            'month = 5\nweekday = "monday"\nnth = 1',
            "broken.toml: calendar.holidays[4].weekday: unknown weekday 'monday'",
        ),
        (
            'date = "05-01"',
            'date = "05-01"\neaster = 1',
            "broken.toml: calendar.holidays[4]: give exactly one of",
        ),
        (
            'plans = ["pro", "enterprise"]',
            'plans = ["pro", "gold"]',
            "broken.toml: channels.slack.plans: unknown plan 'gold'",
        ),
        (
            'target = "30 min"',
            'target = "30 minutes"',
            "broken.toml: channels.whatsapp.target: '30 minutes': unknown unit 'minutes'",
        ),
        ('tier = "T3"', 'tier = "T4"', "broken.toml: channels.phone.tier: unknown tier 'T4'"),
        (
            "t1_exchange_limit = 2",
            't1_exchange_limit = "two"',
            "broken.toml: escalation.t1_exchange_limit: expected a whole number, got 'two'",
        ),
        (
            "sla_warning_at = 0.8",
            "sla_warning_at = 80",
            "broken.toml: escalation.sla_warning_at: expected a share between 0 and 1",
        ),
        (
            'handoff = "mon 10:00"',
            'handoff = "monday 10am"',
            "broken.toml: oncall.handoff: expected '<weekday> HH:MM'",
        ),
        (
            'default_locale = "es"',
            'default_locale = "fr"',
            "broken.toml: kb.default_locale: 'fr' is not one of the locales",
        ),
        ("[kb]", "[knowledge]\n[kb]", "broken.toml: knowledge: unknown section"),
        (
            "due_business_days = 5",
            "due_business_days = 0",
            "broken.toml: postmortem.due_business_days: expected at least 1, got 0",
        ),
        (
            "due_business_days = 5",
            'due_business_days = "a week"',
            "broken.toml: postmortem.due_business_days: expected a whole number, got 'a week'",
        ),
        (
            "due_business_days = 5",
            "due_business_days = 5\ndue_days = 5",
            "broken.toml: postmortem.due_days: unknown key",
        ),
        (
            'runbook_url = "https://trackmyvend.com/RUNBOOK.md"',
            'runbook_url = "RUNBOOK.md"',
            "broken.toml: oncall.runbook_url: expected an http(s) address, got 'RUNBOOK.md'",
        ),
        (
            "change_days = 14",
            "change_days = -1",
            "broken.toml: csat.change_days: expected 0 or more, got -1",
        ),
        (
            "gap_hours = 24",
            'gap_hours = "a day"',
            "broken.toml: csat.gap_hours: expected a whole number, got 'a day'",
        ),
    ],
)
def test_broken_policy_names_file_key_and_fault(old, new, expected):  # type: ignore[no-untyped-def]
    assert old in DEFAULT_TEXT
    found = problems(DEFAULT_TEXT.replace(old, new, 1))
    assert any(p.startswith(expected) for p in found), found


def test_every_problem_is_reported_at_once():
    text = DEFAULT_TEXT.replace('starter = "1 bd"', 'starter = "x"').replace(
        'zone = "America/Mexico_City"\nbusiness_day', 'zone = "Nowhere"\nbusiness_day'
    )
    assert len(problems(text)) == 2


def test_not_toml_and_unreadable_files():
    assert problems("this is = = not toml")[0].startswith("broken.toml: not valid TOML")
    with pytest.raises(PolicyInvalid, match=r"missing\.toml: cannot read the file"):
        load_policy("/nonexistent/missing.toml")


def test_rule_based_holidays_and_one_off_closures(tmp_path):  # type: ignore[no-untyped-def]
    text = DEFAULT_TEXT.replace('date = "02-05"', 'month = 2\nweekday = "mon"\nnth = 1') + (
        '\n[[calendar.closures]]\nfrom = "2026-12-24T14:00"\nto = "2026-12-24T18:00"\n'
        'name = { es = "Posada", en = "Company party" }\n'
    )
    path = tmp_path / "statutory.toml"
    path.write_text(
        text.replace("[[calendar.holidays]]\ndate", "[[calendar.holidays]]\ndate", 1),
        encoding="utf-8",
    )
    policy = load_policy(path)
    calendar = policy.calendar
    zone = calendar.zone
    assert not calendar.is_open(datetime(2027, 2, 1, 10, tzinfo=zone))  # first Monday of February
    assert calendar.is_open(datetime(2027, 2, 5, 10, tzinfo=zone))
    assert calendar.is_open(datetime(2026, 12, 24, 13, 59, tzinfo=zone))
    assert not calendar.is_open(datetime(2026, 12, 24, 14, 0, tzinfo=zone))
    assert calendar.elapsed(
        datetime(2026, 12, 24, 9, tzinfo=zone), datetime(2026, 12, 24, 18, tzinfo=zone)
    ) == timedelta(hours=5)
    names = [h.names["en"] for h in calendar.holidays(date(2026, 12, 24), date(2026, 12, 25))]
    assert names == ["Company party", "Christmas Day"]


def test_closure_with_an_offset_is_refused():
    text = DEFAULT_TEXT + (
        '\n[[calendar.closures]]\nfrom = "2026-12-24T14:00-06:00"\nto = "2026-12-24T18:00-06:00"\n'
        'name = { es = "x", en = "x" }\n'
    )
    assert any("drop the offset" in p for p in problems(text))

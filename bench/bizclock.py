"""The business clock against ``businesstimedelta``, side by side in one process.

Workload: SLA computations as the desk does them. Ticket open instants drawn with a fixed seed
uniformly over 2026 (UTC-aware datetimes, as Django hands them over from the database, with
microseconds), a target drawn from the business cells of the default policy's SLA grid
(1 bh .. 5 bd), the due time of each, and the business time elapsed from each open instant to
its due time and to a random end within a few days. Both libraries get the same inputs; the
peer, being slow, gets the first ``PEER_N`` of them and is reported per operation.

Figures go to stdout as a table and to ``bench/results/bizclock.json``.
"""

from __future__ import annotations

import gc
import json
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from importlib.metadata import version
from pathlib import Path
from typing import Any

import businesstimedelta as btd
import numpy as np
import numpy.typing as npt
import pytz

from soporte.bizclock import BusinessCalendar
from soporte.policy import Basis, Policy, default_policy

SEED = 20260101
SCALAR_N = 200_000  # soporte scalar operations per timed run
PEER_N = 2_000  # businesstimedelta operations per timed run (it is slow)
PEER_LONG_N = 200  # businesstimedelta 200 h additions (slower still)
BATCH_N = 1_000_000
END_SPREAD = timedelta(days=5)  # random ends fall within this much of the open instant
BUILD_YEARS = (2020, 2044)  # 25 years

RESULTS = Path(__file__).with_name("results") / "bizclock.json"

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
Micros = npt.NDArray[np.int64]


# ------------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Workload:
    opens_us: Micros  # BATCH_N open instants, UTC microseconds
    targets_us: Micros  # BATCH_N business targets, microseconds
    ends_us: Micros  # BATCH_N random ends within END_SPREAD of the open instant
    opens: list[datetime]  # the first SCALAR_N, as UTC-aware datetimes
    targets: list[timedelta]
    ends: list[datetime]
    cells: list[str]  # the grid cells targets are drawn from, e.g. "pro/P1 4 bh"


def _utc(us: int) -> datetime:
    """Independent of soporte's own conversions, so the inputs do not depend on the subject."""
    return _EPOCH + timedelta(microseconds=us)


def _micros(t: datetime) -> int:
    return (t - _EPOCH) // _US


def make_workload(policy: Policy) -> Workload:
    rng = np.random.default_rng(SEED)
    cells = [
        (f"{plan}/{sev} {t.text}", t.amount)
        for (plan, sev), t in policy.sla.items()
        if t.basis is Basis.BUSINESS
    ]
    year_lo = _micros(datetime(2026, 1, 1, tzinfo=UTC))
    year_hi = _micros(datetime(2027, 1, 1, tzinfo=UTC))
    opens_us = rng.integers(year_lo, year_hi, BATCH_N, dtype=np.int64)
    amounts = np.array([a // _US for _, a in cells], dtype=np.int64)
    targets_us = amounts[rng.integers(0, len(cells), BATCH_N)]
    ends_us = opens_us + rng.integers(0, END_SPREAD // _US, BATCH_N, dtype=np.int64)
    n = SCALAR_N
    return Workload(
        opens_us=opens_us,
        targets_us=targets_us,
        ends_us=ends_us,
        opens=[_utc(int(x)) for x in opens_us[:n]],
        targets=[timedelta(microseconds=int(x)) for x in targets_us[:n]],
        ends=[_utc(int(x)) for x in ends_us[:n]],
        cells=[c for c, _ in cells],
    )


# --------------------------------------------------------------------------------- peer


@dataclass(frozen=True)
class Peer:
    rule: Any  # businesstimedelta.Rules
    holidays: frozenset[date]

    def add(self, start: datetime, amount: timedelta) -> datetime:
        result: datetime = btd.BusinessTimeDelta(self.rule, timedelta=amount) + start
        return result

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        result: timedelta = self.rule.difference(start, end).timedelta
        return result


def make_peer(policy: Policy, first: date, last: date) -> Peer:
    """WorkDayRule + HolidayRule equivalent to the policy's calendar (which must be expressible)."""
    spec = policy.calendar_spec
    windows = {w for day in spec.week for w in day}
    if len(windows) != 1 or any(len(day) > 1 for day in spec.week) or spec.closures:
        raise SystemExit("bench: businesstimedelta can only express one daily window, no closures")
    (window,) = windows
    tz = pytz.timezone(spec.zone)
    workday = btd.WorkDayRule(
        start_time=clock_time(window.opens // 60, window.opens % 60),
        end_time=clock_time(window.closes // 60, window.closes % 60),
        working_days=[i for i, day in enumerate(spec.week) if day],
        tz=tz,
    )
    holidays = frozenset(h.day for h in policy.calendar.holidays(first, last) if h.closure is None)
    return Peer(btd.Rules([workday, btd.HolidayRule(holidays, tz=tz)]), holidays)


# ------------------------------------------------------------------------------ timing


def best_of(fn: Callable[[], object], repeats: int) -> float:
    """Best wall time (s) of ``repeats`` runs after one warm-up, with the collector off."""
    fn()
    times = []
    enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeats):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
    finally:
        if enabled:
            gc.enable()
    return min(times)


@dataclass(frozen=True)
class Rate:
    ops: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.ops / self.seconds

    @property
    def us_per_op(self) -> float:
        return self.seconds / self.ops * 1e6


def rate(fn: Callable[[], object], ops: int, repeats: int) -> Rate:
    return Rate(ops, best_of(fn, repeats))


# ------------------------------------------------------------------------- agreement


def check_agreement(cal: BusinessCalendar, peer: Peer, w: Workload) -> dict[str, Any]:
    """Compare both libraries on the peer's sample; every disagreement is counted and named."""
    n = PEER_N
    due_same = 0
    due_other: list[str] = []
    el_exact = el_subsecond = 0
    el_other: list[str] = []
    for k in range(n):
        start, amount, end = w.opens[k], w.targets[k], w.ends[k]
        ours, theirs = cal.add(start, amount), peer.add(start, amount)
        if ours == theirs:
            due_same += 1
        else:
            due_other.append(
                f"add({start.isoformat()}, {amount}): soporte {ours.isoformat()}, "
                f"businesstimedelta {theirs.isoformat()}"
            )
        for stop in (ours, end):
            mine, peers = cal.elapsed(start, stop), peer.elapsed(start, stop)
            if mine == peers:
                el_exact += 1
            elif peers == timedelta(seconds=mine // timedelta(seconds=1)):
                el_subsecond += 1  # businesstimedelta drops the sub-second part
            else:
                el_other.append(
                    f"elapsed({start.isoformat()}, {stop.isoformat()}): soporte {mine}, "
                    f"businesstimedelta {peers}"
                )
    return {
        "sample": n,
        "due_identical": due_same,
        "due_differing": due_other,
        "elapsed_pairs": 2 * n,
        "elapsed_identical": el_exact,
        "elapsed_peer_truncated_to_second": el_subsecond,
        "elapsed_differing": el_other,
    }


# ---------------------------------------------------------------------------- the run


def run() -> dict[str, Any]:
    t_start = time.perf_counter()
    policy = default_policy()
    cal = policy.calendar
    w = make_workload(policy)
    peer = make_peer(policy, date(2025, 1, 1), date(2028, 12, 31))
    figures: dict[str, Any] = {}

    agreement = check_agreement(cal, peer, w)

    # Scalar add: the due time of every ticket.
    add, p_add = cal.add, peer.add
    pairs = list(zip(w.opens, w.targets, strict=True))
    peer_pairs = pairs[:PEER_N]
    s_add = rate(lambda: [add(s, d) for s, d in pairs], len(pairs), 5)
    b_add = rate(lambda: [p_add(s, d) for s, d in peer_pairs], len(peer_pairs), 3)

    # Scalar elapsed: open -> due and open -> a random end.
    elapsed, p_elapsed = cal.elapsed, peer.elapsed
    dues = [add(s, d) for s, d in pairs]
    spans = list(zip(w.opens, dues, strict=True)) + list(zip(w.opens, w.ends, strict=True))
    peer_spans = spans[:PEER_N] + spans[SCALAR_N : SCALAR_N + PEER_N]
    s_el = rate(lambda: [elapsed(a, b) for a, b in spans], len(spans), 5)
    b_el = rate(lambda: [p_elapsed(a, b) for a, b in peer_spans], len(peer_spans), 3)

    # Batch forms over 1,000,000 items of int64 UTC microseconds.
    due_many = cal.add_many(w.opens_us, w.targets_us)
    ends_many = np.where(np.arange(BATCH_N) % 2 == 0, due_many, w.ends_us)
    m_add = rate(lambda: cal.add_many(w.opens_us, w.targets_us), BATCH_N, 5)
    m_el = rate(lambda: cal.elapsed_many(w.opens_us, ends_many), BATCH_N, 5)
    batch_consistent = bool(
        np.array_equal(due_many[:SCALAR_N], np.array([_micros(d) for d in dues], dtype=np.int64))
        and np.array_equal(
            cal.elapsed_many(w.opens_us[:SCALAR_N], ends_many[:SCALAR_N]),
            np.array(
                [
                    elapsed(a, _utc(int(b))) // _US
                    for a, b in zip(w.opens, ends_many[:SCALAR_N], strict=True)
                ],
                dtype=np.int64,
            ),
        )
    )

    # Cost against the target's length: 1 h and 200 h from the same open instants.
    hour, long = timedelta(hours=1), timedelta(hours=200)
    opens = w.opens
    s_1h = rate(lambda: [add(s, hour) for s in opens], len(opens), 5)
    s_200h = rate(lambda: [add(s, long) for s in opens], len(opens), 5)
    p_opens, p_long_opens = opens[:PEER_N], opens[:PEER_LONG_N]
    b_1h = rate(lambda: [p_add(s, hour) for s in p_opens], len(p_opens), 3)
    b_200h = rate(lambda: [p_add(s, long) for s in p_long_opens], len(p_long_opens), 3)

    # Building 25 years from scratch.
    spec = policy.calendar_spec
    build_s = best_of(lambda: BusinessCalendar(spec).build(*BUILD_YEARS), 7)

    figures = {
        "scalar_add": _pair(s_add, b_add),
        "scalar_elapsed": _pair(s_el, b_el),
        "batch_add": {
            "items": BATCH_N,
            "per_second": m_add.per_second,
            "ratio_vs_peer_scalar": m_add.per_second / b_add.per_second,
        },
        "batch_elapsed": {
            "items": BATCH_N,
            "per_second": m_el.per_second,
            "ratio_vs_peer_scalar": m_el.per_second / b_el.per_second,
        },
        "target_length": {
            "soporte_1h_us": s_1h.us_per_op,
            "soporte_200h_us": s_200h.us_per_op,
            "soporte_ratio": s_200h.us_per_op / s_1h.us_per_op,
            "peer_1h_us": b_1h.us_per_op,
            "peer_200h_us": b_200h.us_per_op,
            "peer_ratio": b_200h.us_per_op / b_1h.us_per_op,
        },
        "build_25_years_ms": build_s * 1e3,
    }
    floors = [
        ("scalar add ≥ 100× businesstimedelta", figures["scalar_add"]["ratio"], ">=", 100.0),
        (
            "scalar elapsed ≥ 200× businesstimedelta",
            figures["scalar_elapsed"]["ratio"],
            ">=",
            200.0,
        ),
        (
            "batch add ≥ 1,000× businesstimedelta",
            figures["batch_add"]["ratio_vs_peer_scalar"],
            ">=",
            1000.0,
        ),
        ("batch add ≥ 3 M/s", m_add.per_second / 1e6, ">=", 3.0),
        (
            "batch elapsed ≥ 1,000× businesstimedelta",
            figures["batch_elapsed"]["ratio_vs_peer_scalar"],
            ">=",
            1000.0,
        ),
        ("batch elapsed ≥ 3 M/s", m_el.per_second / 1e6, ">=", 3.0),
        ("200 h costs ≤ 1.5× 1 h", figures["target_length"]["soporte_ratio"], "<=", 1.5),
        ("building 25 years ≤ 50 ms", build_s * 1e3, "<=", 50.0),
    ]
    return {
        "benchmark": "bizclock",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "numpy": np.__version__,
            "businesstimedelta": version("businesstimedelta"),
        },
        "workload": {
            "seed": SEED,
            "scalar_n": SCALAR_N,
            "peer_n": PEER_N,
            "peer_long_n": PEER_LONG_N,
            "batch_n": BATCH_N,
            "opens": "uniform over 2026, UTC-aware, microsecond resolution",
            "targets_from_cells": w.cells,
            "random_end_within": str(END_SPREAD),
        },
        "agreement": agreement,
        "batch_matches_scalar": batch_consistent,
        "figures": figures,
        "floors": [
            {
                "floor": name,
                "value": value,
                "bound": bound,
                "met": value >= bound if op == ">=" else value <= bound,
            }
            for name, value, op, bound in floors
        ],
        "runtime_s": time.perf_counter() - t_start,
    }


def _pair(ours: Rate, theirs: Rate) -> dict[str, float]:
    return {
        "soporte_per_second": ours.per_second,
        "soporte_us": ours.us_per_op,
        "peer_per_second": theirs.per_second,
        "peer_us": theirs.us_per_op,
        "ratio": theirs.us_per_op / ours.us_per_op,
    }


# ---------------------------------------------------------------------------- report


def _row(cells: Sequence[str]) -> str:
    widths = (34, 16, 18, 10)
    return "  ".join(
        c.rjust(n) if i else c.ljust(n) for i, (c, n) in enumerate(zip(cells, widths, strict=True))
    )


def report(r: dict[str, Any]) -> str:
    f, a, m = r["figures"], r["agreement"], r["machine"]
    lines = [
        f"bizclock: soporte vs businesstimedelta {m['businesstimedelta']} "
        f"(Python {m['python']}, {m['cpus']} CPUs)",
        f"workload: {r['workload']['scalar_n']:,} tickets opened over 2026 (UTC, µs), targets "
        f"1 bh..5 bd from the SLA grid; businesstimedelta on the first {r['workload']['peer_n']:,}",
        "",
        f"agreement on {a['sample']:,} tickets: due times identical "
        f"{a['due_identical']:,}/{a['sample']:,}; elapsed identical "
        f"{a['elapsed_identical']:,}/{a['elapsed_pairs']:,}",
    ]
    if a["elapsed_peer_truncated_to_second"]:
        lines += [
            f"  {a['elapsed_peer_truncated_to_second']:,} elapsed differ only below the second "
            "(businesstimedelta = soporte's figure cut to whole seconds):",
            "  businesstimedelta rebuilds its result from whole seconds (BusinessTimeDelta(",
            "  hours=, seconds=)) and drops the microseconds; soporte is exact to the microsecond",
            "  (business time in [start, end), READING.md §1), so soporte is right there.",
        ]
    for label, bad in (("due", a["due_differing"]), ("elapsed", a["elapsed_differing"])):
        if bad:
            lines.append(f"  {len(bad)} {label} differ otherwise, e.g.:")
            lines += [f"    {b}" for b in bad[:5]]
    lines.append(
        f"batch results equal scalar results: {'yes' if r['batch_matches_scalar'] else 'NO'}"
    )
    sa, se = f["scalar_add"], f["scalar_elapsed"]
    tl = f["target_length"]
    lines += [
        "",
        _row(("", "soporte", "businesstimedelta", "ratio")),
        _row(
            (
                "scalar add (ops/s)",
                f"{sa['soporte_per_second']:,.0f}",
                f"{sa['peer_per_second']:,.0f}",
                f"{sa['ratio']:,.0f}×",
            )
        ),
        _row(("scalar add (µs/op)", f"{sa['soporte_us']:.3f}", f"{sa['peer_us']:.1f}", "")),
        _row(
            (
                "scalar elapsed (ops/s)",
                f"{se['soporte_per_second']:,.0f}",
                f"{se['peer_per_second']:,.0f}",
                f"{se['ratio']:,.0f}×",
            )
        ),
        _row(("scalar elapsed (µs/op)", f"{se['soporte_us']:.3f}", f"{se['peer_us']:.1f}", "")),
        _row(
            (
                "batch add_many, 1M (M/s)",
                f"{f['batch_add']['per_second'] / 1e6:.2f}",
                f"{sa['peer_per_second'] / 1e6:.5f}",
                f"{f['batch_add']['ratio_vs_peer_scalar']:,.0f}×",
            )
        ),
        _row(
            (
                "batch elapsed_many, 1M (M/s)",
                f"{f['batch_elapsed']['per_second'] / 1e6:.2f}",
                f"{se['peer_per_second'] / 1e6:.5f}",
                f"{f['batch_elapsed']['ratio_vs_peer_scalar']:,.0f}×",
            )
        ),
        _row(
            ("add 1 h target (µs/op)", f"{tl['soporte_1h_us']:.3f}", f"{tl['peer_1h_us']:.1f}", "")
        ),
        _row(
            (
                "add 200 h target (µs/op)",
                f"{tl['soporte_200h_us']:.3f}",
                f"{tl['peer_200h_us']:.1f}",
                "",
            )
        ),
        _row(("200 h / 1 h cost", f"{tl['soporte_ratio']:.2f}×", f"{tl['peer_ratio']:.1f}×", "")),
        _row(("build 25 years 2020-2044 (ms)", f"{f['build_25_years_ms']:.1f}", "", "")),
        "",
        "floors (issue 2 §6):",
    ]
    for fl in r["floors"]:
        lines.append(
            f"  {'MET    ' if fl['met'] else 'NOT MET'}  {fl['floor']}: {fl['value']:,.2f}"
        )
    where = RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS
    lines.append(f"(ran in {r['runtime_s']:.0f} s; results in {where})")
    return "\n".join(lines)


def main() -> bool:
    """Run, print, save; True when every floor is met."""
    results = run()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(report(results))
    return all(fl["met"] for fl in results["floors"])


if __name__ == "__main__":
    sys.exit(0 if main() else 1)

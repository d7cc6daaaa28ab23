"""The intake benchmark's report: its figures as a table, the ratios to the peer, the floors."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench import machine


def _row(cells: Sequence[str]) -> str:
    widths = (30, 6, 11, 9, 9, 9, 9, 14)
    return "  ".join(
        c.rjust(n) if i else c.ljust(n) for i, (c, n) in enumerate(zip(cells, widths, strict=True))
    ).rstrip()


def _runs(r: dict[str, Any], db: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Who ran and their levels on one database: soporte, then the peer (when measured)."""
    return [("soporte", db["levels"]), (r["peer"]["name"], db["peer_levels"] or [])]


def _table(r: dict[str, Any]) -> list[str]:
    """One block per database: soporte's levels, the peer's, then soporte/peer ratios."""
    lines = [_row(("", "conc.", "tickets/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "committed"))]
    short: list[str] = []
    for db in r["databases"].values():
        lines.append(db["database"])
        for who, levels in _runs(r, db):
            for lv in levels:
                made = lv["timed_tickets"] + lv["warmup_tickets"]
                ok = "all" if lv["all_committed"] else "NOT ALL"
                if lv["timed_tickets"] + lv["failures"] < r["workload"]["timed_per_level"]:
                    short.append(
                        f"{who} {db['database']} c={lv['concurrency']}: {lv['timed_tickets']:,}"
                    )
                lines.append(
                    _row(
                        (
                            f"  {who}",
                            str(lv["concurrency"]),
                            f"{lv['tickets_per_s']:,.0f}",
                            f"{lv['p50_ms']:.1f}",
                            f"{lv['p95_ms']:.1f}",
                            f"{lv['p99_ms']:.1f}",
                            f"{lv['max_ms']:.0f}",
                            f"{lv['committed']['tickets']}/{made} {ok}",
                        )
                    )
                )
        for ratio in db["ratios"]:
            lines.append(
                _row(
                    (
                        f"  soporte / {r['peer']['name']}",
                        str(ratio["concurrency"]),
                        f"{ratio['tickets_per_s']:.2f}×",
                        "",
                        "",
                        f"{ratio['p99']:.2f}×",
                        "",
                        "",
                    )
                )
            )
    if short:
        lines.append(
            f"  cut short by the {r['workload']['budget_s_per_level']:.0f} s budget per level "
            f"(timed tickets): {'; '.join(short)}"
        )
    return lines


def _committed(r: dict[str, Any]) -> list[str]:
    lines = []
    for kind, db in r["databases"].items():
        top = db["levels"][-1]
        c = top["committed"]
        lines.append(
            f"committed (soporte, {kind}, concurrency {top['concurrency']}): {c['tickets']} "
            f"tickets, {c['customer_messages']} customer messages, {c['clocks']} clocks, "
            f"{c['timer_jobs']} timer jobs, {c['created_events']} created + "
            f"{c['clock_started_events']} clock-started + {c['ack_events']} acknowledged events, "
            f"{c['ack_messages']} acknowledgements, {c['outbox_emails']} outbox emails "
            f"({c['outbox_jobs']} delivery jobs)"
        )
        if db["peer_levels"]:
            top = db["peer_levels"][-1]
            c = top["committed"]
            lines.append(
                f"committed ({r['peer']['name']}, {kind}, concurrency {top['concurrency']}): "
                f"{c['tickets']} tickets, {c['followups']} opening follow-ups, {c['emailed']} "
                "new-ticket emails sent (to files, within the request)"
            )
        for who, levels in _runs(r, db):
            lines += [
                f"  {who} {kind} c={lv['concurrency']}: {lv['failures']} failed requests, e.g. "
                f"{lv['failure_examples'][0]}"
                for lv in levels
                if lv["failures"]
            ]
    return lines


def report(r: dict[str, Any], results: Path) -> str:
    """The intake bench's figures ``r`` as the text it prints (``results``: where it saved them)."""
    m, w, pr, ref = r["machine"], r["workload"], r["peer"], r["peer_reference"]
    code = r["code"]
    lines = [
        machine.describe(min(m["score_s_before"], m["score_s_after"]))
        + f"; {m['score_s_before']:.2f} s before the run, {m['score_s_after']:.2f} s after",
        f"intake: POST /api/tickets through `{w['server']}`",
        f"  side by side with {pr['name']} {pr['version']}: `{pr['server']}`"
        if pr["measured_here"]
        else f"  {pr['name']} NOT MEASURED (only soporte ran): {pr['unavailable']}",
        f"(Python {m['python']}, {m['cpus']} CPUs; load generator in its own process; "
        f"{w['warmup_per_level']} warm-up + {w['timed_per_level']:,} timed tickets per level)",
        f"load average {m['load_average_before']:.1f} before, {m['load_average_after']:.1f} after "
        f"(on {m['cpus']} CPUs; above that, other work shared the machine); "
        f"code {code['commit'][:10]}"
        + (
            f" + uncommitted {', '.join(code['uncommitted_app_files'])}"
            if code["uncommitted_app_files"]
            else ""
        ),
        "",
        *_table(r),
        *(
            [
                f"  ratios: soporte's figure over {pr['name']}'s at the same concurrency "
                "(tickets/s above 1× and p99 below 1× favour soporte)"
            ]
            if pr["measured_here"]
            else []
        ),
        f"  the issue's figure for {ref['name']} on this kind of 2-core machine: "
        f"~{ref['tickets_per_s']:.0f} tickets/s, p99 ~{ref['p99_ms']:.0f} ms at concurrency "
        f"{ref['concurrency']}",
        "  CPU per ticket, the server's processes (soporte: web + job worker) / the PostgreSQL "
        "server's / the load generator's:",
        *(
            f"    {who} {db['database']} c={lv['concurrency']}: "
            f"{lv['server_cpu_ms_per_ticket']:.2f} / {lv['database_cpu_ms_per_ticket']:.2f} / "
            f"{lv['loadgen_cpu_ms_per_ticket']:.2f} ms"
            for db in r["databases"].values()
            for who, levels in _runs(r, db)
            for lv in levels
        ),
        "",
        *_committed(r),
        "",
        "floors (issue 3, Performance):",
    ]
    verdicts = {True: "MET       ", False: "NOT MET   ", None: "NOT JUDGED"}
    lines += [f"  {verdicts[fl['met']]}  {fl['floor']}: {fl['value']:,.2f}" for fl in r["floors"]]
    where = results.relative_to(Path.cwd()) if results.is_relative_to(Path.cwd()) else results
    lines.append(f"(ran in {r['runtime_s']:.0f} s; results in {where})")
    return "\n".join(lines)

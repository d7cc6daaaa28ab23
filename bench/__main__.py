"""Run every benchmark: ``python -m bench [NAME ...] [--check]`` (``scale --tickets N``).

``--check`` exits non-zero when a benchmark misses one of its floors.
"""

from __future__ import annotations

import sys

from bench import bizclock, chat, faq, hooks, intake, kb, mail, paging, reports, scale, similar

BENCHMARKS = {
    "bizclock": bizclock.main,
    "chat": chat.main,
    "faq": faq.main,
    "hooks": hooks.main,
    "intake": intake.main,
    "kb": kb.main,
    "mail": mail.main,
    "paging": paging.main,
    "reports": reports.main,
    "scale": scale.main,
    "similar": similar.main,
}


def main(argv: list[str]) -> int:
    check = "--check" in argv
    names = [a for a in argv if not a.startswith("-") and not a.isdigit()] or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s) {', '.join(unknown)} (known: {', '.join(BENCHMARKS)})")
        return 2
    all_met = True
    for name in names:
        all_met = BENCHMARKS[name]() and all_met
    return 1 if check and not all_met else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

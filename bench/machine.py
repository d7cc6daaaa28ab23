"""How fast this machine runs pure Python, so that figures from different VMs can be compared.

``score()`` times a fixed workload, the 10-million-iteration ``s += i`` loop at module level
(global names, as ``python -c`` runs it: the figure quoted for earlier machines), and returns
the best of a few runs in seconds: lower is faster, and the best run is the one least disturbed
by other work on a shared machine. ``python -m bench.machine`` prints it.
"""

from __future__ import annotations

import time

REPEATS = 3
WORKLOAD = compile("s = 0\nfor i in range(10_000_000):\n    s += i\n", "<machine score>", "exec")


def score() -> float:
    """Seconds this machine takes for the fixed workload: the best of ``REPEATS`` runs."""
    best = float("inf")
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        exec(WORKLOAD, {})
        best = min(best, time.perf_counter() - t0)
    return best


def describe(seconds: float) -> str:
    """One line for a report."""
    return (
        f"machine score {seconds:.2f} s (10M-iteration pure-Python `s += i` loop, "
        f"best of {REPEATS}; lower is faster)"
    )


if __name__ == "__main__":
    print(describe(score()))

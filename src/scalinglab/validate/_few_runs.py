"""Coverage over few held-out runs: shown as the count it is, and said to judge nothing.

With ``n`` held-out runs a coverage estimate has a standard error of ``√(p(1−p)/n)``: over
9 runs ±13 points for an 80% interval and ±10 for a 90% one, and each run moves it by 11
points, as much as the ±10 points within which nominal 80% and 90% intervals are to cover
(DESIGN.md). Under :data:`FEW_RUNS` runs a coverage is shown as a count (``0 of 1``,
``7 of 9``), not a percentage that reads like a measurement ("0%" of one run), and
:func:`few_runs_note` says the runs cannot judge calibration.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from scalinglab._format import format_level
from scalinglab.validate._score import BacktestSummary

__all__ = ["FEW_RUNS", "coverage_said", "few_runs_note", "few_scored_note", "runs_said"]

#: Fewest held-out runs whose coverage is shown as a percentage (under it: a count).
FEW_RUNS = 10


def coverage_said(coverage: float, scored: int) -> str:
    """A coverage as a table shows it: ``—`` where no run was scored, ``k of n`` over
    fewer than :data:`FEW_RUNS` runs scored, else a percentage (``80%``)."""
    if math.isnan(coverage) or scored == 0:
        return "—"
    if scored < FEW_RUNS:
        return f"{round(coverage * scored)} of {scored}"
    return f"{coverage:.0%}"


def runs_said(n: int) -> str:
    """``1 run``, ``4 runs``."""
    return f"{n} run" + ("" if n == 1 else "s")


def few_runs_note(summary: BacktestSummary, levels: Sequence[float]) -> str | None:
    """The note that the held-out runs are too few to judge calibration, with the standard
    error of the widest interval's coverage over them; ``None`` over :data:`FEW_RUNS` or
    more, or where no coverage was scored (no bootstrap: a note says so)."""
    counts = [
        summary.scored.get(lv, summary.n) for lv in levels if not math.isnan(summary.coverage[lv])
    ]
    if not counts:
        return None
    return few_scored_note(max(counts), max(levels))


def few_scored_note(n: int, level: float, *, noun: str = "run") -> str | None:
    """The note that a coverage over ``n`` held-out ``noun``s (``"run"``; a downstream
    backtest's are ``"model"``) cannot judge calibration, with its standard error at
    ``level``; ``None`` over :data:`FEW_RUNS` or more, or none (nothing scored)."""
    if n <= 0 or n >= FEW_RUNS:
        return None
    error = 100 * math.sqrt(level * (1 - level) / n)
    return (
        f"coverage over {n} held-out {noun}{'' if n == 1 else 's'} cannot judge calibration: "
        f"each {noun} moves it "
        f"{100 / n:.0f} points, and its standard error at {format_level(level)}, "
        f"√(p(1−p)/n), is ±{error:.0f} points; hold out {FEW_RUNS} or more {noun}s to judge "
        f"it (counts shown: 'k of n' {noun}s inside)"
    )

"""Rolling-origin steps whose runs do not identify the law: marked, and left out of the figures.

A step fitted on two model sizes sees Chinchilla's ``E``, ``A`` and ``α`` only through two
numbers, so its optimum is one point of a valley of equal fits: where the solver stops on
it depends on the starts and on the CPU build (``SCALINGLAB_SOLVER``), and so does every
score of the step (median ARE 9% on one build, 26% on another, at the same objective). The
check is the one :func:`scalinglab.fit` warns with ("params takes 2 distinct values ...
extrapolations from them are arbitrary"): :func:`~scalinglab.fit._identified.unidentified_by_design`,
a function of the runs' design alone, so the same steps are flagged on every build.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from scalinglab._errors import ConfigError
from scalinglab._format import format_counted, join_and
from scalinglab.fit._collinear import collinear, distinct_rows
from scalinglab.fit._identified import term_variables, unidentified_by_design
from scalinglab.laws import Law

__all__ = [
    "check_min_scales",
    "few_runs_note",
    "fit_unidentified_note",
    "step_runs_needed",
    "step_unidentified",
    "unidentified_note",
    "unidentified_said",
    "win_caveat",
]

#: Runs per parameter a rolling step fits on at least: a fit on fewer says nothing of the
#: held-out runs (9 runs of a Chinchilla law over 1e7-1e9 params missed them by 83%).
STEP_RUNS_PER_PARAM = 2

#: What the distinct values of a column count, for a row's mark ("2 model sizes").
_COUNTED = {"params": "model sizes", "tokens": "token counts", "flops": "compute budgets"}


def step_unidentified(law: Law, table: Any, columns: Mapping[str, str]) -> tuple[str, str] | None:
    """Why the runs ``table`` do not identify ``law`` by design, or ``None`` when they do.

    Args:
        law: The law fitted.
        table: The step's runs.
        columns: Law symbol -> the column each variable was read from (``FitResult.columns``).

    Returns:
        The row's short mark (``"2 model sizes"``) and the fit's own warning line.
    """
    data = {s: table[c] for s, c in columns.items() if table.has(c)}
    found = unidentified_by_design(law, data, dict(columns))
    if not found:
        return None
    line, params = found[0]
    if any(line == c for c, _ in collinear(law, data, dict(columns))):
        named = [columns.get(v, v) for v in law.variables if v in data]
        return f"{join_and(named)} on one curve", line
    # the variables of the terms the line names: their distinct values are too few
    used = term_variables(law, params)
    counts = [
        f"{_distinct(data[v])} {_COUNTED.get(columns.get(v, v), f'values of {columns.get(v, v)}')}"
        for v in law.variables
        if v in used and v in data
    ]
    return join_and(counts), line


def unidentified_said(mark: str) -> str:
    """How a table says a fit is not identified by its runs, from the mark of
    :func:`step_unidentified`: ``"not identified: 2 model sizes"`` (the rolling table's
    step row, the law comparison's row and its winner line)."""
    return f"not identified: {mark}"


def fit_unidentified_note(law: str, n_runs: int, mark: str, line: str) -> str:
    """The note of a backtest whose ``n_runs`` fitted runs do not identify ``law``
    (:func:`step_unidentified`'s ``mark`` and ``line``): why, and what its scores mean."""
    return (
        f"{law} {unidentified_said(mark)} on the {n_runs} runs fitted: {line}; its fit is one "
        "point of a valley of equal fits, so a held-out run's prediction is fixed by the data "
        "only at values the fitted runs hold (such as a fitted model size), elsewhere it is where the "
        "solver stopped (it differs between CPU builds)"
    )


def win_caveat(law: str, mark: str | None) -> str:
    """What a comparison's winner line adds for a law its fitted runs do not identify
    (``mark``: :attr:`Backtest.unidentified`), in the rolling table's words; ``""`` else."""
    if mark is None:
        return ""
    return (
        f"; but {law} is {unidentified_said(mark)} on the runs fitted, so its scores hold "
        "only where those runs fix its predictions"
    )


def unidentified_note(law: str, marked: Sequence[tuple[int, str]], line: str) -> str:
    """The note under the rolling table for the steps ``marked`` (scales, mark): which,
    why (the fit's own line, of the first), and that their figures are left out."""
    ks = ", ".join(str(k) for k, _ in marked)
    return (
        f"{format_counted(len(marked), 'step')} (scales {ks}) not identified, left out of the figures (—): "
        f"{line}; each such step's fit of {law} is one point of a valley of equal fits, so "
        "its held-out errors are where the solver stopped (they differ between CPU builds)"
    )


def step_runs_needed(law: Law) -> int:
    """Fewest runs a rolling step fits ``law`` on: :data:`STEP_RUNS_PER_PARAM` per parameter."""
    return STEP_RUNS_PER_PARAM * len(law.params)


def few_runs_note(law: Law, few: Sequence[tuple[int, int]]) -> str:
    """The note for the steps ``few`` (scales, runs) skipped for too few runs: which, and why
    (``"steps at 2 to 5 scales skipped (2, 3, 4 and 5 runs): a step fits on at least 10 runs,
    twice the 5 parameters of chinchilla"``)."""
    ks, ns = [k for k, _ in few], [str(n) for _, n in few]
    at = f"{ks[0]} scales" if len(ks) == 1 else f"{ks[0]} to {ks[-1]} scales"
    runs = f"{ns[0]} run{'s' * (ns[0] != '1')}" if len(ns) == 1 else f"{join_and(ns)} runs"
    return (
        f"step{'s' * (len(ks) > 1)} at {at} skipped ({runs}): a step fits on at least "
        f"{step_runs_needed(law)} runs, {STEP_RUNS_PER_PARAM}x the {len(law.params)} parameters "
        f"of {law.name}, since fewer say nothing of the held-out runs"
    )


def _distinct(values: Any) -> int:
    x = np.asarray(values, dtype=np.float64).reshape(-1)  # counted as the fit's check counts
    return len(distinct_rows(x[np.isfinite(x)][:, None]))


def check_min_scales(min_scales: object) -> None:
    """Refuse a ``min_scales`` that is not a whole number of scales, at least 1."""
    whole = isinstance(min_scales, numbers.Integral) and not isinstance(min_scales, bool)
    if whole and min_scales >= 1:  # type: ignore[operator]
        return
    kind = "" if whole else f" (a {type(min_scales).__name__})"
    raise ConfigError(
        f"rolling_backtest(min_scales={min_scales!r}){kind}: min_scales, the fewest scales the "
        "first rolling-origin step fits on, must be a whole number, at least 1",
        hint="pass e.g. min_scales=2 (the default)",
    )

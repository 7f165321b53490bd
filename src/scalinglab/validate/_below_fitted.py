"""Why a backtest's worst error can be huge on a split that holds out runs below the fitted
ones: a rule such as ``near-best:1.5`` holds out every run of the smallest model size, and
predicting those extrapolates the law down, where a term the fitted runs barely fix (an
exponent at its bound) explodes. That is a real result of the split, not of the method, so
the backtest says so rather than leaving an ARE of 150,000% unexplained."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from scalinglab._format import format_counted, format_quantity
from scalinglab.validate._score import BacktestRun
from scalinglab.validate._split import Split

__all__ = ["below_fitted_note"]


def below_fitted_note(
    split: Split, scored: Sequence[BacktestRun], columns: Mapping[str, str]
) -> str | None:
    """The note where the worst-scored held-out run lies below every fitted run in a column
    of the law's variables (``columns``: symbol -> column); ``None`` otherwise."""
    ok = [r for r in scored if r.are == r.are]  # NaN: no prediction to score
    if not ok:
        return None
    worst = max(ok, key=lambda r: r.are)
    test, fitted = split.held_out, split.fitted
    i = list(test.rows).index(worst.row)
    for column in dict.fromkeys(columns.values()):
        if not (test.has(column) and fitted.has(column)):
            continue
        low = float(np.min(fitted[column]))
        values = np.asarray(test[column], dtype=np.float64)
        if not values[i] < low * (1 - 1e-9):
            continue
        below = int((values < low * (1 - 1e-9)).sum())
        from scalinglab.validate._rows import pct  # the tables' percent

        return (
            f"the max ARE ({pct(worst.are)}, run {worst.run!r}) is at {column} "
            f"{format_quantity(values[i], column)}, below the fitted runs' smallest "
            f"({format_quantity(low, column)}), as are {format_counted(below, 'held-out run')}: "
            f"the split makes the law extrapolate down in {column}, which a backtest by scale "
            f"does not mean to test — hold out by scale (largest:K, top-decile), or fit on "
            f"runs that span the held-out {column}"
        )
    return None

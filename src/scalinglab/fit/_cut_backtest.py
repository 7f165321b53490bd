"""One rolling-origin backtest: fit below a cut, and the log residuals of the runs above it.

:func:`._extrapolation.measure` runs one per cut (the cuts that count:
:func:`._extrapolation.admitted_cuts`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scalinglab.fit._reach import distance, floor_of, reach_of

__all__ = ["CutBacktest", "Predictor", "backtest_cut"]

Array = NDArray[np.float64]
#: ``predictor(variables) -> (loss, spread, sd)`` of a cut's fit: ``spread`` its bootstrap's
#: log standard deviation (0 without one), ``sd`` the delta method's (:mod:`._delta`).
Predictor = Callable[[Mapping[str, Array]], tuple[Array, Array, Array]]


@dataclass(frozen=True)
class CutBacktest:
    """One cut's held-out residuals (finite ones), as :func:`._extrapolation.measure` records them."""

    distances: Array
    residuals: Array
    spreads: Array
    deltas: Array
    flags: NDArray[np.bool_]  # of diverged runs: recorded, not scored


def backtest_cut(
    cut: float,
    axis: Array,
    data: Mapping[str, Array],
    target: Array,
    diverged: NDArray[np.bool_],
    refit: Callable[[NDArray[np.bool_]], Predictor | None],
    pair: tuple[str, str] | None,
) -> CutBacktest | None:
    """Fit below ``cut`` (on ``axis``) and measure the residuals at and above it; ``None``
    when the cut cannot be fitted."""
    below = axis < cut - 1e-9
    above = ~below
    predictor = refit(below)
    if predictor is None:
        return None
    part = {s: np.asarray(v)[below] for s, v in data.items()}
    held = {s: np.asarray(v)[above] for s, v in data.items()}
    loss, b, v = predictor(held)
    with np.errstate(all="ignore"):
        r = np.log(target[above]) - np.log(loss)
    d = distance(reach_of(part, pair), held, floor_of(part, pair))
    ok = np.isfinite(r) & np.isfinite(b) & np.isfinite(v)
    return CutBacktest(d[ok], r[ok], b[ok], v[ok], diverged[above][ok])

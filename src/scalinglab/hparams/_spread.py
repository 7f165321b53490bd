"""A located optimum's bootstrap interval, which always contains the optimum.

A percentile interval of the resampled optima can exclude the optimum itself: the runs'
weights follow the full cell's best loss, so a resample that repeats the best runs pulls
every refit the same way, and with a few resamples the percentiles are coarse. ``fit``
warns of the same case for a law's coefficients
(:func:`scalinglab.fit._diagnostics.outside_interval`); a cell's interval is read as
error bars and against the laws' draws, so here the spread is kept and moved: the draws
about their median, re-centred on the optimum (in log space), and a note says which.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from scalinglab.fit._diagnostics import outside_interval

__all__ = ["log_interval", "shifted_notes"]

Array = NDArray[np.float64]


def _percentiles(draws: Array, level: float) -> tuple[float, float]:
    lo, hi = np.percentile(draws, [50 * (1 - level), 50 * (1 + level)])
    return float(lo), float(hi)


def _excludes(bounds: tuple[float, float], centre: float) -> bool:
    """Whether log-space ``bounds`` leave out ``centre`` by more than rounding."""
    return not bounds[0] - 1e-9 <= centre <= bounds[1] + 1e-9


def log_interval(estimate: float, draws: Array, level: float) -> tuple[float, float]:
    """The interval of a positive ``estimate`` from its finite ``draws`` in log space: their
    percentiles, or, when those exclude the estimate, the draws' spread about their median
    re-centred on it (so the ends straddle it). ``(nan, nan)`` without draws."""
    draws = draws[np.isfinite(draws)]
    if not len(draws) or not math.isfinite(estimate) or estimate <= 0:
        return math.nan, math.nan
    centre = math.log(estimate)
    lo, hi = _percentiles(draws, level)
    if _excludes((lo, hi), centre):
        lo, hi = _percentiles(draws - np.median(draws) + centre, level)
    return math.exp(lo), math.exp(hi)


def shifted_notes(
    label: str, named: Sequence[tuple[str, float, Array | None]], level: float
) -> list[str]:
    """A note for each ``(name, estimate, log draws)`` whose percentile interval excludes
    the estimate: what it was, and that the cell's interval is re-centred."""
    out = []
    for name, estimate, draws in named:
        if draws is None or not math.isfinite(estimate) or estimate <= 0:
            continue
        fine = draws[np.isfinite(draws)]
        if not len(fine):
            continue
        lo, hi = _percentiles(fine, level)
        shifted = outside_interval(name, estimate, (math.exp(lo), math.exp(hi)))
        if shifted and _excludes((lo, hi), math.log(estimate)):
            out.append(f"{label}: {shifted}; its interval is the bootstrap spread re-centred on it")
    return out

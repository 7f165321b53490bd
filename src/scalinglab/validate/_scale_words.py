"""The scales of a split's fitted runs, and what messages say of them.

A rolling-origin backtest adds the fitted runs one scale at a time
(:func:`scalinglab._scales.size_scales`: a grid's sizes, else the bins between the fit's
calibration cuts). Where it cannot start, the message says what the runs' sizes are, not a
count alone: "1 distinct scale" was read as one distinct value by people whose 4,500 runs
each had their own.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike

from scalinglab._format import format_quantity
from scalinglab._scales import CUT_QUANTILES, SCALE_TOL, Scales, size_scales
from scalinglab.data import RunTable
from scalinglab.validate._rules import SIZES, scale_index, size_design
from scalinglab.validate._split import Split

__all__ = [
    "binned_note",
    "count_scales",
    "fitted_scales",
    "scale_count",
    "scales_said",
    "table_scales",
]


def fitted_scales(split: Split) -> Scales:
    """The scales of the runs ``split`` fits on, along :attr:`Split.column`: a size's
    (:func:`~scalinglab._scales.size_scales`), or each distinct value of a law's own variable
    (steps on a linear grid, any sign)."""
    return table_scales(split.fitted, split.column)


def table_scales(table: RunTable, column: str) -> Scales:
    """The scales of the runs ``table`` along ``column`` (:func:`fitted_scales`'s rule)."""
    values = np.asarray(table[column], dtype=np.float64)
    return _scales(values, column, size_design(table, column))


def count_scales(
    values: ArrayLike, column: str, design: Mapping[str, ArrayLike] | None = None
) -> int:
    """How many scales runs at ``values`` of ``column`` span (:func:`fitted_scales`'s rule;
    ``design``: their other size columns, row for row)."""
    return _scales(np.asarray(values, dtype=np.float64), column, design).count


def scales_said(split: Split, found: Scales) -> str:
    """What the fitted runs' scales ``found`` are, after "the N runs fitted (...)": ``"lie
    at one scale of flops: each within 0.05 decades of the next, from 5.9e17 to 6.1e17"``."""
    column, values = split.column, np.asarray(split.fitted[split.column], dtype=np.float64)
    n = found.count
    if column not in SIZES:
        return f"take {n} distinct value{'s' * (n != 1)} of {column} (each one scale)"
    if found.run_together is not None:
        return (
            f"lie at {n} scale{'s' * (n != 1)} of {column}, the bins between the "
            f"{_quantiles()} quantiles of log {column} ({found.run_together})"
        )
    lo, hi = (format_quantity(float(f(values)), column) for f in (np.min, np.max))
    if n == 1 and lo == hi:
        return f"lie at one scale of {column}: all at {lo}"
    if n == 1:
        return (
            f"lie at one scale of {column}: {lo} to {hi}, each within {SCALE_TOL:g} decades of "
            "the next"
        )
    return f"lie at {n} scales of {column} (runs within {SCALE_TOL:g} decades of the next are one)"


def binned_note(split: Split, found: Scales) -> str | None:
    """The note under a rolling table whose scales are quantile bins: which, and why."""
    if found.run_together is None:
        return None
    return (
        f"scales: the {len(split.fitted)} runs fitted do not cluster into scales of "
        f"{split.column} ({found.run_together}), so a scale here is the runs between two of the "
        f"{_quantiles()} quantiles of log {split.column}, the cuts fit calibrates its "
        "intervals by"
    )


def _scales(values: np.ndarray, column: str, design: Mapping[str, ArrayLike] | None) -> Scales:
    if column in SIZES:
        return size_scales(values, design=design)
    return Scales(scale_index(values, column))  # each value of a law's own variable


def _quantiles() -> str:
    """``"50, 60, 70, 80 and 90%"``."""
    said = [f"{q:.0%}".removesuffix("%") for q in CUT_QUANTILES]
    return f"{', '.join(said[:-1])} and {said[-1]}%"


def scale_count(split: Split) -> int:
    """Scales of the runs ``split`` fits on, which the rolling steps add one at a time
    (:func:`fitted_scales`: sizes within ``SCALE_TOL`` decades are one, or the bins between
    the fit's calibration cuts where sizes run together; each value of a law's own variable
    is one)."""
    return fitted_scales(split).count

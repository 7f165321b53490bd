"""The scale of each run, the unit the rules ``top-scales:K`` and ``near-best:F`` and the
rolling-origin backtests count in: sizes within :data:`~scalinglab._scales.SCALE_TOL` decades
chain into one (an IsoFLOP budget), sizes drawn from a range are binned at the fit's
calibration cuts (:mod:`scalinglab._scales`), and a law's own variable counts each value."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import DataError
from scalinglab._scales import SCALE_TOL, Scales, size_scales
from scalinglab.data import RunTable

__all__ = ["SIZES", "column_scales", "scale_column", "scale_index", "scales", "size_design"]

Array = NDArray[np.float64]

#: The columns that measure a run's size, the scale axis by default, first found first.
SIZES = ("flops", "params", "tokens")


def scale_column(table: RunTable, scale: str | None = None) -> str:
    """The column that measures a run's scale: ``scale`` where given (the law's own variable,
    :func:`scalinglab.validate._split.law_scale`), else ``flops``, ``params``, ``tokens``."""
    if scale is not None:
        return scale
    for name in SIZES:
        if table.has(name):
            return name
    raise DataError(
        "the runs have no flops, params or tokens column to order them by scale",
        source=table.source,
        hint="map one with --map flops=COLUMN (read_runs(..., columns={'flops': COLUMN}) in Python), or hold "
        "out with a predicate on a column",
    )


def scales(
    values: Array, *, tol: float = SCALE_TOL, design: Mapping[str, Array] | None = None
) -> NDArray[np.int64]:
    """Scale index (0 = smallest) of each run: sizes within ``tol`` decades chain into one,
    or, where they run together (drawn from a range, not a grid), the bins between the fit's
    calibration cuts (:func:`scalinglab._scales.size_scales`).

    Args:
        values: Each run's size.
        tol: Decades within which sizes chain into one scale.
        design: The runs' other sizes.

    Returns:
        Each run's scale index.
    """
    return size_scales(values, tol=tol, design=design).index


def size_design(table: RunTable, column: str) -> dict[str, Array]:
    """The size columns of ``table`` other than ``column`` (params, tokens): a grid repeats
    one of them where its flops are all distinct (:func:`~scalinglab._scales.size_scales`)."""
    return {c: table[c] for c in SIZES if c != column and table.has(c)}


def scale_index(
    values: Array, column: str, design: Mapping[str, Array] | None = None
) -> NDArray[np.int64]:
    """Scale index of each run on the axis ``column``: :func:`scales` for a size (flops,
    params, tokens: an IsoFLOP budget's runs are one scale), each distinct value for a law's
    own variable (steps on a linear grid, where 0.05 decades would chain most into one; any
    sign)."""
    return column_scales(values, column, design).index


def column_scales(values: Array, column: str, design: Mapping[str, Array] | None) -> Scales:
    """The :class:`~scalinglab._scales.Scales` of ``values`` on the axis ``column``, as
    :func:`scale_index` numbers them."""
    if column in SIZES:
        return size_scales(values, design=design)
    values = np.asarray(values, dtype=np.float64)
    return Scales(np.unique(values, return_inverse=True)[1].astype(np.int64).reshape(-1))

"""What a "scale" of runs is: the unit a rolling-origin backtest adds one at a time, and
where a fit's calibration cuts fall; one notion for both.

Runs on a grid of sizes (IsoFLOP budgets, a ladder of model sizes) form one scale per size:
sizes within :data:`SCALE_TOL` decades of the next chain into one. Sizes drawn from a
continuous range (every run its own size) chain into one long scale that holds most runs,
which would leave a rolling backtest one step that means nothing. There the scales are the
runs between the cuts a fit calibrates its intervals by: the :data:`CUT_QUANTILES` of the
runs' log size (:func:`quantile_cuts`, which :mod:`scalinglab.fit._extrapolation` cuts at).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from scalinglab._quantiles import quantile_lower

__all__ = [
    "CUT_QUANTILES",
    "SCALE_TOL",
    "Scales",
    "quantile_cuts",
    "size_scales",
]

#: Runs within this many decades of compute (about ±12%) count as one scale.
SCALE_TOL = 0.05
#: Quantiles of the runs' log size where the cuts fall (a fit's calibration backtests; the
#: scales of runs whose sizes do not cluster).
CUT_QUANTILES = (0.5, 0.6, 0.7, 0.8, 0.9)
#: A chained scale wider than this many decades (2 x SCALE_TOL, a factor 1.26) that holds
#: more than half the runs is no grid point: the sizes run together. Both, since a wide
#: chain holding a minority leaves the steps meaning something (the Chinchilla points' 92 of
#: 245 over 0.97 decades) and a majority at one budget is a grid point.
_RUN_TOGETHER = 2 * SCALE_TOL
#: Tolerance of a cut: a run this close below one counts as at it (``fit._points``'s).
_CUT_TOL = 1e-9


@dataclass(frozen=True)
class Scales:
    """Each run's scale and how scales were drawn.

    Attributes:
        index: Scale of each run, 0 the smallest, consecutive.
        run_together: ``None`` where the sizes cluster into scales (chained within
            :data:`SCALE_TOL`); else why not, in words (``"4500 of the 4500 runs chain into
            one scale over 4.21 decades, each within 0.05 decades of the next"``), and the scales are quantile bins.
    """

    index: NDArray[np.int64]
    run_together: str | None = None

    @property
    def count(self) -> int:
        """How many scales."""
        return int(self.index.max()) + 1 if len(self.index) else 0


def quantile_cuts(axis: ArrayLike) -> list[float]:
    """The cut points on ``axis`` (any monotone scale of size: log or log10): the
    :data:`CUT_QUANTILES` (lower: each a value of ``axis``), ascending and distinct."""
    return sorted({quantile_lower(axis, q) for q in CUT_QUANTILES})


def size_scales(values: ArrayLike, *, tol: float = SCALE_TOL) -> Scales:
    """Scale of each run of size ``values`` (positive: flops, params or tokens).

    Sizes within ``tol`` decades of the next chain into one scale, unless one such chain
    holds more than half the runs over more than ``2 * SCALE_TOL`` decades (sizes drawn
    from a continuous range): then a scale is the runs between two :func:`quantile_cuts`
    of log size (up to six scales, the smallest holding half the runs).

    Args:
        values: Each run's size.
        tol: Largest gap, in decades, between sizes of one scale.
    """
    logs = np.log10(np.asarray(values, dtype=np.float64))
    chained = _chained(logs, tol)
    if not len(logs):
        return Scales(chained)
    counts = np.bincount(chained)
    big = int(np.argmax(counts))
    span = float(np.ptp(logs[chained == big]))
    if counts[big] * 2 <= len(logs) or span <= _RUN_TOGETHER:
        return Scales(chained)
    cuts = np.asarray(quantile_cuts(logs)) - _CUT_TOL
    binned = np.searchsorted(cuts, logs, side="right")  # cuts at or below each run
    index = np.unique(binned, return_inverse=True)[1].astype(np.int64).reshape(-1)
    said = (
        f"{counts[big]} of the {len(logs)} runs chain into one scale over {span:.2f} decades, "
        f"each within {tol:g} decades of the next"
    )
    return Scales(index, said)


def _chained(logs: NDArray[np.float64], tol: float) -> NDArray[np.int64]:
    """Scale index of each run: sizes (``logs``, log10) within ``tol`` decades chain into one."""
    order = np.argsort(logs, kind="stable")
    index = np.empty(len(logs), dtype=np.int64)
    index[order] = np.concatenate([[0], np.cumsum(np.diff(logs[order]) > tol)])[: len(logs)]
    return index

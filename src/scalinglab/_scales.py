"""What a "scale" of runs is: the unit a rolling-origin backtest adds one at a time, and
where a fit's calibration cuts fall; one notion for both.

Runs on a grid of sizes (IsoFLOP budgets, a ladder of model sizes) form one scale per size:
sizes within :data:`SCALE_TOL` decades of the next chain into one. Sizes drawn from a
continuous range (every run its own size) chain at random: into one long scale holding most
runs where they are dense, into dozens of scales of 1, 1, 1, 5 ... runs where they thin out,
and neither is a step of a rolling backtest that means anything. There the scales are the
runs between the cuts a fit calibrates its intervals by: the :data:`CUT_QUANTILES` of the
runs' log size (:func:`quantile_cuts`, which :mod:`scalinglab.fit._extrapolation` cuts at).

Sizes run together when one chain holds most runs over more than :data:`_RUN_TOGETHER`
decades, or when, among :data:`_RANGE_RUNS` or more runs whose sizes lie closer than the
chaining tolerance apart at the median, no size column repeats a value (no model size, token
count or budget shared by runs: :data:`_SAME_SIZE`) and most runs lie outside tight clusters
(:data:`_LEVEL_RUNS` runs within :data:`_RUN_TOGETHER` decades). A grid repeats sizes,
clusters them or spaces them apart: the Chinchilla points (whose params repeat, read off one
figure), the over-trained models (four model sizes), a ladder's budgets, IsoFLOP budgets
whose exact counts differ by a few percent, a ladder of single runs half a decade apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from scalinglab._quantiles import quantile_lower

__all__ = [
    "CUT_QUANTILES",
    "SCALE_TOL",
    "Scales",
    "cut_size",
    "quantile_cuts",
    "size_scales",
]

#: Runs within this many decades of compute (about ±12%) count as one scale.
SCALE_TOL = 0.05
#: Quantiles of the runs' log size where the cuts fall (a fit's calibration backtests; the
#: scales of runs whose sizes do not cluster).
CUT_QUANTILES = (0.5, 0.6, 0.7, 0.8, 0.9)
#: A chained scale wider than this many decades (2 x SCALE_TOL, a factor 1.26) is no grid
#: point. One holding more than half the runs: the sizes run together. A majority at one
#: budget is a grid point, and so are the Chinchilla points' chains (92 of 214 runs over 0.97
#: decades, their IsoFLOP budgets 0.16 wide), since their params repeat.
_RUN_TOGETHER = 2 * SCALE_TOL
#: Sizes this close, in decades (a factor 1 + 2.3e-5), are one: a grid's runs share a model
#: size or budget to this (the Chinchilla points' params, read off a figure, to 1e-6), and
#: sizes drawn from a range do not (4,500 runs over two decades: 1 in 40 close pairs).
_SAME_SIZE = 1e-5
#: Fewest runs of a cluster within :data:`_RUN_TOGETHER` decades that makes a level of a
#: grid whose sizes all differ (an IsoFLOP budget counted exactly); sizes drawn sparsely
#: from a range chain in ones and twos.
_LEVEL_RUNS = 4
#: Fewest runs whose sizes, all different, can be drawn from a range rather than a ladder of
#: single runs (six model sizes, one run each, are a grid of six scales).
_RANGE_RUNS = 40
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


def cut_size(cut: float) -> float:
    """The size at ``cut``, a :func:`quantile_cuts` cut on a log10 axis: ``10**cut`` to 12
    significant figures, since the trip through log10 adds noise in the 16th
    (``1.8000000000000015e+18`` for a run at ``N·D = 1.8e18``), which no size has."""
    return float(f"{10.0**cut:.12g}")


def size_scales(
    values: ArrayLike, *, tol: float = SCALE_TOL, design: Mapping[str, ArrayLike] | None = None
) -> Scales:
    """Scale of each run of size ``values`` (positive: flops, params or tokens).

    Sizes within ``tol`` decades of the next chain into one scale, unless the sizes run
    together: one such chain holds more than half the runs over more than ``2 * SCALE_TOL``
    decades, or 40+ runs lie within ``tol`` decades of the next at the median, no size
    repeats (in ``values`` and each of ``design``) and at least half the runs lie outside
    clusters of 4+ runs that narrow. Then a scale is the runs between two
    :func:`quantile_cuts` of log size (up to six scales, the smallest holding half the runs).

    Args:
        values: Each run's size.
        tol: Largest gap, in decades, between sizes of one scale.
        design: The runs' other size columns by name (params, tokens), row for row: a grid
            repeats a model size or token count even where its flops are all distinct.
    """
    logs = np.log10(np.asarray(values, dtype=np.float64))
    chained = _chained(logs, tol)
    if not len(logs):
        return Scales(chained)
    said = _run_together(logs, chained, tol, design or {})
    if said is None:
        return Scales(chained)
    cuts = np.asarray(quantile_cuts(logs)) - _CUT_TOL
    binned = np.searchsorted(cuts, logs, side="right")  # cuts at or below each run
    index = np.unique(binned, return_inverse=True)[1].astype(np.int64).reshape(-1)
    return Scales(index, said)


def _run_together(
    logs: NDArray[np.float64],
    chained: NDArray[np.int64],
    tol: float,
    design: Mapping[str, ArrayLike],
) -> str | None:
    """Why the sizes ``logs`` (chained into ``chained``) are no grid, in words, or ``None``."""
    counts = np.bincount(chained)
    big = int(np.argmax(counts))
    span = float(np.ptp(logs[chained == big]))
    if counts[big] * 2 > len(logs) and span > _RUN_TOGETHER:
        return (
            f"{counts[big]} of the {len(logs)} runs chain into one scale over {span:.2f} "
            f"decades, each within {tol:g} decades of the next"
        )
    steps = np.diff(np.sort(logs[np.isfinite(logs)]))
    if len(logs) < _RANGE_RUNS or not len(steps) or float(np.median(steps)) > tol:
        return None  # few runs, or sizes spaced apart: a ladder, a scale per size
    columns = [logs, *(np.log10(np.asarray(v, dtype=np.float64)) for v in design.values())]
    if any(_distinct(c) * 2 <= len(logs) for c in columns):
        return None  # runs share sizes: a grid, whatever the widths of its chains
    widths = np.array([np.ptp(logs[chained == k]) for k in range(len(counts))])
    level = (widths <= _RUN_TOGETHER) & (counts >= _LEVEL_RUNS)
    loose = len(logs) - int(counts[level].sum())
    if loose * 2 < len(logs):
        return None  # most runs in tight clusters: budgets whose runs differ a little
    also = f", and its own {' and '.join(design)}" if design else ""
    return (
        f"no size is shared by runs (each run has its own{also}) and {loose} of the "
        f"{len(logs)} runs lie outside clusters of {_LEVEL_RUNS}+ runs within "
        f"{_RUN_TOGETHER:g} decades: sizes drawn from a range, not a grid"
    )


def _distinct(logs: NDArray[np.float64]) -> int:
    """How many distinct sizes ``logs`` (log10) take, sizes within :data:`_SAME_SIZE` one."""
    finite = logs[np.isfinite(logs)]
    return int(_chained(finite, _SAME_SIZE).max()) + 1 if len(finite) else 0


def _chained(logs: NDArray[np.float64], tol: float) -> NDArray[np.int64]:
    """Scale index of each run: sizes (``logs``, log10) within ``tol`` decades chain into one."""
    order = np.argsort(logs, kind="stable")
    index = np.empty(len(logs), dtype=np.int64)
    index[order] = np.concatenate([[0], np.cumsum(np.diff(logs[order]) > tol)])[: len(logs)]
    return index

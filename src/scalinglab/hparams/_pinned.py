"""The warning of cells whose located lr* has an interval of no width: a coarse lr grid.

A cell's surface is fitted to the runs of its window, each weighted by how near its loss is
to the cell's best (``exp(-(loss/best - 1)/sharpness)``, sharpness 0.005). On a grid of a few
learning rates a factor of 3 apart (a ladder's ``lr_sweep = [0.3, 1, 3, 10]``), only the
best run and its neighbours weigh anything, as few as the surface has coefficients: it
passes through them, and every resample that keeps them gives the same vertex. The interval
then has no width, which reads as certainty; it is none, and neither are the laws' intervals
built on those resamples.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from scalinglab._format import join_first
from scalinglab.hparams._optimum import CellOptimum
from scalinglab.hparams._sweep import Sweep

__all__ = ["pinned_warning"]

#: An interval narrower than this, in log lr (0.1%), has no width: the Step Law cells'
#: intervals span 5% and more.
_NO_WIDTH = 1e-3


def _step(lrs: np.ndarray) -> float:
    """The median factor between a cell's consecutive distinct learning rates."""
    steps = np.diff(np.log(np.unique(lrs)))
    return float(np.exp(np.median(steps))) if len(steps) else math.nan


def pinned_warning(sweep: Sweep, cells: Sequence[CellOptimum]) -> list[str]:
    """One warning naming the bracketed cells whose lr* interval has no width (see the
    module), with their grid's lr step; empty where there are none or no intervals."""
    pinned = [
        (c, i)
        for i, c in enumerate(cells)
        if c.bracketed
        and all(math.isfinite(v) and v > 0 for v in c.lr_interval)
        and math.log(c.lr_interval[1] / c.lr_interval[0]) < _NO_WIDTH
    ]
    if not pinned:
        return []
    steps = [_step(sweep.lr[sweep.cell == i]) for _, i in pinned]
    step = (
        f"x{min(steps):.2g}" if min(steps) == max(steps) else f"x{min(steps):.2g}-{max(steps):.2g}"
    )
    which = join_first([c.label() for c, _ in pinned], 3)
    return [
        f"lr* of {len(pinned)} cell(s) ({which}) has an interval of no width: on an lr grid "
        f"of steps {step}, only the best run and its neighbours weigh in the surface (runs "
        "weigh by how near their loss is to the best), as few as its coefficients, so it "
        "passes through them and no resample moves it; these intervals, and the laws' "
        "built on them, are no measure of uncertainty — sweep finer lr steps around each "
        "cell's best (Step Law's grids step about x1.4)"
    ]

"""Cells whose lr* the runs pin to the grid: a coarse lr grid, and intervals of no width.

A cell's surface is fitted to the runs of its window, each weighted by how near its loss is
to the cell's best (``exp(-(loss/best - 1)/sharpness)``, sharpness 0.005). On a grid of a few
learning rates a factor of 3 apart (a ladder's ``lr_sweep = [0.3, 1, 3, 10]``), only the
best run and a neighbour or two weigh anything (their losses lie within a few sharpnesses
of the best; the next ones 2-10% above it), no more than the surface has coefficients. The
surface passes through them, and a bootstrap of the runs cannot measure its vertex: a
resample that keeps them refits the same curve, one that drops one has no surface. The
intervals it gave had no width (on synthetic ×3 sweeps with 0.2-0.5% noise, 90% intervals
held the true lr* in 0-38% of the cells; ``benchmarks/RESULTS.md``), and so had the laws'
coefficients built on those draws.

The cause is no lack of resamples but of runs: with no more runs weighing in than
coefficients, nothing in the cell measures the loss's noise, so neither a residual
bootstrap nor a noise floor has a scale to work with. What the grid does say is where the
minimum lies: for a loss with one valley in lr, it lies between the best run's
neighbouring learning rates, unless the noise reorders the runs, and on such a grid the
neighbours lie several sharpnesses (1-10%) above the best, far above a run's noise. Such a
cell's interval is that bracket, the best run's lower to upper neighbour (the lr step either
side), and its draws for the laws are spread uniformly in log lr over it (nothing in the
runs says where in it): a conservative interval (on the ×3 sweeps it held the true lr* in
every cell) in place of a false one. The same holds of B* on a 2-D cell. The loss at the
optimum has no such bracket (the best run's loss bounds it from above alone), so it is not
measured: the loss* law of a fit with such a cell has no interval. Cells with more runs
weighing in (the Step Law cells: 11 or more for 7 coefficients) keep the bootstrap.

Whether the grid pins a cell is decided once, as it is located, and kept as data
(:attr:`CellOptimum.pinned <scalinglab.hparams.CellOptimum.pinned>`, saved with the fit):
the warning, the loss* law's missing interval and why a prediction's loss* has none read it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from scalinglab._format import format_counted, format_g, join_first

if TYPE_CHECKING:
    from scalinglab.hparams._optimum import CellOptimum
    from scalinglab.hparams._sweep import Sweep

__all__ = [
    "PINNED_SAID",
    "UNMEASURED",
    "grid_bracket",
    "pinned",
    "pinned_warning",
    "spread_over",
]

Array = NDArray[np.float64]

#: What :func:`pinned_warning` says of the lr* of a cell the grid pins, and the cells tables
#: beside its status (:func:`~scalinglab.hparams._bracket.shown_status`); which cells it is
#: is each one's :attr:`~scalinglab.hparams.CellOptimum.pinned`, never read off these words.
PINNED_SAID = "known only to the grid"

#: Why the loss* law of a fit with a pinned cell has no interval, as a prediction's note and
#: the report's laws table say it (:func:`pinned_warning` names the cells).
UNMEASURED = (
    f"its cells' loss* is not measured (the lr grid pins their lr*: {PINNED_SAID}, see the warning)"
)

#: A run weighs in a cell's surface when its weight is at least this (its loss within
#: ``4.6 x sharpness``, 2.3% at the default, of the best).
WEIGHS_IN = 0.01


def weighing_in(loss: Array, *, sharpness: float) -> int:
    """How many of a cell's runs (``loss``, any not finite left out) weigh in its surface."""
    finite = loss[np.isfinite(loss)]
    if not len(finite):
        return 0
    with np.errstate(all="ignore"):
        weight = np.exp(-(finite / np.min(finite) - 1.0) / sharpness)
    return int(np.sum(weight >= WEIGHS_IN))


def pinned(loss: Array, *, sharpness: float, n_coef: int) -> bool:
    """Whether no more of a cell's runs weigh in its surface than it has coefficients."""
    return weighing_in(loss, sharpness=sharpness) <= n_coef


def grid_bracket(values: Array, best: float, estimate: float) -> tuple[float, float]:
    """The grid's neighbours of ``best`` among ``values`` (``nan`` past an edge), widened to
    hold ``estimate``."""
    grid = np.unique(values[np.isfinite(values)])
    below, above = grid[grid < best], grid[grid > best]
    lo = float(below.max()) if len(below) else math.nan
    hi = float(above.min()) if len(above) else math.nan
    return min(lo, estimate), max(hi, estimate)


def spread_over(rng: np.random.Generator, bounds: tuple[float, float], n: int) -> Array:
    """``n`` draws in log space spread uniformly over positive ``bounds`` (NaN without)."""
    lo, hi = bounds
    if not (math.isfinite(lo) and math.isfinite(hi) and 0 < lo <= hi):
        return np.full(n, math.nan)
    return rng.uniform(math.log(lo), math.log(hi), size=n)


def _step(lrs: np.ndarray) -> float:
    """The median factor between a cell's consecutive distinct learning rates."""
    steps = np.diff(np.log(np.unique(lrs)))
    return float(np.exp(np.median(steps))) if len(steps) else math.nan


def pinned_warning(
    sweep: Sweep, cells: Sequence[CellOptimum], *, sharpness: float, bootstrap: int
) -> list[str]:
    """One warning naming the cells the grid pins (their :attr:`~CellOptimum.pinned`, set as
    they were located), with their grid's lr step and the runs that weigh in, and that the
    loss* law has no interval; empty where there are none or no intervals."""
    if not bootstrap:
        return []
    found = [
        (c, i, weighing_in(sweep.loss[sweep.cell == i], sharpness=sharpness))
        for i, c in enumerate(cells)
        if c.pinned
    ]
    if not found:
        return []
    steps = [_step(sweep.lr[sweep.cell == i]) for _, i, _ in found]
    lo, hi = format_g(min(steps), 2), format_g(max(steps), 2)
    # x6, not x6-6, where the cells' steps differ past the 2 digits shown
    step = f"x{lo}" if lo == hi else f"x{lo}-{hi}"
    n_in = sorted({n for _, _, n in found})
    runs = f"{n_in[0]}" if len(n_in) == 1 else f"{n_in[0]}-{n_in[-1]}"
    ks = sorted({len(c.coef) for c, _, _ in found})
    k = f"{ks[0]}" if len(ks) == 1 else f"{ks[0]}-{ks[-1]}"
    which = join_first([c.label() for c, _, _ in found], 3)
    weigh = "1 run weighs" if runs == "1" else f"{runs} runs weigh"
    its, are = ("its", "interval is") if len(found) == 1 else ("their", "intervals are")
    return [
        f"lr* of {format_counted(len(found), 'cell')} ({which}) is {PINNED_SAID}: on an lr "
        f"grid of steps {step}, {weigh} in each surface (loss within "
        f"{format_g(100 * sharpness * -math.log(WEIGHS_IN), 2)}% of the best) for its {k} "
        f"coefficients, so resampling them cannot measure its optimum; {its} {are} the best "
        "run's neighbouring lrs (where a loss of one valley has its minimum), and the laws' "
        f"draws spread over them; {its} loss* is not measured, and the loss* law has no "
        "interval — sweep finer lr steps around each cell's best (Step Law's grids step "
        "about x1.4)"
    ]

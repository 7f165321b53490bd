"""Loss regret of a predicted (lr, batch) on a held-out cell, read two ways.

- **on the cell's surface** (the issue's definition): the cell's fitted quadratic at the
  prediction over its minimum, minus one;
- **off the cell's runs**, independent of any surface: the non-diverged runs' losses
  interpolated linearly over (log lr, log batch) at the prediction, over the best run's,
  minus one (NaN, and why, outside the grid or next to a grid point with no usable run:
  never run, or diverged). Linear interpolation of a convex bowl overstates every method's
  regret a little.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from scalinglab._format import format_count, format_g
from scalinglab.hparams._optimum import CellOptimum
from scalinglab.hparams._sweep import Sweep

__all__ = ["HOLE", "OUTSIDE", "runs_regret", "surface_regret"]


def surface_regret(cell: CellOptimum, lr: float, batch: float) -> tuple[float, bool]:
    """Regret on the cell's surface, and whether the point is beyond its window."""
    value = float(cell.surface(lr, batch if cell.two_d else None))
    u = math.log(lr) - cell.center[0]
    far = abs(u) > math.log(4.0)
    if cell.two_d:
        far |= abs(math.log(batch) - cell.center[1]) > math.log(4.0)
    return value / cell.loss - 1.0, bool(far)


def _axis(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Grid lines of one log axis (values within 2% merged) and each value's line index."""
    keys = np.round(values * 50.0)
    lines, index = np.unique(keys, return_inverse=True)
    centres = np.array([values[index == k].mean() for k in range(len(lines))])
    return centres, index.ravel()


def _corners(
    lines: Sequence[np.ndarray], q: Sequence[float]
) -> tuple[list[tuple[np.ndarray, np.ndarray]], bool]:
    """Per axis, the two grid lines about ``q`` (indices, weights), and whether ``q`` lies
    within the grid."""
    at, inside = [], True
    for g, v in zip(lines, q, strict=True):
        i = np.clip(np.searchsorted(g, v) - 1, 0, len(g) - 2)
        t = (v - g[i]) / (g[i + 1] - g[i])
        inside &= bool(g[0] - 1e-12 <= v <= g[-1] + 1e-12)
        at.append((np.array([i, i + 1]), np.array([1.0 - t, t])))
    return at, inside


def _read(
    grid: np.ndarray, lines: Sequence[np.ndarray], q: Sequence[float]
) -> tuple[float, str, tuple[float, ...]]:
    """Multilinear interpolation on a rectangular grid with holes at one point ``q`` (logs);
    where it gives NaN, why (:data:`OUTSIDE`, or :data:`HOLE` and the hole's logs)."""
    if any(len(g) < 2 for g in lines):
        return math.nan, f"{OUTSIDE} (a single {'lr' if len(lines[0]) < 2 else 'batch'})", ()
    at, inside = _corners(lines, q)
    if not inside:
        return math.nan, OUTSIDE, ()
    values = grid[np.ix_(*(idx for idx, _ in at))]
    weights = np.multiply.outer(*(w for _, w in at)) if len(at) == 2 else at[0][1]
    missing = np.isnan(values) & (weights > 0)
    if missing.any():
        k = np.argwhere(missing)[0]  # the first corner about q with no usable run
        return math.nan, HOLE, tuple(float(lines[a][at[a][0][k[a]]]) for a in range(len(at)))
    return float(np.sum(np.where(weights > 0, values, 0.0) * weights)), "", ()


#: Why a prediction's grid regret is NaN, when it lies beyond the runs.
OUTSIDE = "outside the cell's grid of runs"
#: ... and when a grid point beside it has no usable run.
HOLE = "next to a grid point"


def _hole(logs: tuple[float, ...], ran: Sequence[np.ndarray]) -> str:
    """The grid point ``logs`` as the note names it, and whether it was run (and diverged)."""
    where = f"lr {format_g(math.exp(logs[0]), 3)}" + (
        f", batch {format_count(math.exp(logs[1]))}" if len(logs) > 1 else ""
    )
    near = np.all([np.abs(r - v) < 0.02 for r, v in zip(ran, logs, strict=False)], axis=0)
    return f"{HOLE} {'whose run diverged' if near.any() else 'never run'} ({where})"


def runs_regret(
    sweep: Sweep, index: int, cell: CellOptimum, two_d: bool
) -> Callable[[float, float], tuple[float, str]]:
    """Regret read off the cell's non-diverged runs: linear interpolation on the cell's grid
    in (log lr, log batch) at one prediction, and ``""``; or NaN and why (:data:`OUTSIDE`
    the grid, or next to a grid point never run or whose run diverged, named)."""
    ran = [np.log(sweep.lr[sweep.cell == index])]  # every run of the cell, diverged too
    mask = (sweep.cell == index) & np.isfinite(sweep.loss)
    ids = set(cell.diverged)
    mask &= np.array([r not in ids for r in sweep.table.runs])
    loss = sweep.loss[mask]
    best = float(loss.min())
    gx, ix = _axis(np.log(sweep.lr[mask]))
    grid: np.ndarray = np.full(len(gx), np.inf)
    lines: tuple[np.ndarray, ...] = (gx,)
    if two_d and sweep.batch is not None:
        ran.append(np.log(sweep.batch[sweep.cell == index]))
        gy, iy = _axis(np.log(sweep.batch[mask]))
        grid = np.full((len(gx), len(gy)), np.nan)
        grid[ix, iy] = loss
        lines = (gx, gy)
    else:
        np.minimum.at(grid, ix, loss)  # one loss per lr: the best over batches at that lr

    def read(lr: float, b: float) -> tuple[float, str]:
        value, why, hole = _read(grid, lines, (math.log(lr), math.log(b))[: len(lines)])
        return value / best - 1.0, _hole(hole, ran) if hole else why

    return read

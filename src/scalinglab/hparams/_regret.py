"""Loss regret of a predicted (lr, batch) on a held-out cell, read two ways.

- **on the cell's surface** (the issue's definition): the cell's fitted quadratic at the
  prediction over its minimum, minus one;
- **off the cell's runs**, independent of any surface: the non-diverged runs' losses
  interpolated linearly over (log lr, log batch) at the prediction, over the best run's,
  minus one (NaN outside the grid or next to a grid point that was not run). Linear
  interpolation of a convex bowl overstates every method's regret a little.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from scalinglab.hparams._optimum import CellOptimum
from scalinglab.hparams._sweep import Sweep

__all__ = ["runs_regret", "surface_regret"]


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


def _bilinear(
    grid: np.ndarray, lines: Sequence[np.ndarray], query: Sequence[np.ndarray]
) -> np.ndarray:
    """Multilinear interpolation on a rectangular grid with holes (NaN where a corner is one)."""
    weights_at: list[list[tuple[np.ndarray, np.ndarray]]] = []
    inside = np.ones(len(query[0]), dtype=bool)
    for g, q in zip(lines, query, strict=True):
        if len(g) < 2:
            return np.full(len(q), np.nan)
        i = np.clip(np.searchsorted(g, q) - 1, 0, len(g) - 2)
        t = (q - g[i]) / (g[i + 1] - g[i])
        inside &= (q >= g[0] - 1e-12) & (q <= g[-1] + 1e-12)
        weights_at.append([(i, 1.0 - t), (i + 1, t)])
    total = np.zeros(len(query[0]))
    if len(lines) == 1:
        for idx, w in weights_at[0]:
            total += w * grid[idx]
    else:
        for ix, wx in weights_at[0]:
            for iy, wy in weights_at[1]:
                total += wx * wy * grid[ix, iy]
    return np.where(inside, total, np.nan)


def runs_regret(
    sweep: Sweep, index: int, cell: CellOptimum, two_d: bool
) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """Regret read off the cell's non-diverged runs: linear interpolation on the cell's grid
    in (log lr, log batch); NaN outside the grid or next to a grid point that was not run."""
    mask = (sweep.cell == index) & np.isfinite(sweep.loss)
    ids = set(cell.diverged)
    mask &= np.array([r not in ids for r in sweep.table.runs])
    loss = sweep.loss[mask]
    best = float(loss.min())
    gx, ix = _axis(np.log(sweep.lr[mask]))
    if two_d and sweep.batch is not None:
        gy, iy = _axis(np.log(sweep.batch[mask]))
        grid = np.full((len(gx), len(gy)), np.nan)
        grid[ix, iy] = loss
        return lambda lr, b: _bilinear(grid, (gx, gy), (np.log(lr), np.log(b))) / best - 1.0
    line = np.full(len(gx), np.inf)
    np.minimum.at(line, ix, loss)  # one loss per lr: the best over batches at that lr
    return lambda lr, b: _bilinear(line, (gx,), (np.log(lr),)) / best - 1.0

"""The envelope's arithmetic on its FLOP grid: every run's curve interpolated onto the grid,
and the run lowest at each grid value, for the runs as given and for bootstrap resamples."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import DataError
from scalinglab._progress import Progress
from scalinglab.data._curves import Curves

__all__ = ["on_grid", "resampled", "winners"]

Array = NDArray[np.float64]
_CHUNK = 100  # resamples per batch: memory is CHUNK × runs × grid


def on_grid(curves: Curves, grid: Array) -> tuple[list[str], Array, Array, list[str]]:
    """Each run's loss at each grid value (NaN outside its curve): ids, N, (runs, grid)."""
    flops, notes = curves.flops, []
    order: dict[str, list[int]] = {}
    for i, run in enumerate(curves.runs):
        order.setdefault(run, []).append(i)
    ids, sizes, rows = [], [], []
    short = []
    for run, idx in order.items():
        x = np.log10(flops[idx])
        y = curves.loss[idx]
        x, first = np.unique(x, return_index=True)  # sorted; repeated points: the first
        if len(x) < 2:
            short.append(run)
            continue
        y = y[first]
        inside = (grid >= x[0]) & (grid <= x[-1])
        rows.append(np.where(inside, np.interp(grid, x, y), np.nan))
        ids.append(run)
        sizes.append(curves.params[idx[0]])
    if not ids:  # final losses, one point a run: nothing to interpolate, no curve to compare
        raise DataError(
            f"no run has 2+ points (all {len(short)} have one): the envelope reads loss curves, "
            "several checkpoints per run",
            source=curves.source,
            hint="for final losses (one row per run) use isoflop or fit",
        )
    if short:
        notes.append(f"{len(short)} run(s) with fewer than 2 points skipped: {short[:5]}")
    return ids, np.asarray(sizes, dtype=np.float64), np.array(rows).reshape(len(ids), -1), notes


def winners(loss: Array, logn: Array, present: NDArray[np.bool_]) -> tuple[Array, Array, Array]:
    """For each resample (rows of ``present``): log10 N on the envelope at each grid value
    (NaN where not usable), the envelope loss, and whether the value counts (not at an edge).

    ``loss`` is (runs, grid); ``present`` is (B, runs).
    """
    reach = present[:, :, None] & np.isfinite(loss)[None]  # (B, R, G)
    masked = np.where(reach, loss[None], np.inf)
    best = np.argmin(masked, axis=1)  # (B, G)
    env = np.take_along_axis(masked, best[:, None, :], axis=1)[:, 0, :]
    n_reach = reach.sum(axis=1)
    win = logn[best]
    lo = np.where(reach, logn[None, :, None], np.inf).min(axis=1)
    hi = np.where(reach, logn[None, :, None], -np.inf).max(axis=1)
    usable = (n_reach >= 2) & (win > lo) & (win < hi)
    env = np.where(n_reach >= 1, env, np.nan)
    return np.where(usable, win, np.nan), env, usable


def resampled(
    loss: Array, logn: Array, *, bootstrap: int, seed: int, progress: Progress | None
) -> Array:
    """log10 N on the envelope of ``bootstrap`` resamples of whole runs, one row each (NaN
    where a grid value is not usable in that resample), in batches of :data:`_CHUNK`."""
    rng = np.random.default_rng(seed)
    n_runs = loss.shape[0]
    chunks = []
    for start in range(0, bootstrap, _CHUNK):
        k = min(_CHUNK, bootstrap - start)
        picks = rng.integers(0, n_runs, size=(k, n_runs))
        present = np.zeros((k, n_runs), dtype=bool)
        present[np.arange(k)[:, None], picks] = True
        chunks.append(winners(loss, logn, present)[0])
        if progress is not None:
            progress("bootstrap", start + k, bootstrap)
    return np.concatenate(chunks)

"""The envelope's arithmetic on its FLOP grid: every run's curve interpolated onto the grid,
and the run lowest at each grid value, for the runs as given and for bootstrap resamples."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import DataError
from scalinglab._format import format_counted
from scalinglab._progress import Progress
from scalinglab.data._curves import Curves
from scalinglab.validate._envelope_edge import beyond
from scalinglab.validate._envelope_noise import levels, run_noise, scatter

__all__ = ["OnGrid", "Winners", "on_grid", "resampled", "winners"]

Array = NDArray[np.float64]
_CHUNK = 100  # resamples per batch: memory is CHUNK × runs × grid


@dataclass(frozen=True)
class OnGrid:
    """The runs' curves on the grid.

    Attributes:
        ids: Run ids, one per row of ``loss``.
        sizes: ``N`` of each run.
        loss: (runs, grid): each run's loss at each grid value, NaN outside its curve.
        level: (runs, grid): the curve's local level of ``ln loss`` there
            (:func:`~._envelope_noise.levels`).
        se: (runs, grid): the standard error of ``level``.
        noise: Each run's ``σ`` of ``ln loss`` (:func:`~._envelope_noise.scatter`).
        notes: Runs skipped, and why.
    """

    ids: list[str]
    sizes: Array
    loss: Array
    level: Array
    se: Array
    noise: Array
    notes: list[str]


def on_grid(curves: Curves, grid: Array) -> OnGrid:
    """Each run's curve interpolated in log10 C onto ``grid`` (never beyond its ends), with
    its level and standard error from the points within a grid step of each value.

    Raises:
        DataError: No run has 2 or more points.
    """
    flops, notes = curves.flops, []
    order: dict[str, list[int]] = {}
    for i, run in enumerate(curves.runs):
        order.setdefault(run, []).append(i)
    ids, sizes, points = [], [], []
    short = []
    for run, idx in order.items():
        x = np.log10(flops[idx])
        x, first = np.unique(x, return_index=True)  # sorted; repeated points: the first
        if len(x) < 2:
            short.append(run)
            continue
        points.append((x, curves.loss[idx][first]))
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
        notes.append(
            f"{format_counted(len(short), 'run')} with fewer than 2 points skipped: {short[:5]}"
        )
    noise = run_noise([scatter(x, y) for x, y in points])
    half = float(grid[1] - grid[0]) if len(grid) > 1 else 0.0
    loss, level, se = (np.full((len(ids), len(grid)), np.nan) for _ in range(3))
    for r, (x, y) in enumerate(points):
        inside = (grid >= x[0]) & (grid <= x[-1])
        loss[r] = np.where(inside, np.interp(grid, x, y), np.nan)
        level[r], se[r] = levels(x, np.log(y), grid, sigma=float(noise[r]), half=half)
    return OnGrid(ids, np.asarray(sizes, dtype=np.float64), loss, level, se, noise, notes)


@dataclass(frozen=True)
class Winners:
    """The envelope of each resample, (B, grid) arrays.

    Attributes:
        logn: log10 N of the lowest run; NaN where the grid value is not usable.
        loss: The lowest loss (NaN where no run reaches).
        usable: Whether the grid value enters the power law.
        edge: The winner is the smallest or largest model reaching, or fewer than 2 reach.
        near_small: Not at the edge, but the smallest model reaching is within the noise
            of the winner.
        near_large: The same of the largest model reaching.
    """

    logn: Array
    loss: Array
    usable: NDArray[np.bool_]
    edge: NDArray[np.bool_]
    near_small: NDArray[np.bool_]
    near_large: NDArray[np.bool_]


def winners(data: OnGrid, logn: Array, present: NDArray[np.bool_], *, z: float) -> Winners:
    """The envelope of each resample (rows of ``present``, (B, runs)) of ``data``: a grid
    value counts unless it is at the edge or, ``z > 0``, near it (the smallest or largest
    model's level within ``z·sqrt(se_edge² + se_win²)`` of the winner's, the lowest run of
    that size; or so at a neighbour, :func:`beyond`)."""
    loss = data.loss
    reach = present[:, :, None] & np.isfinite(loss)[None]  # (B, R, G)
    lnloss = np.where(reach, np.log(np.where(np.isfinite(loss), loss, 1.0))[None], np.inf)
    best = np.argmin(lnloss, axis=1)  # (B, G)
    n_reach = reach.sum(axis=1)
    win = logn[best]
    sizes = logn[None, :, None]
    lo = np.where(reach, sizes, np.inf).min(axis=1)
    hi = np.where(reach, sizes, -np.inf).max(axis=1)
    at_small = (n_reach >= 2) & (win <= lo)
    at_large = (n_reach >= 2) & (win >= hi)
    edge = (n_reach < 2) | at_small | at_large
    near = [np.zeros_like(edge), np.zeros_like(edge)]
    if z > 0:
        for side, bound in enumerate((lo, hi)):  # the lowest run of the smallest size, ...
            pick = np.argmin(np.where(sizes == bound[:, None, :], lnloss, np.inf), axis=1)
            gap = _pair(data.level, pick, best, np.subtract)
            near[side] = gap <= z * _pair(data.se, pick, best, np.hypot)
        small, large = beyond(at_small | near[0], at_large | near[1], lo, hi)
        near = [~edge & small, ~edge & large]
    usable = ~edge & ~near[0] & ~near[1]
    env = np.where(n_reach >= 1, loss[best, np.arange(loss.shape[1])], np.nan)
    return Winners(np.where(usable, win, np.nan), env, usable, edge, near[0], near[1])


def _pair(
    values: Array, first: NDArray[np.intp], second: NDArray[np.intp], join: np.ufunc
) -> Array:
    """``join(values[first[b, g], g], values[second[b, g], g])``: (runs, G) to (B, G)."""
    column = np.arange(values.shape[1])
    with np.errstate(invalid="ignore"):  # NaN where no run reaches: not near
        return np.asarray(join(values[first, column], values[second, column]))


def resampled(
    data: OnGrid,
    logn: Array,
    *,
    z: float,
    bootstrap: int,
    seed: int,
    progress: Progress | None,
) -> Array:
    """log10 N on the envelope of ``bootstrap`` resamples of whole runs, one row each (NaN
    where a grid value is not usable in that resample, by the rule of :func:`winners`), in
    batches of :data:`_CHUNK`."""
    rng = np.random.default_rng(seed)
    n_runs = data.loss.shape[0]
    chunks = []
    for start in range(0, bootstrap, _CHUNK):
        k = min(_CHUNK, bootstrap - start)
        picks = rng.integers(0, n_runs, size=(k, n_runs))
        present = np.zeros((k, n_runs), dtype=bool)
        present[np.arange(k)[:, None], picks] = True
        chunks.append(winners(data, logn, present, z=z).logn)
        if progress is not None:
            progress("bootstrap", start + k, bootstrap)
    return np.concatenate(chunks)

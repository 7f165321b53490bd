"""Each cell's optimum, located on a smooth surface fitted around the minimum.

The raw argmin of a sweep moves by a grid step with a little noise; a smooth surface of
loss over ``(log lr, log batch)`` (over ``log lr`` alone when one batch was used) fitted to
the runs near the minimum does not. The surface is a quadratic with a cubic term in
``log lr`` (``surface="cubic"``, the default: the valley is steeper above the optimal lr
than below it) or the plain quadratic (``surface="quadratic"``, the method before); see
``_surface``. The stated rules:

- **diverged**: a run whose loss is not finite or above ``diverged`` (1.5) times the cell's
  best loss. Such runs are named in the result and kept out of the surface, never dropped
  silently; they still mark the edges of the grid.
- **window**: the runs within a factor ``span`` (4) of the best run in learning rate and in
  batch, widened until there are enough runs for the surface; then re-centred once on the
  located optimum and refitted.
- **bracketed**: the best run lies strictly inside the cell's grid (not at its smallest or
  largest learning rate or batch) and so does the located optimum. Unbracketed cells are
  flagged and, by default, left out of the laws; a cell whose runs above the best lr all
  diverged is bracketed by them, with a status that says so (``_bracket``).
- **intervals**: bootstrap over the cell's runs (resampled with replacement, the surface
  refitted on the resampled runs in the window), all resamples as one batched solve; where
  no more runs weigh in than the surface has coefficients (a coarse lr grid: the cell is
  ``pinned``), the best run's neighbouring lrs, and draws spread over them (``_pinned``).
"""

from __future__ import annotations

import math
from functools import partial

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ConfigError, DataError, did_you_mean
from scalinglab._format import format_g
from scalinglab._progress import Progress
from scalinglab.hparams._bracket import cell_status, is_ok
from scalinglab.hparams._cell_optimum import FLAT, CellOptimum
from scalinglab.hparams._interval import Interval
from scalinglab.hparams._pinned import grid_bracket, pinned, spread_over
from scalinglab.hparams._skip_cells import check_locatable
from scalinglab.hparams._spread import log_interval
from scalinglab.hparams._surface import (
    SURFACES,
    features,
    fit_window,
    solve,
    vertex,
)
from scalinglab.hparams._sweep import Sweep

__all__ = ["FLAT", "CellOptimum", "locate_optima"]

Array = NDArray[np.float64]


def locate_optima(
    sweep: Sweep,
    *,
    span: float = 4.0,
    sharpness: float = 0.005,
    diverged: float = 1.5,
    bootstrap: int = 1000,
    level: float = 0.9,
    seed: int = 0,
    surface: str = "cubic",
    progress: Progress | None = None,
) -> tuple[CellOptimum, ...]:
    """Locate every cell's optimum on a local smooth surface, with bootstrap intervals.

    Args:
        sweep: The runs, grouped into cells.
        span: Half-width of the window around the best run, as a factor in lr and batch.
        sharpness: Runs in the window weigh ``exp(-(loss/best - 1)/sharpness)``: the
            surface follows the bottom of the valley rather than its asymmetric walls.
        diverged: A run with loss above this times the cell's best (or not finite) diverged.
        bootstrap: Resamples of each cell's runs (0 for none).
        level: Coverage of the intervals.
        seed: Seed of the resampling; same seed, same result.
        surface: ``"cubic"`` (a cubic term in log lr: the valley's asymmetry) or
            ``"quadratic"``.
        progress: Called as ``progress("cells", done, total)`` as each cell is located.

    Returns:
        Each cell's located optimum, with its intervals.

    Raises:
        ConfigError: An unknown surface.
        DataError: Every cell of a single learning rate or of no finite loss (one such
            cell among others: :func:`read_sweep` leaves it out, a sweep built otherwise is
            refused at it).
    """
    if surface not in SURFACES:
        raise ConfigError(
            f"unknown surface {surface!r}; the surfaces are "
            f"{', '.join(SURFACES)}{did_you_mean(surface, SURFACES)}",
            hint="choose one with --surface NAME (surface= in Python)",
        )
    check_locatable(sweep)  # no cell of two lrs with a finite loss: said once, for all
    cubic = surface == "cubic"
    rng = np.random.default_rng(seed)
    out = []
    two_d_sweep = sweep.batch is not None and any(
        len(np.unique(sweep.batch[sweep.cell == c])) > 1 for c in range(sweep.n_cells)
    )
    for c in range(sweep.n_cells):
        idx = np.flatnonzero(sweep.cell == c)
        keys = {name: float(sweep.keys[c, k]) for k, name in enumerate(sweep.by)}
        where = " ".join(f"{k}={format_g(v)}" for k, v in keys.items())
        lr = sweep.lr[idx]
        batch = sweep.batch[idx] if sweep.batch is not None else np.ones_like(lr)
        loss = sweep.loss[idx]
        finite = np.isfinite(loss)
        if not finite.any():
            raise DataError(
                f"every run of the cell {where} diverged (no finite loss)",
                source=sweep.table.source,
                hint="remove the cell, or check the loss column",
            )
        best_loss = float(np.min(loss[finite]))
        bad = ~finite | (loss > diverged * best_loss)
        if len(np.unique(lr)) < 2:
            raise DataError(
                f"the cell {where} has a single learning rate ({format_g(lr[0])}); locating an "
                "optimum needs a sweep over lr",
                source=sweep.table.source,
                row=sweep.table.rows[idx[0]],
                column=sweep.columns["lr"],
                hint="group runs into cells that sweep lr (--by), or drop that cell",
            )
        two_d = two_d_sweep and len(np.unique(batch)) > 1
        ib = int(np.flatnonzero(~bad)[np.argmin(loss[~bad])])
        x, y = np.log(lr), np.log(batch)
        good = ~bad
        with np.errstate(all="ignore"):
            weight = np.where(good, np.exp(-(loss / best_loss - 1.0) / sharpness), 0.0)

        fit_at = partial(fit_window, x, y, loss, weight, good, two_d=two_d, cubic=cubic)

        width = math.log(span)
        cx, cy = float(x[ib]), float(y[ib])
        win, coef = fit_at(at=(cx, cy), width=width)
        u, v, _ = vertex(coef)
        if np.isfinite(u) and abs(u) < width and abs(v) < width:
            cx, cy = cx + float(u), cy + float(v)  # re-centre once on the located optimum
            win, coef = fit_at(at=(cx, cy), width=width)
        u, v, lstar = vertex(coef)

        status = cell_status(lr, batch, bad, ib, (cx + float(u), cy + float(v)), two_d=two_d)
        ok_vertex = np.isfinite(u)
        opt_lr = float(np.exp(cx + u)) if ok_vertex else float(lr[ib])
        opt_b = float(np.exp(cy + v)) if (ok_vertex and two_d) else float(batch[ib])

        pins = is_ok(status) and pinned(loss, sharpness=sharpness, n_coef=len(coef))  # _pinned
        samples = None
        lr_iv = b_iv = (math.nan, math.nan)
        if bootstrap:
            picks = rng.integers(0, len(idx), size=(bootstrap, len(idx)))
            counts = np.zeros((bootstrap, len(idx)))
            np.add.at(counts, (np.repeat(np.arange(bootstrap), len(idx)), picks.ravel()), 1.0)
            phi = features(x[win] - cx, (y[win] - cy) if two_d else None, cubic=len(coef) in (4, 7))
            bu, bv, bl = vertex(solve(phi, loss[win], counts[:, win] * weight[win]))
            samples = np.column_stack([cx + bu, cy + bv if two_d else np.full_like(bu, cy), bl])
            fine = samples[np.isfinite(samples).all(axis=1)]
            # a cell with no usable minimum (unbracketed, not convex) has no interval: its
            # resampled vertices run off to 1e-52 .. 1e40, which mean nothing
            if is_ok(status):
                lr_iv = log_interval(opt_lr, fine[:, 0], level)  # contains opt_lr (_spread)
                if two_d:
                    b_iv = log_interval(opt_b, fine[:, 1], level)
            if pins:
                on_grid = np.random.default_rng([seed, c])  # the other cells' draws as before
                lr_iv = grid_bracket(lr[batch == batch[ib]], float(lr[ib]), opt_lr)
                samples[:, 0] = spread_over(on_grid, lr_iv, bootstrap)
                if two_d:
                    b_iv = grid_bracket(batch[lr == lr[ib]], float(batch[ib]), opt_b)
                    samples[:, 1] = spread_over(on_grid, b_iv, bootstrap)
        runs = sweep.table.runs
        out.append(
            CellOptimum(
                keys=keys,
                n_runs=len(idx),
                diverged=tuple(runs[i] for i in idx[bad]),
                lr=opt_lr,
                lr_interval=Interval(*lr_iv),
                batch=opt_b if sweep.batch is not None else math.nan,
                batch_interval=Interval(*b_iv),
                loss=float(lstar) if ok_vertex else float(loss[ib]),
                best_run=runs[idx[ib]],
                best_lr=float(lr[ib]),
                best_batch=float(batch[ib]) if sweep.batch is not None else math.nan,
                best_loss=float(loss[ib]),
                bracketed=is_ok(status),
                status=status,
                center=(cx, cy),
                coef=tuple(float(t) for t in coef),
                n_window=int(win.sum()),
                pinned=pins,
                samples=samples,
            )
        )
        if progress is not None:
            progress("cells", c + 1, sweep.n_cells)
    return tuple(out)

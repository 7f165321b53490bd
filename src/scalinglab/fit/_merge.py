"""Solving a large start grid with starts merged into the best optimum once below all others.

Most of a grid's starts end at the same, best, optimum (about 3,250 of Chinchilla's 4,500
on the Chinchilla points), and spend most of their steps getting there. A start of a
descent method never climbs: once its objective is below every optimum other than the best
that any start has found, the only known optimum it can still end at is the best one. So
the grid is solved in two passes:

1. the leading starts (every :data:`LEAD_EVERY`-th, in grid order) are solved to the end;
2. the others stop as soon as an accepted step puts their objective in the window from the
   best leading start's objective (included) up to the lowest objective at which a leading
   start ended away from it (another optimum, or a start that ran out of steps), and are
   then counted at the best: its parameters and objective, status converged.

The window's top is where the leading starts ended, not only their optima, so it is at or
below every other optimum they found. A start that gets below the best leading start
continues to the end, so an optimum lower than every leader's is still found and reported
as the best. What is not proved: that a merged start could not have ended at an optimum
between the two that no leading start found; only how many starts reached the best can
differ from solving each to the end (on the 240 Chinchilla points and the bundled runs:
tests/test_fit_merge.py). When every leading start ends at the best there is no window and
nothing is merged. Each pass is deterministic and independent of the number of threads.

On the 240 Chinchilla points with the 4,500-point grid the merged starts skip about two
thirds of their steps; on the 31 bundled runs, whose other ends lie within 2e-5 of the
best, only their last few.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from scalinglab.fit._objective import Array, Objective
from scalinglab.fit._solver import SolveResult, Status, minimize

__all__ = ["LEAD_EVERY", "MERGE_FROM", "solve_grid"]

#: A default grid larger than this (a formula of six or more parameters, strided to 8,000
#: points) is screened: every point's objective is computed (one cheap pass) and the solver
#: starts from the best ``_SCREEN_TO``. Solving all 8,000 starts of a 6-parameter formula
#: on the default ladder took 55 s; the best 300 took 3.5 s and reach the same optimum.
_SCREEN_ABOVE = 5_000
_SCREEN_TO = 300

#: Every this-many-th start of the grid (in grid order) is a leading start.
LEAD_EVERY = 8
#: Grids with fewer starts than this are solved in one pass, without merging.
MERGE_FROM = 512
#: Relative distance in objective within which an end counts as the best (as ``fit``'s).
_AT_BEST_RTOL = 1e-6


def solve_grid(
    objective: Objective,
    starts: Array,
    *,
    lower: Array,
    upper: Array,
    max_steps: int,
    progress: Callable[[int, int], None] | None,
    threads: int | None,
) -> SolveResult:
    """Solve every start of ``starts`` (solver coordinates, ``(S, K)``), merging as above.

    Returns:
        Per start, as :func:`~scalinglab.fit._solver.minimize` returns them, in grid order;
        a merged start has the best leading start's parameters and objective and status
        ``CONVERGED``.
    """
    S = len(starts)
    if S < MERGE_FROM or objective.weights is not None:
        return minimize(
            objective, starts, lower=lower, upper=upper, max_steps=max_steps,
            progress=progress, threads=threads,
        )  # fmt: skip
    lead = np.arange(S) % LEAD_EVERY == 0
    first = minimize(
        objective,
        starts[lead],
        lower=lower,
        upper=upper,
        max_steps=max_steps,
        progress=None if progress is None else (lambda d, _t: progress(d, S)),
        threads=threads,
    )
    window = _window(first.objective)
    n_lead = int(lead.sum())
    rest = minimize(
        objective,
        starts[~lead],
        lower=lower,
        upper=upper,
        max_steps=max_steps,
        progress=None if progress is None else (lambda d, _t: progress(n_lead + d, S)),
        threads=threads,
        merge_window=window,
    )
    theta = np.empty((S, starts.shape[1]))
    f = np.empty(S)
    status = np.empty(S, dtype=np.int8)
    steps = np.empty(S, dtype=np.int64)
    for mask, part in ((lead, first), (~lead, rest)):
        theta[mask], f[mask], status[mask], steps[mask] = (
            part.theta,
            part.objective,
            part.status,
            part.steps,
        )
    merged = status == Status.MERGED
    if merged.any():
        best = int(np.argmin(np.where(np.isfinite(first.objective), first.objective, np.inf)))
        theta[merged] = first.theta[best]
        f[merged] = first.objective[best]
        status[merged] = Status.CONVERGED
    return SolveResult(theta=theta, objective=f, status=status, steps=steps, solver=first.solver)


def _window(f: Array) -> Array | None:
    """``[[best, level]]``: the best leading objective and the lowest at which a leading start
    ended away from it; ``None`` if all ended at the best (or none is finite)."""
    finite = f[np.isfinite(f)]
    if not len(finite):
        return None
    best = float(np.min(finite))
    away = finite[finite - best > _AT_BEST_RTOL * max(abs(best), 1e-300)]
    return np.array([[best, float(np.min(away))]]) if len(away) else None


def _screen(objective: Objective, solver_grid: Array, grid: Array, lower: Array,
            upper: Array) -> Array:  # fmt: skip
    """The ``_SCREEN_TO`` rows of ``grid`` of lowest objective, in grid order (deterministic)."""
    values = objective.value(
        np.clip(solver_grid, lower, upper), np.zeros(len(grid), dtype=np.int64)
    )
    keep = np.sort(np.argsort(values, kind="stable")[:_SCREEN_TO])
    screened: Array = grid[keep]
    return screened

"""Solving a large start grid: screening steps, then starts merged into the best optimum.

A grid of :data:`MERGE_FROM` or more starts is solved in two stages.

**Screening.** Every start takes :data:`SCREEN_STEPS` solver steps. A start that ends within
them (converged, stalled, not finite) has its final result, the same as solving it alone.
Of the others, the :data:`KEEP_EVERY`-th part of the grid (``ceil(S / KEEP_EVERY)``
starts) of lowest objective after those steps is solved to the end, each going on from where
its screening steps left it with the compiled solver's saved state (or, with the NumPy
solver, from its own start again), so along the same path, to the same bits, as without
screening; the rest stop there with status
``SCREENED``: not solved to the end, they count neither as converged nor at the best (their
objective is where they stopped). The best kept start ends at or below every stopped start's
objective (the solver never climbs, and kept starts were the lowest), so the best optimum
comes from the kept starts. What is not
proved: that a stopped start could not have descended to an optimum lower than every kept
start's; measured on the 240 Chinchilla points and the 31 bundled runs (ranks after 10 steps
against ends solved without screening), the 600 lowest after 10 steps all end at the best,
and so do the 100 lowest after 5 (``tests/test_fit_merge.py`` checks the optimum against
solving every start). ``FitResult.n_starts_at_best`` then counts kept starts, out of
``n_starts_solved``. On the bundled runs, whose fit is not identified (a start takes 147 steps on
average), this solves the grid in about an eighth of the steps. The bootstrap can screen
the same way, per resample (:func:`screened` with one group per resample), but by default
solves all six starts of each: keeping the three lowest after the screening steps halved
its steps, but on the over-training corpora about one resample in ten then ended above the
optimum its six starts reach (:data:`~scalinglab.fit._bootstrap.KEEP_OF`).

**Merging**, among the kept starts (when :data:`MERGE_FROM` or more are kept):

most of a grid's starts end at the same, best, optimum (about 3,250 of Chinchilla's 4,500
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

Merging every start of the 4,500-point grid (before the screening) skipped about two thirds
of the merged starts' steps on the 240 Chinchilla points, and only their last few on the 31
bundled runs, whose other ends lie within 2e-5 of the best. Among the starts the screening
keeps on those two sets every leading start ends at the best, so nothing is merged there;
it still serves grids whose kept starts end at several optima.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scalinglab.fit._kept import lowest_per_group
from scalinglab.fit._objective import Array, IntArray, Objective
from scalinglab.fit._solver import SolveResult, Status, minimize

__all__ = [
    "AT_BEST_RTOL",
    "KEEP_EVERY",
    "LEAD_EVERY",
    "MERGE_FROM",
    "SCREEN_STEPS",
    "best_first",
    "screened",
    "solve_grid",
]

#: A default grid larger than this (a formula of six or more parameters, strided to 8,000
#: points) is screened: every point's objective is computed (one cheap pass) and the solver
#: starts from the best ``_SCREEN_TO``. Solving all 8,000 starts of a 6-parameter formula
#: on the default ladder took 55 s; the best 300 took 3.5 s and reach the same optimum.
_SCREEN_ABOVE = 5_000
_SCREEN_TO = 300

#: Solver steps every start of a large grid takes before the screening keeps the lowest.
SCREEN_STEPS = 10
#: The screening keeps ``ceil(S / KEEP_EVERY)`` of a grid's ``S`` starts to solve to the end.
KEEP_EVERY = 8
#: Every this-many-th start of the grid (in grid order) is a leading start.
LEAD_EVERY = 8
#: Grids with fewer starts than this are solved in one pass, without screening or merging.
MERGE_FROM = 512
#: Relative distance in objective within which a start counts as having reached the best
#: (here and in :func:`~scalinglab.fit.fit`'s count).
AT_BEST_RTOL = 1e-6


def solve_grid(
    objective: Objective,
    starts: Array,
    *,
    lower: Array,
    upper: Array,
    max_iter: int,
    progress: Callable[[int, int], None] | None,
    threads: int | None,
) -> SolveResult:
    """Solve every start of ``starts`` (solver coordinates, ``(S, K)``), screening and merging
    as above.

    Returns:
        Per start, as :func:`~scalinglab.fit._solver.minimize` returns them, in grid order;
        a merged start has the best leading start's parameters and objective and status
        ``CONVERGED``; a screened-out start its point and objective after the screening
        steps and status ``SCREENED``.
    """
    S = len(starts)
    if S < MERGE_FROM or objective.weights is not None:
        return minimize(
            objective, starts, lower=lower, upper=upper, max_iter=max_iter,
            progress=progress, threads=threads,
        )  # fmt: skip
    return screened(
        objective,
        starts,
        groups=np.zeros(S, dtype=np.int64),
        keep=min(S, math.ceil(S / KEEP_EVERY)),
        lower=lower,
        upper=upper,
        max_iter=max_iter,
        progress=progress,
        threads=threads,
    )


def screened(
    objective: Objective,
    starts: Array,
    *,
    groups: IntArray,
    keep: int,
    lower: Array,
    upper: Array,
    max_iter: int,
    progress: Callable[[int, int], None] | None,
    threads: int | None,
) -> SolveResult:
    """Every start takes :data:`SCREEN_STEPS` steps; then, per group (a row of
    ``objective.weights``: one for a grid, one per resample for the bootstrap), the ``keep``
    still running of lowest objective are solved to the end (merged as above when one group
    keeps :data:`MERGE_FROM` or more) and the others stop ``SCREENED``."""
    S = len(starts)
    if max_iter <= SCREEN_STEPS or keep >= int(np.bincount(groups).max()):  # none to stop
        if objective.weights is None:  # a grid: still merged (as every start were kept)
            return _merged(
                objective, starts, went=None, lower=lower, upper=upper, max_iter=max_iter,
                progress=progress, threads=threads,
            )  # fmt: skip
        return minimize(
            objective, starts, lower=lower, upper=upper, groups=groups, max_iter=max_iter,
            progress=progress, threads=threads,
        )  # fmt: skip
    # progress counts starts settled, out of S: the screening settles all but those it keeps
    settled = S - min(S, keep * (int(groups.max()) + 1))
    screen = minimize(
        objective,
        starts,
        lower=lower,
        upper=upper,
        groups=groups,
        max_iter=SCREEN_STEPS,
        progress=None if progress is None else (lambda d, _t: progress(d * settled // S, S)),
        threads=threads,
        keep_states=True,
    )
    running = np.flatnonzero(screen.status == Status.MAX_ITER)
    kept = lowest_per_group(running, screen.objective, groups, keep=keep)
    # the kept starts go on from their screening steps where the solver saved its state
    went = None if screen.states is None else (screen.theta[kept], screen.states[kept])
    rest_progress = None if progress is None else (lambda d, _t: progress(settled + d, S))
    if objective.weights is None:
        solved = _merged(
            objective, starts[kept], went=went, lower=lower, upper=upper, max_iter=max_iter,
            progress=rest_progress, threads=threads,
        )  # fmt: skip
    else:
        solved = minimize(
            objective, starts[kept] if went is None else went[0], lower=lower, upper=upper,
            groups=groups[kept], max_iter=max_iter, progress=rest_progress, threads=threads,
            resume=None if went is None else went[1],
        )  # fmt: skip
    status = screen.status.copy()
    status[running] = Status.SCREENED
    theta, f, n_iter = screen.theta.copy(), screen.objective.copy(), screen.n_iter.copy()
    theta[kept], f[kept], status[kept], n_iter[kept] = (
        solved.theta,
        solved.objective,
        solved.status,
        solved.n_iter,
    )
    if progress is not None:
        progress(S, S)
    return SolveResult(theta=theta, objective=f, status=status, n_iter=n_iter, solver=solved.solver)


def _merged(
    objective: Objective,
    starts: Array,
    *,
    went: tuple[Array, Array] | None,
    lower: Array,
    upper: Array,
    max_iter: int,
    progress: Callable[[int, int], None] | None,
    threads: int | None,
) -> SolveResult:
    """Every start solved to the end, merging as above when there are enough of them (one
    group: a grid without weights). ``went``: where the screening steps left each start, and
    the solver's state there (:func:`~._solver.minimize`'s ``resume``), or ``None``: from
    ``starts``."""
    S = len(starts)

    def solve(rows: NDArray[np.bool_], **kw: Any) -> SolveResult:
        # a start that may stop in a merge window takes every step in this solve: its
        # screening steps did not look for the window
        if went is None or kw.get("merge_window") is not None:
            return minimize(objective, starts[rows], lower=lower, upper=upper,
                            max_iter=max_iter, threads=threads, **kw)  # fmt: skip
        return minimize(objective, went[0][rows], lower=lower, upper=upper,
                        max_iter=max_iter, threads=threads, resume=went[1][rows], **kw)  # fmt: skip

    if S < MERGE_FROM:
        return solve(np.ones(S, dtype=bool), progress=progress)
    lead = np.arange(S) % LEAD_EVERY == 0
    first = solve(lead, progress=None if progress is None else (lambda d, _t: progress(d, S)))
    window = _window(first.objective)
    n_lead = int(lead.sum())
    rest = solve(
        ~lead,
        progress=None if progress is None else (lambda d, _t: progress(n_lead + d, S)),
        merge_window=window,
    )
    theta = np.empty((S, starts.shape[1]))
    f = np.empty(S)
    status = np.empty(S, dtype=np.int8)
    n_iter = np.empty(S, dtype=np.int64)
    for mask, part in ((lead, first), (~lead, rest)):
        theta[mask], f[mask], status[mask], n_iter[mask] = (
            part.theta,
            part.objective,
            part.status,
            part.n_iter,
        )
    merged = status == Status.MERGED
    if merged.any():
        best = int(np.argmin(np.where(np.isfinite(first.objective), first.objective, np.inf)))
        theta[merged] = first.theta[best]
        f[merged] = first.objective[best]
        status[merged] = Status.CONVERGED
    return SolveResult(theta=theta, objective=f, status=status, n_iter=n_iter, solver=first.solver)


def _window(f: Array) -> Array | None:
    """``[[best, level]]``: the best leading objective and the lowest at which a leading start
    ended away from it; ``None`` if all ended at the best (or none is finite)."""
    finite = f[np.isfinite(f)]
    if not len(finite):
        return None
    best = float(np.min(finite))
    away = finite[finite - best > AT_BEST_RTOL * max(abs(best), 1e-300)]
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


def best_first(ended: Array, status: NDArray[np.int8]) -> IntArray:
    """Starts by final objective (non-finite last), a converged one first among those tied
    at the best: a stalled start may end a rounding error below the converged ones at the
    same optimum (which one does depends on the CPU's vector build), and the fit is then as
    converged as they are."""
    order = np.argsort(np.where(np.isfinite(ended), ended, np.inf), kind="stable")
    f = ended[order[0]]
    tied = np.abs(ended[order] - f) <= AT_BEST_RTOL * max(abs(f), 1e-300)
    converged = tied & (status[order] == Status.CONVERGED)
    first = int(np.argmax(converged))
    return np.concatenate([order[first : first + 1], np.delete(order, first)])

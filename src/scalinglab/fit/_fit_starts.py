"""The starts of :func:`~scalinglab.fit.fit`: the law's grid (or the starts given), screened
to its best points when large, then solved (a large table screens on some of its runs) and
ranked, best first."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from scalinglab._progress import Progress
from scalinglab.fit import _options
from scalinglab.fit._center import Centering
from scalinglab.fit._merge import _SCREEN_ABOVE, _screen, best_first
from scalinglab.fit._objective import Array, IntArray, Objective
from scalinglab.fit._screen_runs import Subsample, screening_subsample, solve_large
from scalinglab.fit._solver import SolveResult, Status
from scalinglab.laws import Law

__all__ = ["Started", "solve_starts"]


@dataclass(frozen=True)
class Started:
    """The starts solved, and what the bootstrap needs of them.

    Attributes:
        grid: The starts solved, in natural coordinates (screened when large).
        pool: The points the resamples' random starts come from (``bootstrap_pool`` given,
            else the grid before screening).
        solved: The solver's result at each start of ``grid``.
        screened_on: Runs the screening steps used (``None``: every run).
        subsample: The runs a large table screens on, or ``None``.
        notes: What was done to the grid (screened), for the fit's notes.
        ended: Each start's final objective; ``inf`` for one screened out (see ``_merge``).
        order: The starts, best first (:func:`~scalinglab.fit._merge.best_first`).
    """

    grid: Array
    pool: Array
    solved: SolveResult
    screened_on: int | None
    subsample: Subsample | None
    notes: tuple[str, ...]
    ended: Array
    order: IntArray


def solve_starts(
    law: Law,
    objective: Objective,
    center: Centering,
    data: Mapping[str, Array],
    target: Array,
    *,
    solver_data: Mapping[str, Array],
    starts: Array | None,
    bootstrap_pool: Array | None,
    max_iter: int,
    threads: int | None,
    progress: Progress | None,
) -> Started:
    """Solve ``objective`` from the law's start grid over ``data`` (or ``starts``), as
    :func:`~scalinglab.fit.fit` documents its ``starts`` and ``bootstrap_pool``;
    ``solver_data`` is ``data`` as ``center`` maps it for the solver.

    Raises:
        ConfigError: For ``starts`` or a ``bootstrap_pool`` not of the law's width.
        FitError: Where no start ends at a finite objective.
    """
    lower, upper = law.fitted_bounds()
    grid = (
        law.start_grid(data, target) if starts is None else np.atleast_2d(np.asarray(starts, float))
    )
    pool = grid if bootstrap_pool is None else np.atleast_2d(np.asarray(bootstrap_pool, float))
    _options.check_points(law, starts=grid, bootstrap_pool=pool)
    notes: list[str] = []
    if starts is None and len(grid) > _SCREEN_ABOVE:
        grid = _screen(objective, center.to_solver(grid), grid, lower, upper)
        notes.append(
            f"the start grid of {law.name!r} was screened to the {len(grid)} points of lowest "
            "objective before solving"
        )

    # a large grid: its leading starts first, then the rest merged into the best once below
    # every other optimum those found (see _merge); a large table screens on some runs
    subsample = screening_subsample(law, solver_data)  # and so does its bootstrap
    solved, screened_on = solve_large(
        objective, center.to_solver(grid), lower=lower, upper=upper, max_iter=max_iter,
        screen_on=None if subsample is None else subsample.of(objective), threads=threads,
        progress=None if progress is None else (lambda d, t: progress("fit", d, t)),
    )  # fmt: skip
    ended = np.where(solved.status == Status.SCREENED, np.inf, solved.objective)  # see _merge
    finite = np.isfinite(ended)
    if not finite.any():
        raise _options.no_finite_start(law, len(grid), Status.NONFINITE.message)
    order = best_first(ended, solved.status)
    return Started(grid, pool, solved, screened_on, subsample, tuple(notes), ended, order)

"""The starts of a curve fit, solved coarse to fine.

A law with a coarse form (the multi-power law: fewer drop atoms, error <= 1e-3 in loss)
solves its start grid in up to three levels, each from the distinct best optima of the one
before (at most ``POLISH`` of them):

1. *screen*: every start, on the coarse law at every k-th logged point (at most
   ``SCREEN_POINTS``), for ``SCREEN_STEPS`` Newton steps;
2. *thinned polish*, on dense curves alone (more than ``DENSE_POINTS`` logged points): the
   exact law at every k-th point (at most ``MID_POINTS``), solved to the end;
3. *polish*: the exact law on every point.

The thinned polish exists because the polish costs O(points) per Newton step and takes
30-50 steps from a screening optimum: on one 20,000-point curve logged at every step, 49
steps for each of 12 optima, 20 s of a 27 s fit. Its optima reached one optimum there (and
on two such curves, 12 optima along a valley the data do not determine, their objectives
within 1e-11: one, by ``SAME_OBJECTIVE``), so the polish on every point starts from one
optimum, not twelve, and closer (33 steps): 27 s -> 11 s, 38 s -> 19 s on two curves and
125 s -> 28 s on five, the same optimum (``tests/test_curves_stages.py``;
``benchmarks/RESULTS.md``). Below ``DENSE_POINTS`` (the shared curves: at most 4,200
points in one fit) the screening optima go to the polish directly, as before.

A law without a coarse form (Tissue, the power laws) is solved in full from every start.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from scalinglab._progress import Progress
from scalinglab.curves._bootstrap import SCREEN_STEPS
from scalinglab.curves._data import Curve
from scalinglab.curves._laws import CurveLaw
from scalinglab.fit._bootstrap import _distinct
from scalinglab.fit._objective import Array, Objective
from scalinglab.fit._solver import SolveResult, minimize

__all__ = ["Build", "Stages", "solve_stages"]

#: Makes the objective of a law on curves thinned to every k-th point: ``(law, curves, k)``.
Build = Callable[[CurveLaw, Sequence[Curve], int], Objective]

POLISH = 12  # distinct screening optima polished on the full problem (4 left the 9-curve
# 25M fit 1% above the best objective an L-BFGS-B loop found; 12: below it, +8% CPU)
SCREEN_POINTS = 512
DENSE_POINTS = 8192  # above this many logged points, a thinned polish comes first
MID_POINTS = 4096  # at most this many points in the thinned polish
# thinned-polish optima with objectives this close (relative) are one: a valley the data do
# not determine (two curves of 20,000 points: 12 optima along C and beta, their objectives
# within 1e-11, gamma at its bound), where the polish would only pick among them by rounding
SAME_OBJECTIVE = 1e-8


@dataclass(frozen=True)
class Stages:
    """What :func:`solve_stages` found.

    Attributes:
        solved: The last level's solve (every start's, where there is no coarse law).
        screen: The screening objective (``objective`` itself where there is none), which
            the bootstrap solves its resamples' starts on.
        stride: The screen's thinning: it keeps every ``stride``-th logged point.
        at_best: Starts of the grid whose first solve reached its best objective.
    """

    solved: SolveResult
    screen: Objective
    stride: int
    at_best: int


def thinned(curves: Sequence[Curve], stride: int) -> list[Curve]:
    """Every ``stride``-th logged point of each curve, its first kept."""
    return [replace(c, step=c.step[::stride], loss=c.loss[::stride]) for c in curves]


def solve_stages(
    law: CurveLaw,
    curves: Sequence[Curve],
    objective: Objective,
    build: Build,
    grid: Array,
    *,
    lower: Array,
    upper: Array,
    max_iter: int,
    progress: Progress | None = None,
) -> Stages:
    """Solve ``objective`` (``law`` on ``curves``) from every row of ``grid`` by levels
    (module docstring). ``build(law, curves, stride)`` makes the objective of a law on
    thinned curves. ``progress`` hears ``"fit"`` (the grid's starts solved) and, where the
    optima are polished, ``"polish"`` (of the distinct optima polished, those whose last
    level is done: the bar moves through a long polish rather than sit at the end of the
    starts)."""
    total = sum(len(c) for c in curves)
    coarse = law.coarse()
    stride = max(1, -(-total // SCREEN_POINTS)) if coarse is not law else 1
    screen = build(coarse, thinned(curves, stride), stride) if coarse is not law else objective
    full = screen is objective
    solved = minimize(
        screen,
        grid,
        lower=lower,
        upper=upper,
        max_iter=max_iter if full else min(max_iter, SCREEN_STEPS),
        ftol=1e-12 if full else 1e-8,
        threads=1,
        progress=None if progress is None else (lambda d, t: progress("fit", d, t)),
    )
    f0 = np.where(np.isfinite(solved.objective), solved.objective, np.inf)
    at_best = int(np.sum(np.abs(f0 - f0.min()) <= 1e-6 * max(abs(float(f0.min())), 1e-300)))
    if full or not np.isfinite(f0).any():
        return Stages(solved, screen, stride, at_best)
    seeds = _best(solved)
    n, done = len(seeds), 0
    if progress is not None:  # its bar from the start: the thinned polish says nothing
        progress("polish", 0, n)
    if total > DENSE_POINTS:
        mid_stride = -(-total // MID_POINTS)
        mid = build(law, thinned(curves, mid_stride), mid_stride)
        middle = minimize(mid, seeds, lower=lower, upper=upper, max_iter=max_iter, threads=1)
        if np.isfinite(middle.objective).any():  # else the screening optima, as below
            seeds = _best(middle, same=SAME_OBJECTIVE)
            done = n - len(seeds)  # optima that reached another's: polished no further

    def heard(d: int, _t: int) -> None:
        if progress is not None:
            progress("polish", done + d, n)

    solved = minimize(
        objective,
        seeds,
        lower=lower,
        upper=upper,
        max_iter=max_iter,
        threads=1,
        progress=None if progress is None else heard,
    )
    return Stages(solved, screen, stride, at_best)


def _best(solved: SolveResult, *, same: float = 0.0) -> Array:
    """The distinct finite optima of a solve, best first, at most ``POLISH``; with
    ``same``, an optimum whose objective is within ``same`` (relative) of a better one kept
    is left out too, wherever it lies."""
    f = np.where(np.isfinite(solved.objective), solved.objective, np.inf)
    order = np.argsort(f)
    finite = np.isfinite(f[order])
    if not same:
        return _distinct(solved.theta[order][finite], limit=POLISH)
    kept: list[int] = []
    for i in order[finite]:
        if all(abs(f[i] - f[j]) > same * abs(f[j]) for j in kept):
            kept.append(int(i))
    return _distinct(solved.theta[kept], limit=POLISH)

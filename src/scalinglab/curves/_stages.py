"""The starts of a curve fit: screened, then the best polished.

A law with a coarse form (the multi-power law: fewer drop atoms, error <= 1e-3 in loss)
solves every start of its grid on the coarse law at every k-th logged point (at most
``SCREEN_POINTS``), for ``SCREEN_STEPS`` Newton steps; the distinct best optima (at most
``POLISH``) are then polished on the exact law at every point. That polish costs O(points)
per Newton step and takes 30-50 steps (one 20,000-point curve: 20 s of a 26 s fit), so it
is a progress stage of its own. A law without a coarse form (Tissue, the power laws) is
solved in full from every start.
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
    max_steps: int,
    progress: Progress | None = None,
) -> Stages:
    """Solve ``objective`` (``law`` on ``curves``) from every row of ``grid`` by levels
    (module docstring). ``build(law, curves, stride)`` makes the objective of a law on
    thinned curves. ``progress`` hears ``"fit"`` (the grid's starts solved) and, where the
    optima are polished, ``"polish"`` (the distinct optima polished: the bar moves
    through a long polish rather than sit at the end of the starts)."""
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
        max_steps=max_steps if full else min(max_steps, SCREEN_STEPS),
        ftol=1e-12 if full else 1e-8,
        threads=1,
        progress=None if progress is None else (lambda d, t: progress("fit", d, t)),
    )
    f0 = np.where(np.isfinite(solved.objective), solved.objective, np.inf)
    at_best = int(np.sum(np.abs(f0 - f0.min()) <= 1e-6 * max(abs(float(f0.min())), 1e-300)))
    if full or not np.isfinite(f0).any():
        return Stages(solved, screen, stride, at_best)
    seeds = _best(solved)
    n = len(seeds)
    if progress is not None:  # its bar from the start
        progress("polish", 0, n)

    def heard(d: int, _t: int) -> None:
        if progress is not None:
            progress("polish", d, n)

    solved = minimize(
        objective,
        seeds,
        lower=lower,
        upper=upper,
        max_steps=max_steps,
        threads=1,
        progress=None if progress is None else heard,
    )
    return Stages(solved, screen, stride, at_best)


def _best(solved: SolveResult) -> Array:
    """The distinct finite optima of a solve, best first, at most ``POLISH``."""
    f = np.where(np.isfinite(solved.objective), solved.objective, np.inf)
    order = np.argsort(f)
    return _distinct(solved.theta[order][np.isfinite(f[order])], limit=POLISH)

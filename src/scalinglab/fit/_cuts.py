"""Point fits of one law to several subsets of the runs (backtest cuts), in one batched solve.

A rolling-origin backtest fits a law below each of a few cuts. Fitting each cut with
:func:`~scalinglab.fit.fit` costs a whole solve per cut, and for laws the NumPy solver runs
its per-step Python overhead dominates on a few dozen runs. Here each cut is a
row of run weights (1 below the cut, 0 above: the bootstrap's mechanism, so the compiled
solver takes it too), and every cut's starts are solved together, each start against its
cut's row (Kaplan's law too: the compiled solver has a kernel for it; where no build has it,
the NumPy solver with the law's closed form). The objective of each cut is the
same function as a fit to the cut's runs alone; the solver works in the coordinates centred
on all the runs rather than on the cut's (:mod:`._center`), so optima agree with per-cut
fits to the solver's tolerance.

On a table of more than :data:`~scalinglab.fit._screen_runs.SCREEN_RUNS` runs the starts
take their screening steps on each cut's runs among a spread-out subsample of the runs, and
the ``1 / KEEP_EVERY`` of each cut's starts of lowest objective there (the share the fit's
grid keeps) are solved on all the cut's runs (:func:`~scalinglab.fit._screen_runs.screened_on`: the rule the fit's start
grid and its bootstrap screen by); on smaller tables, and for cuts of fewer than
:data:`CUT_SCREEN_FROM` starts (the law choice's Kaplan cuts: 10), every start is solved.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from scalinglab._defaults import HUBER_DELTA, MAX_ITER
from scalinglab.data._table import RunTable
from scalinglab.fit._center import centering_for
from scalinglab.fit._columns import law_columns
from scalinglab.fit._compiled import kernel_for
from scalinglab.fit._losses import RobustLoss, get_loss
from scalinglab.fit._merge import KEEP_EVERY, SCREEN_STEPS
from scalinglab.fit._objective import Array, Objective
from scalinglab.fit._screen_runs import screened_on, screening_subsample
from scalinglab.fit._solver import minimize
from scalinglab.laws import Law

__all__ = ["CUT_SCREEN_FROM", "fit_cuts"]

#: On a table screened on a subsample, cuts of this many starts or more are screened (the
#: law choice's 64 starts per cut: 8 kept); fewer (its Kaplan cuts' 10): every start solved.
#: Kaplan's 10 screened to 2 missed the optimum of two cuts on a 5,000-run table.
CUT_SCREEN_FROM = 64


def fit_cuts(
    law: Law,
    table: RunTable,
    masks: Sequence[NDArray[np.bool_]],
    starts: Sequence[Array],
    *,
    y: str = "loss",
    robust_loss: str | RobustLoss = "huber",
    delta: float = HUBER_DELTA,
    space: str = "log",
    x: Mapping[str, str] | None = None,
    max_iter: int = MAX_ITER,
    threads: int | None = None,
) -> tuple[list[Array | None], int | None]:
    """Best fit of ``law`` to the runs of each mask, from that mask's starts.

    Args:
        law: The law.
        table: All the runs.
        masks: Boolean rows over the runs: which runs each fit uses.
        starts: Starting points in the law's fitted space, ``(S_i, K)`` per mask.
        y: Column holding the loss.
        robust_loss: Robust loss (as :func:`~scalinglab.fit.fit`).
        delta: Its scale.
        space: ``"log"`` or ``"linear"``.
        x: Law symbol -> column overrides.
        max_iter: Most solver iterations per start.
        threads: Threads for the compiled solver.

    Returns:
        Per mask, the natural parameters of its best start (as ``FitResult.theta``), or
        ``None`` when every start's objective was not finite; and the number of runs the
        screening steps used (``None``: no screening, every start solved on every run).
    """
    if len(masks) != len(starts):
        raise ValueError("one array of starts per mask")
    columns = law_columns(law, table, x)
    data = {s: table[c] for s, c in columns.items()}
    log_space = space == "log"
    target = np.log(table[y]) if log_space else table[y]
    center = centering_for(law, data)
    solver_data = center.data(data)
    weights = np.array([np.asarray(m, dtype=np.float64) for m in masks])
    objective = Objective(
        law.bind(solver_data),
        target,
        get_loss(robust_loss, delta=delta),
        log_space,
        weights,
        kernel=kernel_for(law, solver_data) if log_space else None,
    )
    lower, upper = law.fitted_bounds()
    theta0 = np.vstack([center.to_solver(np.atleast_2d(s)) for s in starts])
    sizes = [len(np.atleast_2d(s)) for s in starts]
    groups = np.repeat(np.arange(len(masks)), sizes)
    most = max(sizes, default=0)
    keep = math.ceil(most / KEEP_EVERY)
    # every cut at or above the bar (a cut of fewer starts is solved whole, as documented)
    screen = min(sizes, default=0) >= CUT_SCREEN_FROM
    subsample = screening_subsample(law, solver_data) if screen else None
    screen_on = None if subsample is None else subsample.of(objective)
    if screen_on is not None and max_iter > SCREEN_STEPS:
        solved = screened_on(
            objective, theta0, screen_on=screen_on, groups=groups, keep=keep, lower=lower,
            upper=upper, max_iter=max_iter, progress=None, threads=threads,
        )  # fmt: skip
    else:
        screen_on = None  # every start solved on every run
        solved = minimize(
            objective, theta0, lower=lower, upper=upper, groups=groups, max_iter=max_iter,
            threads=threads,
        )  # fmt: skip
    f = np.where(np.isfinite(solved.objective), solved.objective, np.inf)
    out: list[Array | None] = []
    for g in range(len(masks)):
        rows = np.flatnonzero(groups == g)
        best = rows[int(np.argmin(f[rows]))] if len(rows) else -1
        if best < 0 or not np.isfinite(f[best]):
            out.append(None)
            continue
        out.append(np.asarray(law.to_natural(center.from_solver(solved.theta[best])), float))
    return out, None if screen_on is None else screen_on.target.shape[-1]

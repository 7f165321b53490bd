"""Refits of a law of the optimum to bootstrap replicates of the located optima, in batches.

:func:`~scalinglab.hparams._laws.fit_law` fits a law to one located optimum per cell, then
refits it to each bootstrap replicate of those optima with the same objective: a power law
with squared loss in one closed-form batched solve (``_loglinear``), other laws and losses
through the solver, a block of resamples at a time (each resample its own weight row). Each says which solver ran, by :attr:`scalinglab.FitResult.solver`'s
names (:func:`solvers_ran`), so a saved fit records it as a loss fit does.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from scalinglab.data import RunTable
from scalinglab.fit import Objective, get_loss, minimize
from scalinglab.fit._center import centering_for
from scalinglab.hparams._loglinear import loglinear_design, loglinear_refit
from scalinglab.laws import Law

__all__ = ["CLOSED_FORM", "refit", "solver_refit", "solvers_ran"]

#: The solver a law fitted by weighted least squares in log space alone is said to have run.
CLOSED_FORM = "closed-form"

Array = NDArray[np.float64]

_BLOCK = 16  # resamples per batched solve: each problem sees every stacked row, so small blocks


def refit(
    law: Law,
    table: RunTable,
    theta: Array,
    replicates: Array,
    *,
    weights: Array | None,
    robust_loss: str,
    delta: float,
    max_iter: int,
) -> tuple[Array, str | None]:
    """The law refitted to each row of ``replicates`` from ``theta`` (fitted space), NaN rows
    where a refit failed, and the solver that ran (:func:`solvers_ran`). A power law with
    squared loss: all rows in one closed-form batched solve (``_loglinear``), the rows it
    cannot take by the solver; otherwise the solver.
    """
    cell_w = np.ones(len(table)) if weights is None else weights
    design = None
    if robust_loss == "squared":
        design = loglinear_design(law, {c: table[c] for c in law.variables.values()})
    if design is None:
        out, ran = solver_refit(law, table, theta, replicates, cell_w, robust_loss, delta, max_iter)
        return out, solvers_ran(ran)
    out = loglinear_refit(law, design, replicates, cell_w)
    todo = ~np.all(np.isfinite(out), axis=1)
    ran = None
    if todo.any():  # too few usable cells, or outside a parameter's bounds
        out[todo], ran = solver_refit(
            law, table, theta, replicates[todo], cell_w, robust_loss, delta, max_iter
        )
    return out, solvers_ran(CLOSED_FORM, ran)


def solver_refit(
    law: Law,
    table: RunTable,
    theta: Array,
    replicates: Array,
    cell_w: Array,
    robust_loss: str,
    delta: float,
    max_iter: int,
) -> tuple[Array, str | None]:
    """The general path of :func:`refit`: the solver, in blocks of resamples; and which
    solver ran (``None``: no row to refit).

    One thread: a block is ~100 NumPy operations on a few hundred numbers each, so the GIL
    is held most of the time; blocks on two threads measured 0.88x the speed of one (Step
    Law sweeps, 1,000 resamples, load average 11).
    """
    data = {s: table[c] for s, c in law.variables.items()}
    center = centering_for(law, data)
    lower, upper = law.fitted_bounds()
    start = center.to_solver(theta[None, :])[0]
    robust = get_loss(robust_loss, delta=delta)

    ran: list[str] = []

    def block(i: int) -> Array:
        rows = replicates[i : i + _BLOCK]
        m = len(rows)
        stacked = center.data({s: np.tile(v, m) for s, v in data.items()})
        usable = np.isfinite(rows) & (rows > 0)
        w = np.asarray(
            np.kron(np.eye(m), cell_w[None, :]) * usable.ravel()[None, :], dtype=np.float64
        )
        target = np.log(np.where(usable, rows, 1.0)).ravel()
        objective = Objective(law.bind(stacked), target, robust, True, w)
        solved = minimize(
            objective,
            np.tile(start, (m, 1)),
            lower=lower,
            upper=upper,
            groups=np.arange(m),
            max_iter=max_iter,
        )
        ran.append(solved.solver)
        out = law.to_natural(center.from_solver(solved.theta))
        good = np.isfinite(solved.objective) & (usable.sum(axis=1) > len(theta))
        out[~good] = np.nan
        return np.asarray(out, dtype=np.float64)

    parts = [block(i) for i in range(0, len(replicates), _BLOCK)]
    out = np.concatenate(parts) if parts else np.empty((0, len(theta)))
    return out, solvers_ran(*ran)


def solvers_ran(*solvers: str | None) -> str | None:
    """What ran, said once: the iterative solvers among ``solvers`` (``"numpy"``,
    ``"compiled-<build>"``), each once, joined by ``", "``; :data:`CLOSED_FORM` where only
    the closed form did (its numbers are the same on any machine); ``None`` where nothing
    is said (a law from a file written before fits recorded it)."""
    named = [s for s in dict.fromkeys(solvers) if s is not None]
    iterative = [s for s in named if s != CLOSED_FORM]
    return ", ".join(iterative) if iterative else (CLOSED_FORM if named else None)

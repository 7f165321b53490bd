"""One step of a chain refitted on shared bootstrap weights, with the one solver of ``fit/``.

A chain's bootstrap draws the resampled models once (integer weights on the runs) and hands
the same weights to every step, so resample ``r`` of the loss law and resample ``r`` of the
accuracy law saw the same models, and the uncertainty of both reaches the final interval.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import numpy as np

from scalinglab._errors import FitError
from scalinglab.downstream._step import Step, resample_weights, scale_inputs
from scalinglab.fit._center import Centering, centering_for
from scalinglab.fit._compiled import kernel_for
from scalinglab.fit._losses import get_loss
from scalinglab.fit._objective import Array, Objective
from scalinglab.fit._prediction import noise_scale
from scalinglab.fit._solver import Status, minimize
from scalinglab.laws import Law

#: ``progress(done, total)``: problems the solver has finished.
Solved = Callable[[int, int], None]

__all__ = ["PointFit", "Step", "fit_point", "fit_step", "resample_weights", "scale_inputs"]


@dataclass(frozen=True)
class PointFit:
    """A step's best fit, and what its bootstrap needs to run later (:meth:`bootstrap`):
    a chain decides which tasks it predicts before it spends resamples on them.

    Attributes:
        step: The best fit, without resamples.
        objective: The law bound to the runs, as the solver saw it.
        center: The solver's coordinates.
        theta: The best fit in the solver's coordinates.
        use: Runs that count.
        max_iter: Most solver iterations per resample.
    """

    step: Step
    objective: Objective
    center: Centering
    theta: Array
    use: Array
    max_iter: int

    def bootstrap(self, weights: Array, *, progress: Solved | None = None) -> Step:
        """:attr:`step` with every row of the bootstrap weights ``(R, P)`` refitted
        (``progress(done, total)``: resamples solved)."""
        return bootstrap_step(
            self.step,
            self.objective,
            self.center,
            weights * self.use[None, :],
            self.theta,
            max_iter=self.max_iter,
            progress=progress,
        )


def fit_step(
    law: Law,
    data: Mapping[str, Array],
    target: Array,
    *,
    space: str,
    delta: float,
    weights: Array | None,
    mask: Array | None = None,
    bootstrap_if: Callable[[Step], bool] | None = None,
    max_starts: int = 600,
    max_iter: int = 200,
    progress: Solved | None = None,
) -> Step:
    """Fit ``law`` to ``target`` from its start grid, then refit every weight row.

    Args:
        law: The law.
        data: Each variable symbol's values, ``(P,)``.
        target: The observed values, ``(P,)``.
        space: ``"log"`` or ``"linear"`` residuals.
        delta: Scale of the Huber loss.
        weights: Bootstrap weights ``(R, P)``, or ``None`` for no bootstrap.
        mask: Runs that count (the others get weight 0), default all.
        bootstrap_if: Run the bootstrap only when this holds for the best fit (a task found
            flat needs no interval); default always.
        max_starts: Most starts of the full fit (see :func:`fit_point`).
        max_iter: Most solver iterations per start.
        progress: Called as ``progress(done, total)`` as the resamples are solved.

    Raises:
        FitError: When every start fails.
    """
    point = fit_point(
        law, data, target, space=space, delta=delta, mask=mask, max_starts=max_starts,
        max_iter=max_iter,
    )  # fmt: skip
    if weights is None or (bootstrap_if is not None and not bootstrap_if(point.step)):
        return point.step
    return point.bootstrap(weights, progress=progress)


def fit_point(
    law: Law,
    data: Mapping[str, Array],
    target: Array,
    *,
    space: str,
    delta: float,
    mask: Array | None = None,
    max_starts: int = 600,
    max_iter: int = 200,
) -> PointFit:
    """Fit ``law`` to ``target`` from its start grid: :func:`fit_step` without resamples.

    Args:
        law, data, target, space, delta, mask, max_iter: As :func:`fit_step`.
        max_starts: Most starts: a larger grid (Chinchilla's has 4,500) is thinned to an
            evenly spaced subset, which reaches the same optimum here (most starts do) in a
            seventh of the time.

    Raises:
        FitError: When every start fails.
    """
    use = np.ones(len(target), bool) if mask is None else np.asarray(mask, bool)
    y = np.where(use, target, 1.0 if space == "log" else 0.0)
    center = centering_for(law, {s: v[use] for s, v in data.items()})
    solver_data = center.data(data)
    log_space = space == "log"
    robust = get_loss("huber", delta=delta)
    kernel = kernel_for(law, solver_data) if log_space else None
    base = Objective(
        law.bind(solver_data),
        np.log(y) if log_space else y,
        robust,
        log_space,
        use[None, :].astype(float),
        kernel=kernel,
    )
    lower, upper = law.fitted_bounds()
    grid = law.start_grid({s: v[use] for s, v in data.items()}, target[use])
    grid = np.clip(grid, lower, upper)
    if len(grid) > max_starts:
        grid = grid[np.linspace(0, len(grid) - 1, max_starts).round().astype(int)]
    solved = minimize(
        base,
        center.to_solver(grid),
        lower=lower,
        upper=upper,
        groups=np.zeros(len(grid), dtype=np.int64),
        max_iter=max_iter,
    )
    f = np.where(np.isfinite(solved.objective), solved.objective, np.inf)
    best = int(np.argmin(f))
    if not np.isfinite(f[best]):
        raise FitError(
            f"every one of the {len(grid)} starts failed for law {law.name!r}: "
            + Status.NONFINITE.message
        )
    reached = np.abs(f - f[best]) <= 1e-6 * max(abs(f[best]), 1e-300)
    at_best = int(np.sum(reached))
    theta_solver = solved.theta[best]
    natural = law.to_natural(center.from_solver(theta_solver))
    residuals = base.residuals(theta_solver[None, :])[0][use]
    noise = noise_scale(residuals, len(law.params))
    # converged when any start that reached the best objective converged there (the very
    # best one may stop on max_iter a hair lower, e.g. against a bound)
    status = "converged" if np.any(reached & (solved.status == Status.CONVERGED)) else "failed"

    step = Step(
        law,
        {n: float(v) for n, v in zip(law.param_names, natural, strict=True)},
        np.full((0, len(law.params)), np.nan),
        noise,
        space,
        status,
        at_best,
        n_starts=len(grid),
        n_converged=int(np.count_nonzero(solved.status == Status.CONVERGED)),
        solver=solved.solver,
    )
    return PointFit(step, base, center, theta_solver, use, max_iter)


def bootstrap_step(
    step: Step,
    base: Objective,
    center: Centering,
    weights: Array,
    theta_solver: Array,
    *,
    max_iter: int,
    progress: Solved | None = None,
) -> Step:
    """``step`` with its bootstrap: every weight row refitted from the best fit.

    Starting each resample at the full fit's optimum (a warm start) finds the resample's
    optimum in a few Newton steps; resamples that fail are NaN rows, so the rows still line
    up with the other steps of the chain.
    """
    law = step.law
    lower, upper = law.fitted_bounds()
    n = len(weights)
    boot = Objective(
        base.program, base.target, base.loss, base.log_space, weights, kernel=base.kernel
    )
    out = minimize(
        boot,
        np.broadcast_to(theta_solver, (n, len(theta_solver))).copy(),
        lower=lower,
        upper=upper,
        groups=np.arange(n),
        max_iter=max_iter,
        progress=progress,
    )
    with np.errstate(over="ignore"):
        samples = law.to_natural(center.from_solver(out.theta))
    failed = ~np.isfinite(out.objective) | ~np.all(np.isfinite(samples), axis=1)
    samples[failed] = np.nan
    return replace(step, samples=samples)

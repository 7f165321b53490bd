"""One step of a chain refitted on shared bootstrap weights, with the one solver of ``fit/``.

A chain's bootstrap draws the resampled models once (integer weights on the runs) and hands
the same weights to every step, so resample ``r`` of the loss law and resample ``r`` of the
accuracy law saw the same models, and the uncertainty of both reaches the final interval.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import numpy as np
from typing_extensions import deprecated

from scalinglab._errors import ConfigError, FitError
from scalinglab.fit._center import Centering, centering_for
from scalinglab.fit._compiled import kernel_for
from scalinglab.fit._losses import get_loss
from scalinglab.fit._objective import Array, Objective
from scalinglab.fit._solver import Status, minimize
from scalinglab.laws import Law

__all__ = ["Step", "fit_step", "resample_weights", "scale_inputs"]


@dataclass(frozen=True)
class Step:
    """One fitted step of a chain.

    Attributes:
        law: The law fitted.
        coefs: Best-fit values of the law's coefficients in natural units (``params`` is
            their deprecated old name).
        samples: Natural values of every bootstrap resample, ``(R, K)``, NaN rows where a
            resample failed (rows line up with the other steps' resamples).
        noise: Robust scale of the residuals (log space: relative; linear: absolute).
        space: ``"log"`` or ``"linear"`` residuals.
        status: ``"converged"`` or ``"failed"``.
        n_starts_at_best: Starts that reached the best objective.
    """

    law: Law
    coefs: Mapping[str, float]
    samples: Array
    noise: float
    space: str
    status: str
    n_starts_at_best: int

    @property
    @deprecated(
        "Step.params is deprecated and goes in the next release: use Step.coefs "
        "(the law's fitted values; 'params' means model size everywhere else)",
        category=DeprecationWarning,
    )
    def params(self) -> Mapping[str, float]:
        """Deprecated alias of :attr:`coefs` (one release)."""
        return self.coefs

    @property
    def theta(self) -> Array:
        return np.array([self.coefs[n] for n in self.law.param_names], dtype=np.float64)

    def evaluate(self, theta: Array, data: Mapping[str, Array]) -> Array:
        """The law at natural values ``theta`` (``(K,)`` or ``(R, K)``) for variable values."""
        return np.asarray(self.law.evaluate(theta, data), dtype=np.float64)

    def with_noise(self, values: Array, z: Array) -> Array:
        """``values`` with standard-normal draws ``z`` of the residual noise added."""
        if self.space == "log":
            with np.errstate(divide="ignore", invalid="ignore"):
                return np.asarray(np.exp(np.log(values) + self.noise * z))
        return np.asarray(values + self.noise * z)

    def interval(
        self, data: Mapping[str, Array], *, level: float = 0.9, seed: int = 0
    ) -> tuple[Array, Array, Array]:
        """Point prediction and prediction interval at each point of ``data``.

        Each resample's law plus draws of the residual noise (at least 4,000 in all),
        percentiles of the sum: an interval for one new observation.
        """
        point = self.evaluate(self.theta, data)
        good = self.samples[np.all(np.isfinite(self.samples), axis=1)]
        if not len(good):
            nan = np.full_like(point, np.nan)
            return point, nan, nan.copy()
        draws = self.evaluate(good, data)  # (R, P)
        per = max(1, math.ceil(4000 / len(good)))
        z = np.random.default_rng(seed).standard_normal((len(good), per, draws.shape[1]))
        noisy = self.with_noise(draws[:, None, :], z).reshape(-1, draws.shape[1])
        lo, hi = np.nanpercentile(noisy, [50 * (1 - level), 50 * (1 + level)], axis=0)
        return point, lo, hi


def scale_inputs(law: Law, params: Array, tokens: Array) -> dict[str, Array]:
    """The values of ``law``'s variables for models of ``params`` trained on ``tokens``:
    ``params``, ``tokens``, and ``flops = 6·N·D`` for a law of compute."""
    n, d = np.asarray(params, dtype=np.float64), np.asarray(tokens, dtype=np.float64)
    known = {"params": n, "tokens": d, "flops": 6.0 * n * d}
    out = {}
    for symbol, column in law.variables.items():
        if column not in known:
            raise ConfigError(
                f"law {law.name!r} reads column {column!r}; a chain's first step must be a "
                "law of params, tokens or flops",
                hint="use chinchilla, overtraining or a formula in N, D or C",
            )
        out[symbol] = known[column]
    return out


def resample_weights(n_runs: int, n: int, seed: int) -> Array:
    """Integer weights ``(n, n_runs)``: how often each run appears in each resample."""
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, n_runs, size=(n, n_runs))
    weights = np.zeros((n, n_runs))
    np.add.at(weights, (np.repeat(np.arange(n), n_runs), picks.ravel()), 1.0)
    return weights


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
    max_steps: int = 200,
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
        max_starts: Most starts of the full fit: a larger grid (Chinchilla's has 4,500) is
            thinned to an evenly spaced subset, which reaches the same optimum here (most
            starts do) in a seventh of the time.
        max_steps: Most solver iterations per start.

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
        max_steps=max_steps,
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
    noise = _noise(residuals, len(law.params))
    # converged when any start that reached the best objective converged there (the very
    # best one may stop on max_steps a hair lower, e.g. against a bound)
    status = "converged" if np.any(reached & (solved.status == Status.CONVERGED)) else "failed"

    samples = np.full((0, len(law.params)), np.nan)
    step = Step(
        law,
        {n: float(v) for n, v in zip(law.param_names, natural, strict=True)},
        samples,
        noise,
        space,
        status,
        at_best,
    )
    if weights is None or (bootstrap_if is not None and not bootstrap_if(step)):
        return step
    return bootstrap_step(
        step, base, center, weights * use[None, :], theta_solver, max_steps=max_steps
    )


def bootstrap_step(
    step: Step,
    base: Objective,
    center: Centering,
    weights: Array,
    theta_solver: Array,
    *,
    max_steps: int,
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
        max_steps=max_steps,
    )
    with np.errstate(over="ignore"):
        samples = law.to_natural(center.from_solver(out.theta))
    failed = ~np.isfinite(out.objective) | ~np.all(np.isfinite(samples), axis=1)
    samples[failed] = np.nan
    return replace(step, samples=samples)


def _noise(residuals: Array, k: int) -> float:
    """``1.4826 · MAD`` of the residuals, times ``sqrt(n / (n - k))`` for ``k`` parameters."""
    r = residuals[np.isfinite(residuals)]
    if len(r) <= k:
        return 0.0
    mad = float(np.median(np.abs(r - np.median(r))))
    return 1.4826 * mad * math.sqrt(len(r) / (len(r) - k))

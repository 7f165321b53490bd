"""A fitted step of a chain: its law, best fit, resamples and residual noise; and the inputs
every step shares (the laws' variables for (N, D), the bootstrap weights over models)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from typing_extensions import deprecated

from scalinglab._deprecated import old_fields
from scalinglab.downstream import _repr
from scalinglab.fit._objective import Array
from scalinglab.laws import Law
from scalinglab.laws._scale import scale_inputs as _scale_inputs

__all__ = ["Step", "resample_weights", "scale_inputs"]


@old_fields(params="coefs")
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
        n_starts: Starts solved (0: not recorded, in files written before).
        n_converged: Of those, the ones whose solver reported convergence.
        solver: Which solver ran (``"numpy"``, ``"compiled-avx2"``...; ``""``: not recorded).
    """

    law: Law
    coefs: Mapping[str, float]
    samples: Array
    noise: float
    space: str
    status: str
    n_starts_at_best: int
    n_starts: int = 0
    n_converged: int = 0
    solver: str = ""

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.step(self)

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
        """The law at natural values for variable values.

        Args:
            theta: Natural parameter values, ``(K,)`` or ``(R, K)``.
            data: Each variable's values, ``(P,)``.

        Returns:
            ``(P,)`` for one vector, ``(R, P)`` for several.
        """
        return np.asarray(self.law.evaluate(theta, data), dtype=np.float64)

    def with_noise(self, values: Array, z: Array) -> Array:
        """``values`` with draws of the residual noise added.

        Args:
            values: The law's values.
            z: Standard-normal draws, broadcast with ``values``.

        Returns:
            ``values`` plus ``noise · z``, in log space where the step fits there.
        """
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

        Args:
            data: Each variable's values, ``(P,)``.
            level: Coverage of the interval.
            seed: Seed of the noise draws.

        Returns:
            ``(point, lower, upper)``, each ``(P,)``; NaN bounds without finite resamples.
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
    """The values of ``law``'s variables for models of ``params`` trained on ``tokens``."""
    return _scale_inputs(
        law, params, tokens, role="the chain's first law",
        hint="use chinchilla, overtraining or a formula in N, D or C",
    )  # fmt: skip


def resample_weights(n_runs: int, n: int, seed: int) -> Array:
    """Integer weights ``(n, n_runs)``: how often each run appears in each resample."""
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, n_runs, size=(n, n_runs))
    weights = np.zeros((n, n_runs))
    np.add.at(weights, (np.repeat(np.arange(n), n_runs), picks.ravel()), 1.0)
    return weights

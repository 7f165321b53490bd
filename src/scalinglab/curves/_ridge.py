"""A ridge penalty on a curve law's loss-drop parameters, as pseudo-observations.

On a few training curves the multi-power law's loss-drop parameters are nearly unidentified:
the objective is flat along a B-beta direction that decides how a longer decay extrapolates
(``benchmarks/RESULTS.md``, curve_accuracy). ``ridge = lam`` adds ``lam·sum_k (theta_k -
ref_k)^2`` to the fit's objective, ``theta_k`` the fitted-space value (``log C``, ``beta``,
``gamma``) and ``ref`` the law's reference (:attr:`CurveLaw.ridge_ref`): for the multi-power
law the source's own start, ``C = 1, beta = gamma = 0.5`` (the source stops AdamW after at
most 200 steps from it; early stopping from a start is, to first order, a ridge toward
it). Its strength is chosen on the training curves alone (:func:`choose_ridge`).

The penalty enters the shared solver unchanged: one pseudo-observation per penalised
parameter, predicted as ``exp(s·(theta_k - ref_k))`` against a target of 1 (a log residual
of ``s·(theta_k - ref_k)``), with ``s`` small enough that the robust loss is quadratic there
and a weight that makes it ``lam·(theta_k - ref_k)^2``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ConfigError
from scalinglab.fit._losses import RobustLoss
from scalinglab.laws._dual import Dual

__all__ = ["RidgeProgram", "RidgeTerms", "ridge_terms"]

Array = NDArray[np.float64]
IntArray = NDArray[np.int64]
RidgeTerms = tuple[IntArray, Array, float, float]


class RidgeProgram:
    """``program``'s predictions followed by one pseudo-observation per penalised parameter."""

    log_form = None

    def __init__(self, program: object, index: IntArray, ref: Array, scale: float) -> None:
        self.base = program
        self.index = np.asarray(index, dtype=np.int64)
        self.ref, self.scale = np.asarray(ref, dtype=np.float64), scale
        self.n_points = int(program.n_points) + len(self.index)  # type: ignore[attr-defined]

    def _pseudo(self, theta: Array) -> Array:
        with np.errstate(over="ignore"):
            return np.exp(self.scale * (theta[:, self.index] - self.ref))

    def value(self, theta: Array) -> Array:
        theta = np.atleast_2d(theta)
        base = self.base.value(theta)  # type: ignore[attr-defined]
        return np.concatenate([base, self._pseudo(theta)], axis=1)

    def derivatives(self, theta: Array, order: int = 2) -> Dual:
        theta = np.atleast_2d(theta)
        d = self.base.derivatives(theta, order)  # type: ignore[attr-defined]
        pseudo = self._pseudo(theta)
        out = Dual(np.concatenate([d.val, pseudo], axis=1))
        if order == 0:
            return out
        B, n = d.val.shape
        for k in range(theta.shape[1]):
            col = np.zeros((B, len(self.index)))
            hit = np.flatnonzero(self.index == k)
            col[:, hit] = self.scale * pseudo[:, hit]
            g = d.g.get(k)
            out.g[k] = np.concatenate([np.zeros((B, n)) if g is None else g, col], axis=1)
        return out


def ridge_terms(
    names: tuple[str, ...],
    positive: Mapping[str, bool],
    ref: Mapping[str, float],
    ridge: float,
    loss: RobustLoss,
    law: str,
) -> RidgeTerms:
    """``(index, ref in the fitted space, scale, weight)`` of a ridge of strength ``ridge``."""
    if not ref:
        raise ConfigError(
            f"law {law!r} has no ridge reference: ridge applies to the multi-power law",
            hint="leave ridge at 0 for this law",
        )
    if not (ridge >= 0 and np.isfinite(ridge)):
        raise ConfigError(
            f"ridge must be a finite number >= 0, got {ridge!r}",
            hint="use 0 for no ridge, or a small strength such as 1e-6 (choose_ridge picks one)",
        )
    index = np.array([names.index(k) for k in ref], dtype=np.int64)
    centre = np.array([np.log(v) if positive[k] else v for k, v in ref.items()], dtype=np.float64)
    # |s·(theta - ref)| < delta up to |theta - ref| = 100 (soft_l1: quadratic to 2.5e-5·d^2)
    scale = 1e-2 * loss.delta
    curvature = float(loss.derivatives(np.zeros(1))[2][0])  # rho''(0): 1, or 2 (soft_l1)
    return index, centre, scale, 2.0 * ridge / (curvature * scale * scale)

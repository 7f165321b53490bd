"""A fit's parameter error at a prediction, by the delta method: deterministic, from its optimum.

For a fit of ``k`` parameters ``θ`` (the law's fitted space: logs of positive parameters)
minimising ``Σ ρ(r_i)`` over log residuals ``r_i = log L(x_i; θ) - log y_i``, the
M-estimator's asymptotic covariance is the sandwich

    Σ = c · σ² · (JᵀJ)⁻¹,   c = E[ψ(e)²] / (σ² · E[ψ'(e)]²),   e ~ N(0, σ²)

with ``J`` the ``n × k`` Jacobian of ``log L`` at the runs, ``ψ = ρ'`` and ``σ`` the fit's
robust noise scale (Huber 1981, §7.6; for least squares ``c = 1``, for Huber's loss at the
default ``δ = 1e-3`` on a 1.5% noise ``c → π/2``, the least-absolute-deviations
efficiency). The variance of the predicted log loss at ``x`` is ``g(x)ᵀ Σ g(x)`` with
``g = ∂ log L(x)/∂θ``.

Unidentified fits (a few runs below a backtest cut; ``E`` collapsing) make ``JᵀJ`` nearly
singular, and the linearisation then claims a prediction variance along near-flat
directions that the bounded, curved law never shows. The guard reuses the line the
diagnostics draw (:data:`~scalinglab.fit._diagnostics.MAX_CORRELATION`): ``JᵀJ`` is
formed in the solver's centred coordinates (:mod:`._center`: ``log A - α·log N0``, where
the diagnostics judge correlations too, rather than ``log A``, which correlates with ``α``
by construction), equilibrated (scaled to a unit diagonal, so the guard does not depend on
the parameters' units) and its eigenvalues are floored at ``1 - MAX_CORRELATION`` = 0.005 — the smallest
eigenvalue of two parameters whose estimates correlate at that threshold, the point past
which :mod:`._diagnostics` calls a pair confounded rather than measured. No combination of
parameters is given more variance than such a pair: along directions the data do not
determine, the delta method is not read as a measurement.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scalinglab.fit._center import centering_for
from scalinglab.fit._diagnostics import MAX_CORRELATION
from scalinglab.fit._losses import RobustLoss
from scalinglab.laws import Law

__all__ = [
    "RIDGE",
    "covariance",
    "efficiency",
    "log_gradient",
    "prediction_sd",
    "scaled_jacobian",
]

Array = NDArray[np.float64]
#: Floor of the equilibrated (unit-diagonal) ``JᵀJ``'s eigenvalues: ``1 - MAX_CORRELATION``.
RIDGE = 1.0 - MAX_CORRELATION


def log_gradient(law: Law, coefs: Array, data: Mapping[str, Any]) -> Array:
    """``∂ log L / ∂θ`` at each point of ``data``, ``(P, K)``, in the law's fitted space.

    Args:
        law: The law.
        coefs: Its natural parameter values, ``(K,)``.
        data: Variable symbol -> values (arrays broadcast).
    """
    values = {s: np.asarray(v, dtype=np.float64) for s, v in data.items() if s in law.variables}
    shape = np.broadcast_shapes(*(v.shape for v in values.values()))
    flat = {s: np.broadcast_to(v, shape).reshape(-1) for s, v in values.items()}
    theta = law.to_fitted(np.asarray(coefs, dtype=np.float64))[None, :]
    m = law.bind(flat).derivatives(theta, 1)
    n, k = int(np.prod(shape, dtype=np.int64)), len(law.params)
    out = np.zeros((n, k))
    with np.errstate(all="ignore"):
        val = np.broadcast_to(m.val, (1, n))[0]
        for j, g in m.g.items():
            out[:, j] = np.broadcast_to(g, (1, n))[0] / val
    return out


def scaled_jacobian(law: Law, coefs: Array, data: Mapping[str, Any]) -> tuple[Array, Array, Array]:
    """The runs' ``J`` in the solver's centred coordinates, each column scaled to unit norm.

    Returns:
        ``(Js, M, norm)``: ``Js = J M / norm`` over the runs where ``J`` is finite, ``(n, K)``;
        ``M = dθ/dθ_centred`` (``a = a' + α log N0``); each column's norm before scaling
        (1 where it is 0: a parameter that moves no prediction keeps a zero column).
    """
    J = log_gradient(law, coefs, data)
    J = J[np.all(np.isfinite(J), axis=1)]
    M = np.eye(J.shape[1])  # d theta / d theta_centred: a = a' + alpha * log N0
    for coef, expo, log0 in centering_for(law, data).terms:
        M[coef, expo] += log0
    Jc = J @ M
    norm = np.sqrt(np.sum(Jc * Jc, axis=0))
    norm = np.where(norm > 0, norm, 1.0)
    return Jc / norm, M, norm


def efficiency(loss: RobustLoss, sigma: float) -> float:
    """``c = E[ψ(e)²] / (σ² E[ψ'(e)]²)`` for Gaussian ``e`` of scale ``sigma``: the robust
    loss's variance inflation over least squares (1 for ``"squared"``)."""
    if loss.name == "squared" or sigma <= 0:
        return 1.0
    a = loss.delta / sigma
    if loss.name == "huber":
        p = math.erf(a / math.sqrt(2.0))  # P(|e| < δ)
        phi = math.exp(-a * a / 2) / math.sqrt(2 * math.pi)
        psi2 = (p - 2 * a * phi) + a * a * (1 - p)  # E[ψ²] / σ²
        return psi2 / p**2 if p > 0 else math.pi / 2
    # soft_l1: ψ(e) = 2e/√(1+(e/δ)²); ψ' peaks over a width δ, far narrower than σ: a
    # fine grid in units of σ (spacing well below δ/σ), not a Gauss-Hermite rule
    x = np.linspace(-12.0, 12.0, 1 + 2 * max(20_000, int(240 / min(a, 1.0))))
    w = np.exp(-x * x / 2)
    w /= w.sum()
    s = np.sqrt(1.0 + (x / a) ** 2)
    return float(np.sum(w * (2 * x / s) ** 2) / np.sum(w * 2 / s**3) ** 2)


def covariance(
    law: Law, coefs: Array, data: Mapping[str, Any], *, sigma: float, loss: RobustLoss
) -> Array:
    """The fit's parameter covariance ``c σ² (JᵀJ)⁻¹`` in the fitted space, ``(K, K)``,
    with the eigenvalue floor of :data:`RIDGE` (the module docstring says why).

    Args:
        law: The law.
        coefs: The fit's natural parameter values.
        data: Variable symbol -> values of the runs it was fitted to.
        sigma: Its noise scale (robust standard deviation of the log residuals).
        loss: The robust loss it minimised.
    """
    Js, M, norm = scaled_jacobian(law, coefs, data)
    k = Js.shape[1]
    if len(Js) == 0 or sigma <= 0:
        return np.zeros((k, k))
    lam, vec = np.linalg.eigh(Js.T @ Js)
    lam = np.maximum(lam, RIDGE)
    inv = M @ ((vec / lam) @ vec.T / np.outer(norm, norm)) @ M.T
    return np.asarray(efficiency(loss, sigma) * sigma**2 * inv, dtype=np.float64)


def prediction_sd(law: Law, coefs: Array, cov: Array, data: Mapping[str, Any]) -> Array:
    """``√(gᵀ Σ g)``: standard deviation of the predicted log loss at each point (flat)."""
    g = log_gradient(law, coefs, data)
    v = np.einsum("pk,kl,pl->p", g, cov, g)
    return np.asarray(np.sqrt(np.maximum(v, 0.0)), dtype=np.float64)

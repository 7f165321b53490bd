"""The delta-method parameter error of a prediction (fit/_delta.py).

Oracles: ordinary least squares' covariance written out for a law that is linear in its
fitted parameters; central finite differences of the law for the gradient of a nonlinear
one; numerical integration for the robust loss's variance inflation; the eigenvalue floor
on an exactly collinear design.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, stats

import scalinglab as sl
from scalinglab.fit._delta import RIDGE, covariance, efficiency, log_gradient, prediction_sd
from scalinglab.fit._losses import RobustLoss


def test_linear_in_log_law_gives_the_least_squares_covariance() -> None:
    """``L = A N^-alpha``: ``log L = log A - alpha log N`` is linear in (log A, alpha), so the
    covariance is OLS's ``sigma^2 (X^T X)^-1`` with ``X = [1, -log N]`` exactly."""
    law = sl.get_law("power-law")
    assert law.param_names == ("A", "alpha")
    n = np.geomspace(1e6, 1e9, 12)
    coefs = np.array([30.0, 0.3])
    sigma = 0.01
    cov = covariance(law, coefs, {"N": n}, sigma=sigma, loss=RobustLoss("squared"))
    X = np.column_stack([np.ones_like(n), -np.log(n)])
    np.testing.assert_allclose(cov, sigma**2 * np.linalg.inv(X.T @ X), rtol=1e-9)
    x0 = np.array([1.0, -np.log(1e11)])
    sd = prediction_sd(law, coefs, cov, {"N": np.array([1e11])})
    assert sd[0] == pytest.approx(math.sqrt(x0 @ cov @ x0), rel=1e-12)


def test_gradient_matches_central_finite_differences_of_the_law() -> None:
    law = sl.get_law("chinchilla")
    coefs = np.array([1.69, 406.4, 410.7, 0.34, 0.28])
    data = {"N": np.array([1e8, 7e10, 3e9]), "D": np.array([2e9, 1.4e12, 6e10])}
    g = log_gradient(law, coefs, data)
    theta = law.to_fitted(coefs)
    h = 1e-6
    fd = np.empty_like(g)
    for k in range(len(theta)):
        up, down = theta.copy(), theta.copy()
        up[k] += h
        down[k] -= h
        fd[:, k] = (
            np.log(law.evaluate(law.to_natural(up), data))
            - np.log(law.evaluate(law.to_natural(down), data))
        ) / (2 * h)
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-9)
    # and the variance is g^T Sigma g with that gradient, for any covariance
    rng = np.random.default_rng(0)
    m = rng.standard_normal((5, 5))
    cov = m @ m.T * 1e-4
    want = np.sqrt(np.einsum("pk,kl,pl->p", fd, cov, fd))
    np.testing.assert_allclose(prediction_sd(law, coefs, cov, data), want, rtol=1e-5)


@pytest.mark.parametrize("sigma", [0.002, 0.015, 0.05])
@pytest.mark.parametrize("name", ["huber", "soft_l1"])
def test_efficiency_is_the_sandwich_factor_by_integration(name: str, sigma: float) -> None:
    loss = RobustLoss(name, 1e-3)  # type: ignore[arg-type]
    density = stats.norm(scale=sigma).pdf
    lim = 12 * sigma
    d = loss.delta
    pts = [-d, d] if name == "huber" else None

    def psi(e: float) -> float:
        return float(loss.derivatives(np.array([e]))[1][0])

    def dpsi(e: float) -> float:
        return float(loss.derivatives(np.array([e]))[2][0])

    a = integrate.quad(lambda e: psi(e) ** 2 * density(e), -lim, lim, points=pts, limit=200)[0]
    b = integrate.quad(lambda e: dpsi(e) * density(e), -lim, lim, points=pts, limit=200)[0]
    assert efficiency(loss, sigma) == pytest.approx(a / (sigma**2 * b**2), rel=1e-4)


def test_efficiency_limits() -> None:
    assert efficiency(RobustLoss("squared"), 0.01) == 1.0
    assert efficiency(RobustLoss("huber", 1e-4), 1.0) == pytest.approx(math.pi / 2, rel=1e-4)
    assert efficiency(RobustLoss("huber", 1.0), 1e-3) == pytest.approx(1.0, rel=1e-9)


def test_collinear_directions_get_the_floor_not_infinity() -> None:
    """Two power terms in the same variable with equal exponents are exactly collinear in
    (log A, log B): ``JᵀJ`` is singular, and the floor bounds the variance of that
    direction at ``1/RIDGE`` (unit-diagonal units), a pair correlated at the diagnostics'
    confounding threshold."""
    law = sl.get_law("E + A*N**-alpha + B*N**-beta")
    n = np.geomspace(1e6, 1e9, 20)
    coefs = np.array([1.5, 50.0, 50.0, 0.3, 0.3])
    cov = covariance(law, coefs, {"N": n}, sigma=0.01, loss=RobustLoss("squared"))
    assert np.all(np.isfinite(cov))
    J = log_gradient(law, coefs, {"N": n})
    norm = np.linalg.norm(J, axis=0)
    scaled = cov * np.outer(norm, norm) / 0.01**2  # (JᵀJ)⁻¹ in equilibrated units
    lam = np.linalg.eigvalsh(scaled)
    assert pytest.approx(0.005) == RIDGE
    assert lam[-1] == pytest.approx(1 / RIDGE, rel=1e-6)
    # the prediction along the data is unaffected by the floor: the collinear pair moves
    # log A - log B, which leaves the law unchanged where A = B and the exponents agree
    sd = prediction_sd(law, coefs, cov, {"N": np.array([1e10])})
    assert 0 < sd[0] < 1.0

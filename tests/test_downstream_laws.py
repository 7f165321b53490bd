"""Downstream laws recover the parameters they generated data with, and evaluate like their
formulas (loss-to-loss, sigmoid, exponential error)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from scalinglab import fit, read_runs
from scalinglab.downstream import ExponentialError, LossToLoss, Sigmoid, downstream_law

RNG_SEEDS = range(3)


def _table(loss: np.ndarray, **columns: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({"params": 1e8, "tokens": 2e9, "loss": loss, **columns})


def test_formulas_match_their_closed_forms() -> None:
    L = np.array([2.5, 3.0, 3.7])
    sig = Sigmoid(chance=0.25)
    got = sig({"a": 0.6, "k": -3.0, "L0": 3.1}, L=L)
    np.testing.assert_allclose(got, 0.6 / (1 + np.exp(3.0 * (L - 3.1))) + 0.25, rtol=1e-12)
    free = Sigmoid()
    got = free({"a": 0.5, "k": -2.0, "L0": 3.0, "b": 0.1}, L=L)
    np.testing.assert_allclose(got, 0.5 / (1 + np.exp(2.0 * (L - 3.0))) + 0.1, rtol=1e-12)
    err = ExponentialError()({"epsilon": 0.9, "k": 0.02, "gamma": -1.0 * -1.2}, L=L)
    np.testing.assert_allclose(err, 0.9 - 0.02 * np.exp(-1.2 * L), rtol=1e-12)
    l2l = LossToLoss(floor=2.0)({"K": 1.3, "kappa": 1.2, "E_x": 1.5, "E_y": 0.8}, L=L)
    np.testing.assert_allclose(l2l, 1.3 * (L - 1.5) ** 1.2 + 0.8, rtol=1e-12)
    # the row-wise form the chain uses agrees with the law
    theta = np.array([[0.6, -3.0, 3.1], [0.5, -2.0, 2.9]])
    rows = sig.rows(theta, np.vstack([L, L]))
    np.testing.assert_allclose(rows[1], sig(theta[1], L=L), rtol=1e-12)
    assert sig.formula == "acc = a / (1 + exp(-k*(L - L0))) + 0.25"
    assert "Bhagia" in sig.citation and "Gadre" in ExponentialError().citation
    assert "Brandfonbrener" in LossToLoss().citation


@pytest.mark.parametrize("seed", RNG_SEEDS)
def test_sigmoid_recovers_its_parameters(seed: int) -> None:
    rng = np.random.default_rng(seed)
    L = rng.uniform(2.6, 4.2, 60)
    truth = {"a": 0.55, "k": -4.0, "L0": 3.3}
    acc = Sigmoid(chance=0.25)(truth, L=L) + rng.normal(0, 0.005, L.size)
    result = fit(
        Sigmoid(chance=0.25),
        read_runs(_table(L, acc=acc)),
        y="acc",
        space="linear",
        delta=0.02,
        bootstrap=100,
        seed=seed,
    )
    assert result.ok
    for name, value in truth.items():
        assert result.coefs[name] == pytest.approx(value, rel=0.05), name
        lo, hi = result.intervals[name]
        assert lo - 0.02 * abs(value) <= value <= hi + 0.02 * abs(value), name


@pytest.mark.parametrize("seed", RNG_SEEDS)
def test_exponential_error_recovers_its_parameters(seed: int) -> None:
    rng = np.random.default_rng(seed)
    L = rng.uniform(2.6, 4.2, 60)
    truth = {"epsilon": 0.85, "k": 30.0, "gamma": 1.5}
    err = ExponentialError()(truth, L=L) + rng.normal(0, 0.003, L.size)
    result = fit(
        ExponentialError(),
        read_runs(_table(L, err=err)),
        y="err",
        space="linear",
        delta=0.02,
        seed=seed,
        bootstrap=0,
    )
    assert result.ok
    assert result.coefs["epsilon"] == pytest.approx(0.85, abs=0.02)
    assert result.coefs["gamma"] == pytest.approx(1.5, rel=0.15)
    # the curve, which is what predictions use, is recovered tightly
    grid = np.linspace(2.6, 4.2, 9)
    np.testing.assert_allclose(
        ExponentialError()(result.coefs, L=grid), ExponentialError()(truth, L=grid), atol=0.006
    )


@pytest.mark.parametrize("seed", RNG_SEEDS)
def test_loss_to_loss_recovers_the_curve(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.uniform(2.6, 4.5, 60)
    truth = {"K": 1.4, "kappa": 1.3, "E_x": 1.8, "E_y": 1.0}
    y = LossToLoss()(truth, L=x) * np.exp(rng.normal(0, 0.002, x.size))
    law = LossToLoss(floor=0.999 * x.min())
    result = fit(law, read_runs(_table(x, y=y)), y="y", seed=seed, bootstrap=0)
    assert result.ok
    # E_x, E_y and K trade off along a valley; the curve they draw is what is identified
    grid = np.linspace(2.6, 4.5, 9)
    np.testing.assert_allclose(law(result.coefs, L=grid), law(truth, L=grid), rtol=0.006)
    assert result.coefs["kappa"] == pytest.approx(1.3, rel=0.3)


def test_a_loss_to_loss_fit_predicts_and_is_written() -> None:
    """A FitResult rebuilt its law from the law's name, which get_law does not know for a
    downstream law: a loss-to-loss fit could not predict, print or be written (FormulaError
    "unknown law 'loss-to-loss'"); it keeps the law it fitted."""
    x = np.linspace(2.6, 4.5, 24)
    y = LossToLoss()({"K": 1.4, "kappa": 1.3, "E_x": 1.8, "E_y": 1.0}, L=x)
    law = LossToLoss(floor=0.999 * x.min())
    result = fit(law, read_runs(_table(x, y=y)), y="y", bootstrap=0)
    assert result.law is law
    assert result.predict(loss=3.0).loss == pytest.approx(1.4 * 1.2**1.3 + 1.0, rel=1e-3)
    assert result.to_dict()["formula"] == "L_y = K*(L_x - E_x)**kappa + E_y"
    assert "loss-to-loss" in str(result)


def test_downstream_law_names() -> None:
    assert isinstance(downstream_law("sigmoid", column="x", chance=0.5), Sigmoid)
    assert downstream_law("sigmoid", column="x", chance=0.5).param_names == ("a", "k", "L0")
    assert downstream_law("sigmoid", column="x").param_names == ("a", "k", "L0", "b")
    assert isinstance(downstream_law("gadre", column="x"), ExponentialError)
    assert math.isinf(downstream_law("loss-to-loss", column="x").params[2].upper)

"""The downstream laws in closed form (``laws/_downstream_form.py``): against finite
differences of their expressions, against the generic autodiff, and the fits they speed up
against the same fits through the autodiff."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

import scalinglab as sl
from scalinglab.downstream import ExponentialError, LossToLoss, Sigmoid
from scalinglab.downstream._refit import fit_step, resample_weights
from scalinglab.fit._losses import get_loss
from scalinglab.laws import Law
from scalinglab.laws._dual import Dual

RNG = np.random.default_rng(5)
LOSS = np.sort(RNG.uniform(2.6, 4.6, 17))
DATA = {"L": LOSS}


def _points(law: Law) -> np.ndarray:
    """Interior points in the fitted space, 6 per law."""
    lows = {
        "a": 0.2, "k": -8.0, "L0": 2.8, "b": 0.2,  # sigmoid (k < 0)
        "epsilon": 0.6, "gamma": 0.3,  # exp-error (k: its log below)
        "kappa": 0.5, "E_x": 0.5, "E_y": 0.2, "K": 0.5,  # loss-to-loss
    }  # fmt: skip
    highs = {
        "a": 0.5, "k": -1.0, "L0": 4.2, "b": 0.3, "epsilon": 0.9, "gamma": 2.0,
        "kappa": 2.0, "E_x": 2.0, "E_y": 1.5, "K": 2.0,
    }  # fmt: skip
    if isinstance(law, ExponentialError):
        lows["k"], highs["k"] = 0.5, 5.0
    rows = [{p: RNG.uniform(lows[p], highs[p]) for p in law.param_names} for _ in range(6)]
    return np.array([law.to_fitted(r) for r in rows])


LAWS: dict[str, Callable[[], Law]] = {
    "sigmoid, tied": lambda: Sigmoid(column="loss", chance=0.25),
    "sigmoid, b fitted": lambda: Sigmoid(column="loss"),
    "exp-error": lambda: ExponentialError(column="loss"),
    "loss-to-loss": lambda: LossToLoss(column="loss", floor=2.5),
}


def _dense(d: Dual, K: int, P: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A derivatives ``Dual`` as dense ``(S, P)``, ``(S, K, P)``, ``(S, K, K, P)`` arrays."""
    val = np.asarray(d.val)
    S = val.shape[0]
    grad, hess = np.zeros((S, K, P)), np.zeros((S, K, K, P))
    for k, v in d.g.items():
        grad[:, k] = np.broadcast_to(v, (S, P))
    for (k, l), v in d.h.items():
        hess[:, k, l] = hess[:, l, k] = np.broadcast_to(v, (S, P))
    return val, grad, hess


@pytest.mark.parametrize("name", LAWS)
def test_closed_form_matches_finite_differences_of_the_expression(name: str) -> None:
    law = LAWS[name]()
    K, P = len(law.params), len(LOSS)
    fast = law.bind(DATA)
    generic = law.program.bind(DATA)  # the expression's values, no closed form in them
    assert (fast.value_form, fast.log_form) != (None, None)
    assert generic.value_form is None and generic.log_form is None
    for theta in _points(law):
        val, grad, hess = (a[0] for a in _dense(fast.derivatives(theta[None, :], 2), K, P))
        want = generic.value(theta[None, :])[0]
        np.testing.assert_allclose(val, want, rtol=1e-14)
        np.testing.assert_allclose(fast.value(theta[None, :])[0], want, rtol=1e-14)
        for k in range(K):  # fourth-order central differences
            e = np.zeros(K)
            e[k] = 1 + abs(theta[k])

            def at(step: float, th: np.ndarray = theta, e: np.ndarray = e) -> np.ndarray:
                return np.asarray(generic.value((th + step * e)[None, :])[0])

            def grad_at(step: float, th: np.ndarray = theta, e: np.ndarray = e) -> np.ndarray:
                d = fast.derivatives((th + step * e)[None, :], 2)
                return np.asarray(_dense(d, K, P)[1][0])

            h = 1e-5
            fd = (at(-2 * h) - 8 * at(-h) + 8 * at(h) - at(2 * h)) / (12 * h * e[k])
            np.testing.assert_allclose(grad[k], fd, rtol=1e-7, atol=1e-9 * np.abs(grad).max())
            fd = (grad_at(-2 * h) - 8 * grad_at(-h) + 8 * grad_at(h) - grad_at(2 * h)) / (
                12 * h * e[k]
            )
            np.testing.assert_allclose(hess[k], fd, rtol=1e-7, atol=1e-9 * np.abs(hess).max())
            h = 1e-3  # second differences of the expression's values: larger steps
            fd = (-at(2 * h) + 16 * at(h) - 30 * val + 16 * at(-h) - at(-2 * h)) / (
                12 * (h * e[k]) ** 2
            )
            np.testing.assert_allclose(hess[k, k], fd, rtol=1e-5, atol=1e-7 * np.abs(hess).max())


@pytest.mark.parametrize("name", LAWS)
def test_closed_form_equals_the_autodiff(name: str) -> None:
    """What the solver's objective sees, the law and its derivatives, to 1e-12."""
    law = LAWS[name]()
    K, P = len(law.params), len(LOSS)
    theta = _points(law)
    fast = _dense(law.bind(DATA).derivatives(theta, 2), K, P)
    slow = _dense(law.program.bind(DATA).derivatives(theta, 2), K, P)
    for got, want in zip(fast, slow, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14 * np.abs(want).max())
    # and the value path, bit for bit (the same operations in the same order)
    np.testing.assert_array_equal(law.bind(DATA).value(theta), law.program.bind(DATA).value(theta))


def test_loss_to_loss_log_form_is_the_log_of_its_value() -> None:
    law = LossToLoss(column="loss", floor=2.5)
    form = law.log_form(DATA)
    assert form is not None
    theta = _points(law)
    np.testing.assert_allclose(
        form.log_value(theta), np.log(law.program.bind(DATA).value(theta)), rtol=1e-14
    )


def test_catalog_laws_have_no_value_form() -> None:
    for law in sl.laws.catalog():
        data = dict.fromkeys(law.variables, LOSS)
        assert law.value_form(data) is None and law.bind(data).value_form is None


#: Laws the runs determine (17 runs; 1% accuracy noise, 0.3% loss noise).
TRUTH: dict[str, dict[str, float]] = {
    "sigmoid, tied": {"a": 0.45, "k": -3.0, "L0": 3.4},
    "sigmoid, b fitted": {"a": 0.45, "k": -3.0, "L0": 3.4, "b": 0.27},
    "exp-error": {"epsilon": 0.8, "k": 4.0, "gamma": 1.0},
    "loss-to-loss": {"K": 1.0, "kappa": 1.3, "E_x": 1.5, "E_y": 0.9},
}


def _autodiff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bind every downstream law without its closed form: the generic autodiff."""
    for cls in (Sigmoid, ExponentialError):
        monkeypatch.setattr(cls, "value_form", lambda self, data: None)
    monkeypatch.setattr(LossToLoss, "log_form", lambda self, data: None)


@pytest.mark.parametrize("name", LAWS)
@pytest.mark.heavy  # 2.4 s in the suite on a 2-core AMD EPYC
def test_fits_reach_the_autodiffs_optima(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The full fit and 60 bootstrap refits, closed form against autodiff: the objective
    to 1e-12 (full fit) and 1e-9 (refits), the coefficients of the full fit and the fitted
    law at the runs to 1e-6. The solver stops when two accepted steps gain less than
    ``ftol = 1e-12`` of the objective, which pins a fit only to about ``sqrt(ftol)``, and a
    coefficient the data barely determine (a sigmoid's steepness once it is a step between
    two runs) hardly at all: the two paths' last steps differ at that level, on the same
    function."""
    law = LAWS[name]()
    truth = law.to_fitted(TRUTH[name])
    clean = law.program.bind(DATA).value(truth[None, :])[0]
    space = "log" if isinstance(law, LossToLoss) else "linear"
    noise = (0.003 if space == "log" else 0.01) * RNG.standard_normal(len(LOSS))
    target = clean * np.exp(noise) if space == "log" else clean + noise
    weights = resample_weights(len(LOSS), 60, 3)

    delta = 1e-3 if space == "log" else 0.02
    huber = get_loss("huber", delta=delta)

    def objective(theta: np.ndarray, w: np.ndarray | float = 1.0) -> np.ndarray:
        """Independent of the solver's objective: natural ``theta`` ``(R, K)``."""
        pred = law.program.bind(DATA).value(law.to_fitted(theta))
        r = np.log(pred / target) if space == "log" else pred - target
        return np.asarray(np.sum(w * huber.rho(r), axis=1))

    def run() -> tuple[np.ndarray, np.ndarray, float]:
        step = fit_step(law, DATA, target, space=space, delta=delta, weights=weights)
        return step.theta, step.samples, step.noise

    fast = run()
    _autodiff(monkeypatch)
    assert law.bind(DATA).value_form is None and law.bind(DATA).log_form is None
    slow = run()
    np.testing.assert_allclose(objective(fast[0][None]), objective(slow[0][None]), rtol=1e-12)
    np.testing.assert_allclose(fast[0], slow[0], rtol=1e-6, atol=1e-9)
    assert math.isclose(fast[2], slow[2], rel_tol=1e-6)
    finite = np.isfinite(slow[1]).all(axis=1)
    assert finite.sum() >= 55
    np.testing.assert_array_equal(np.isfinite(fast[1]).all(axis=1), finite)
    w = weights[finite]
    np.testing.assert_allclose(
        objective(fast[1][finite], w), objective(slow[1][finite], w), rtol=1e-9
    )
    generic = law.program.bind(DATA)
    curves = [generic.value(law.to_fitted(f[1][finite])) for f in (fast, slow)]
    np.testing.assert_allclose(curves[0], curves[1], rtol=1e-6, atol=1e-6)

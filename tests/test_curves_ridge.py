"""The ridge on the multi-power law's drop shape, its time-split choice, and the Bayesian
bootstrap of curve fits."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.test_curves import MPL_TRUE, SPECS, _synthetic

from scalinglab import ConfigError, fit_curves
from scalinglab.curves import Curve, CurveFit, MultiPower, choose_ridge
from scalinglab.curves._bootstrap import bootstrap_curves
from scalinglab.curves._fit import _objective
from scalinglab.curves._ridge import ridge_terms
from scalinglab.fit._losses import get_loss

REF = {"C": 1.0, "beta": 0.5, "gamma": 0.5}


def _curves(noise: float = 1e-3, seed: int = 1) -> list[Curve]:
    return _synthetic(MultiPower(), MPL_TRUE, SPECS[:3], noise=noise, seed=seed, every=50)


@pytest.mark.parametrize("loss", ["huber", "soft_l1", "squared"])
def test_ridge_adds_lambda_times_squared_distance_in_the_fitted_space(loss: str) -> None:
    law, curves, lam = MultiPower(), _curves(), 3e-5
    robust = get_loss(loss, delta=1e-3)
    target = np.concatenate([c.loss for c in curves])
    pos = {p.name: p.positive for p in law.params}
    plain = _objective(law, curves, robust, target)
    ridged = _objective(
        law, curves, robust, target, ridge_terms(law.param_names, pos, REF, lam, robust, "mp")
    )
    theta = law.to_fitted({**MPL_TRUE, "C": 5.0, "beta": 1.5, "gamma": 0.2})[None, :]
    # independent reference: the penalty written out by hand (log C, beta, gamma)
    by_hand = lam * ((np.log(5.0) - 0.0) ** 2 + (1.5 - 0.5) ** 2 + (0.2 - 0.5) ** 2)
    g = np.zeros(1, dtype=np.int64)
    got = ridged.value(theta, g) - plain.value(theta, g)
    assert got[0] == pytest.approx(by_hand, rel=1e-6 if loss != "soft_l1" else 1e-4)
    # gradient against central differences of the ridged objective
    _, grad, _, _ = ridged.derivatives(theta, g)
    for k in range(theta.shape[1]):
        h = 1e-6 * (1 + abs(theta[0, k]))
        up, dn = theta.copy(), theta.copy()
        up[0, k] += h
        dn[0, k] -= h
        fd = (ridged.value(up, g) - ridged.value(dn, g))[0] / (2 * h)
        assert grad[0, k] == pytest.approx(fd, rel=1e-4, abs=1e-10), law.param_names[k]


@pytest.mark.heavy  # 2.3 s in the suite on a 2-core AMD EPYC
def test_a_strong_ridge_holds_the_drop_shape_at_the_reference_and_a_weak_one_does_not() -> None:
    curves = _curves()
    strong = fit_curves(curves, law="multipower", ridge=10.0, bootstrap=0)
    for name, value in REF.items():
        assert strong.coefs[name] == pytest.approx(value, abs=0.02), name
    assert strong.ridge == 10.0 and len(strong.residuals) == sum(len(c) for c in curves)
    weak = fit_curves(curves, law="multipower", ridge=1e-12, bootstrap=0)
    plain = fit_curves(curves, law="multipower", bootstrap=0)
    for name in ("L0", "A", "alpha", "beta"):
        assert weak.coefs[name] == pytest.approx(plain.coefs[name], rel=1e-3), name
    assert plain.coefs["beta"] == pytest.approx(MPL_TRUE["beta"], abs=0.2)


def test_ridge_is_refused_for_a_law_without_a_reference_and_survives_json(tmp_path: Path) -> None:
    curves = _curves()
    with pytest.raises(ConfigError, match="no ridge reference"):
        fit_curves(curves, law="tissue", ridge=1e-5, bootstrap=0)
    with pytest.raises(ConfigError, match="ridge must be"):
        fit_curves(curves, law="multipower", ridge=-1.0, bootstrap=0)
    with pytest.raises(ConfigError, match="after the cut at step") as cut:
        choose_ridge(curves, grid=(0.0,), cuts=(1.5,))
    assert "choose cuts below 1" in (cut.value.hint or "")
    with pytest.raises(ConfigError, match="one of them is empty"):
        choose_ridge(curves, grid=(), cuts=(0.5,))
    fit = fit_curves(curves, law="multipower", ridge=1e-4, bootstrap=8, seed=0)
    assert fit.samples is not None and len(fit.samples) == 8
    fit.save(tmp_path / "f.json")
    assert CurveFit.load(tmp_path / "f.json").ridge == 1e-4


@pytest.mark.heavy  # 2.5 s in the suite on a 2-core AMD EPYC
def test_choose_ridge_scores_each_strength_on_the_held_back_remainders() -> None:
    curves = _curves()
    grid = (0.0, 1e-4, 10.0)
    choice = choose_ridge(curves, grid=grid, cuts=(0.6,))
    last = max(int(c.step[-1]) for c in curves)
    assert choice.cuts == (round(0.6 * last),)
    # the first score, recomputed independently: fit the prefixes, predict the remainders
    cut = choice.cuts[0]
    pre = [type(c)(c.run, c.step[c.step <= cut], c.loss[c.step <= cut], c.schedule) for c in curves]
    fit = fit_curves(pre, law="multipower", bootstrap=0)
    errs = [
        np.mean(np.abs(fit.predict(c.schedule, steps=c.step[c.step > cut]).loss
                       / c.loss[c.step > cut] - 1))
        for c in curves
    ]  # fmt: skip
    assert choice.scores[0] == pytest.approx(np.mean(errs), rel=1e-9)
    assert choice.ridge == grid[int(np.argmin(choice.scores))]
    # the data are drawn at C = 2, gamma = 0.6: holding the shape at the reference
    # (C = 1, gamma = 0.5) extrapolates worse than no ridge
    assert choice.scores[2] > choice.scores[0]


@pytest.mark.heavy  # 1.9 s in the suite on a 2-core AMD EPYC
def test_bayesian_bootstrap_weights_every_curve_and_gives_intervals() -> None:
    curves = _curves(noise=2e-3, seed=4)
    fit = fit_curves(curves, law="multipower", bootstrap=20, seed=0, resample="bayesian")
    assert fit.samples is not None and len(fit.samples) >= 18
    for name in ("L0", "A", "alpha"):
        lo, hi = fit.intervals[name]
        assert lo < hi
    with pytest.raises(ConfigError, match="resample must be"):
        fit_curves(curves, resample="jackknife", bootstrap=0)


def test_bayesian_weights_are_dirichlet_times_the_number_of_curves(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: dict[str, np.ndarray] = {}

    def spy(objective, theta0, **kw):  # type: ignore[no-untyped-def]
        seen.setdefault("w", objective.weights)
        raise RuntimeError("stop")

    monkeypatch.setattr("scalinglab.curves._bootstrap.minimize", spy)
    law, curves = MultiPower(), _curves()
    robust = get_loss("huber")
    obj = _objective(law, curves, robust, np.concatenate([c.loss for c in curves]))
    sizes = [len(c) for c in curves]
    with pytest.raises(RuntimeError):
        bootstrap_curves(
            obj, obj, law.start_grid(obj.target), law.start_grid(obj.target)[:2],
            np.zeros(2), sizes, sizes, n=500, per=1, seed=0,
            lower=np.full(7, -np.inf), upper=np.full(7, np.inf), max_iter=1,
            resample="bayesian",
        )  # fmt: skip
    per_curve = seen["w"][:, np.cumsum([0, *sizes[:-1]])]
    assert np.allclose(per_curve.sum(axis=1), len(curves))
    assert np.all(per_curve > 0)
    # Dirichlet(1, 1, 1) times 3: each weight's variance 9 * 2 / (9 * 4) = 0.5
    assert np.var(per_curve) == pytest.approx(0.5, rel=0.15)

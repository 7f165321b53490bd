"""The wild cluster bootstrap of curve fits, and the solver's targets per weight-set."""

from __future__ import annotations

import math

import numpy as np
import pytest
from tests.test_curves import MPL_TRUE, SPECS, _synthetic

from scalinglab import ConfigError, fit_curves
from scalinglab.curves import Curve, MultiPower, Tissue
from scalinglab.curves._bootstrap import WEBB, _wild, bootstrap_curves
from scalinglab.curves._fit import _objective, fit_law_to_curves
from scalinglab.curves._ridge import ridge_terms
from scalinglab.fit._losses import get_loss
from scalinglab.fit._objective import Objective

TISSUE_TRUE = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}


def _curves(noise: float = 1e-3, seed: int = 1) -> list[Curve]:
    return _synthetic(MultiPower(), MPL_TRUE, SPECS[:3], noise=noise, seed=seed, every=50)


def test_a_target_per_weight_set_gives_what_one_objective_per_row_gives() -> None:
    law, curves = MultiPower(), _curves()
    y = np.log(np.concatenate([c.loss for c in curves]))
    rng = np.random.default_rng(0)
    rows = np.stack([y, y + 0.01, y + 2e-3 * rng.standard_normal(len(y))])
    one = _objective(law, curves, get_loss("huber"), np.exp(y))
    many = Objective(one.program, rows, one.loss, True)
    theta = np.stack([law.to_fitted(MPL_TRUE), law.to_fitted({**MPL_TRUE, "A": 0.6})] * 3)
    groups = np.array([0, 0, 1, 1, 2, 2])
    got = many.derivatives(theta, groups)
    for i, g in enumerate(groups):
        alone = Objective(one.program, rows[g], one.loss, True)
        want = alone.derivatives(theta[i : i + 1], np.zeros(1, dtype=np.int64))
        for a, b in zip(got, want, strict=True):
            np.testing.assert_allclose(a[i], b[0], rtol=1e-12, atol=1e-15)
        assert many.value(theta[i : i + 1], groups[i : i + 1])[0] == pytest.approx(
            float(want[0][0]), rel=1e-12
        )
    with pytest.raises(ValueError, match="needs the groups"):
        many.residuals(theta)


def test_wild_targets_are_the_fit_plus_each_curves_residuals_times_one_webb_weight(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: dict[str, np.ndarray] = {}

    def spy(objective, theta0, **kw):  # type: ignore[no-untyped-def]
        seen.setdefault("y", objective.target)
        raise RuntimeError("stop")

    monkeypatch.setattr("scalinglab.curves._bootstrap.minimize", spy)
    law, curves = Tissue(), _synthetic(Tissue(), TISSUE_TRUE, SPECS[:3], noise=2e-3, seed=3)
    obj = _objective(law, curves, get_loss("huber"), np.concatenate([c.loss for c in curves]))
    at = {**TISSUE_TRUE, "L0": 2.79}  # any point: the wild targets are built around it
    theta = law.to_fitted(at)
    sizes = [len(c) for c in curves]
    with pytest.raises(RuntimeError):
        bootstrap_curves(
            obj, obj, law.start_grid(obj.target), theta[None, :], np.zeros(1), sizes, sizes,
            n=400, per=1, seed=0, lower=np.full(4, -np.inf), upper=np.full(4, np.inf),
            max_iter=1, resample="wild",
        )  # fmt: skip
    # independent reference: the law's own values at that point, in log
    p = np.array([[at[n] for n in law.param_names]])
    fitted = np.log(law.evaluate(p, law.prepare([c.schedule for c in curves],
                                                [c.step for c in curves]), jacobian=False)[0][0])  # fmt: skip
    observed = np.log(np.concatenate([c.loss for c in curves]))
    ratio = (seen["y"] - fitted) / (observed - fitted)  # each point's weight
    starts = np.cumsum([0, *sizes[:-1]])
    for s, n in zip(starts, sizes, strict=True):  # one weight per curve, for all its points
        block = ratio[:, s : s + n]
        np.testing.assert_allclose(block, np.broadcast_to(block[:, :1], block.shape), atol=1e-9)
    v = ratio[:, starts]
    assert np.all(np.min(np.abs(v[..., None] - WEBB), axis=-1) < 1e-9)
    assert np.mean(v) == pytest.approx(0.0, abs=0.06)  # 1,200 draws: sd of the mean 0.03
    assert np.var(v) == pytest.approx(1.0, rel=0.1)
    assert np.mean(WEBB) == pytest.approx(0.0, abs=1e-15)
    assert np.mean(WEBB**2) == pytest.approx(1.0, rel=1e-15)


def test_wild_bootstrap_keeps_every_curve_and_is_the_same_for_a_seed() -> None:
    law, curves = Tissue(), _synthetic(Tissue(), TISSUE_TRUE, SPECS[:3], noise=2e-3, seed=3)
    one = fit_curves(curves, law=law, bootstrap=40, seed=5, resample="wild")
    two = fit_curves(curves, law=law, bootstrap=40, seed=5, resample="wild")
    assert one.samples is not None and two.samples is not None
    np.testing.assert_array_equal(one.samples, two.samples)
    assert len(one.samples) >= 38
    for name in law.param_names:
        lo, hi = one.intervals[name]
        assert lo < one.coefs[name] < hi
    with pytest.raises(ConfigError, match="'curves', 'bayesian', 'wild' or 'wild-jackknife'"):
        fit_curves(curves, resample="jackknife", bootstrap=0)


def test_jackknife_residuals_are_each_curves_miss_by_the_fit_without_it() -> None:
    law = Tissue()
    curves = _synthetic(law, TISSUE_TRUE, SPECS, noise=2e-3, seed=5, every=50)
    for i, c in enumerate(curves):  # an offset per curve, as runs differ
        curves[i] = Curve(c.run, c.step, c.loss * math.exp(3e-3 * (-1) ** i), c.schedule)
    _, full = fit_law_to_curves(law, curves)
    obj = _objective(law, curves, get_loss("huber"), np.concatenate([c.loss for c in curves]))
    theta = law.to_fitted(dict(zip(law.param_names, full.params, strict=True)))
    lower, upper = law.fitted_bounds()
    sizes = [len(c) for c in curves]
    y = _wild(obj, theta, np.ones((1, len(curves))), sizes, (lower, upper, 300))[0]
    fitted = obj.target + obj.residuals(theta[None, :])[0]
    own = fitted - y  # each point's residual as the wild targets use it
    start = 0
    for i, c in enumerate(curves):
        # independent reference: the fit without curve i, from the law's own start grid
        _, without = fit_law_to_curves(law, curves[:i] + curves[i + 1 :])
        p = without.params[None, :]
        pred = law.evaluate(p, law.prepare([c.schedule], [c.step]), jacobian=False)[0][0]
        want = np.log(pred) - np.log(c.loss)
        np.testing.assert_allclose(own[start : start + len(c)], want, atol=2e-7)
        start += len(c)
    # and they are larger than the fit's own residuals: the fit absorbed part of each curve
    assert np.sum(own**2) > 1.2 * np.sum((fitted - obj.target) ** 2)


def test_a_ridges_pseudo_observations_keep_their_targets() -> None:
    law, curves = MultiPower(), _curves()
    robust = get_loss("huber")
    pos = {p.name: p.positive for p in law.params}
    pen = ridge_terms(law.param_names, pos, {"C": 1.0, "beta": 0.5, "gamma": 0.5}, 1e-4, robust, "")
    obj = _objective(law, curves, robust, np.concatenate([c.loss for c in curves]), pen)
    points = sum(len(c) for c in curves)
    assert len(obj.target) > points  # the pseudo-observations follow the points
    v = np.array([[-1.0, 0.5, 1.5]])
    theta = law.to_fitted({**MPL_TRUE, "A": 0.52})
    for jack in (None, (*law.fitted_bounds(), 50)):
        y = _wild(obj, theta, v, [len(c) for c in curves], jack)
        np.testing.assert_array_equal(y[0, points:], obj.target[points:])
        assert not np.allclose(y[0, :points], obj.target[:points])


def test_each_resampling_draws_its_own_resamples() -> None:
    law, curves = Tissue(), _synthetic(Tissue(), TISSUE_TRUE, SPECS, noise=2e-3, seed=3)
    draws = {
        scheme: fit_curves(curves, law=law, bootstrap=30, seed=2, resample=scheme).samples
        for scheme in ("curves", "wild", "wild-jackknife")
    }
    assert not np.allclose(draws["curves"], draws["wild"])
    assert not np.allclose(draws["wild"], draws["wild-jackknife"])
    # leave-one-curve-out residuals are larger than the fit's own: so is the spread
    spread = {k: np.std(np.log(v[:, 0])) for k, v in draws.items() if v is not None}
    assert spread["wild-jackknife"] > spread["wild"]
    obj = _objective(law, curves, get_loss("huber"), np.concatenate([c.loss for c in curves]))
    sizes = [len(c) for c in curves]
    with pytest.raises(ValueError, match="unknown resampling 'jackknife'"):
        bootstrap_curves(
            obj, obj, law.start_grid(obj.target), law.start_grid(obj.target)[:1], np.zeros(1),
            sizes, sizes, n=2, per=1, seed=0, lower=np.full(4, -np.inf),
            upper=np.full(4, np.inf), max_iter=1, resample="jackknife",
        )  # fmt: skip

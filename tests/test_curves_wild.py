"""The wild cluster bootstrap of curve fits, and the solver's targets per weight-set."""

from __future__ import annotations

import numpy as np
import pytest
from tests.test_curves import MPL_TRUE, SPECS, _synthetic

from scalinglab import ConfigError, fit_curves
from scalinglab.curves import Curve, MultiPower, Tissue
from scalinglab.curves._bootstrap import WEBB, bootstrap_curves
from scalinglab.curves._fit import _objective
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
            max_steps=1, resample="wild",
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
    with pytest.raises(ConfigError, match="'curves', 'bayesian' or 'wild'"):
        fit_curves(curves, resample="jackknife")

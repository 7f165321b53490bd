"""Calibration: simulated truth, the residual noise scale, and coverage near nominal."""

from __future__ import annotations

import numpy as np
import pytest

from scalinglab import ConfigError, fit
from scalinglab.validate import Scenario, calibrate, simulate_runs
from scalinglab.validate._calibration import HOFFMANN


def _law(N: np.ndarray, D: np.ndarray) -> np.ndarray:
    t = HOFFMANN
    return t["E"] + t["A"] * N ** -t["alpha"] + t["B"] * D ** -t["beta"]


def test_simulated_ladder_follows_the_truth() -> None:
    clean = simulate_runs(Scenario(noise=0.0, outliers=0), seed=0)
    assert len(clean) == 49 and clean.simulated
    np.testing.assert_allclose(clean["loss"], _law(clean["params"], clean["tokens"]), rtol=1e-12)
    np.testing.assert_allclose(clean["flops"], 6 * clean["params"] * clean["tokens"], rtol=1e-12)
    # the compute-optimal size sits in the middle of each budget's sizes
    mid = clean["params"][3::7]
    losses = clean["loss"].reshape(7, 7)
    assert np.all(np.argmin(losses, axis=1) == 3), mid


def test_outliers_only_among_the_fitted_budgets() -> None:
    runs = simulate_runs(Scenario(noise=0.0, outliers=4), seed=3)
    ratio = runs["loss"] / _law(runs["params"], runs["tokens"])
    pushed = ratio > 1.19
    assert pushed.sum() == 4 and not pushed[runs["flops"] == 1e21].any()
    assert np.all((ratio[pushed] >= 1.2) & (ratio[pushed] <= 1.5))
    again = simulate_runs(Scenario(noise=0.0, outliers=4), seed=3)
    np.testing.assert_array_equal(again["loss"], runs["loss"])


def test_noise_scale_recovers_the_noise_despite_outliers() -> None:
    runs = simulate_runs(Scenario(noise=0.02, outliers=3), seed=5)
    result = fit("chinchilla", runs, bootstrap=40)
    assert result.noise_scale() == pytest.approx(0.02, rel=0.3)
    at = {"params": runs["params"][:5], "tokens": runs["tokens"][:5]}
    # the noise widens the bootstrap interval (the calibrated one, at d = 0 on the data's low
    # edge, is q·σ and can be narrower than the law-mean interval there: issue 10, RESULTS)
    wide = result.predict(extrapolation=False, **at)
    narrow = result.predict(noise=False, **at)
    assert wide.noise == result.noise_scale() and narrow.noise == 0.0
    np.testing.assert_array_equal(wide.loss, narrow.loss)
    assert np.all(wide.upper - wide.lower > narrow.upper - narrow.lower)
    # same fit, same interval: the noise draws are seeded by the fit
    np.testing.assert_array_equal(result.predict(extrapolation=False, **at).lower, wide.lower)


@pytest.mark.heavy  # 1.9 s in the suite on a 2-core AMD EPYC
def test_small_study_prediction_intervals_cover() -> None:
    cal = calibrate(Scenario(), replicates=5, bootstrap=60, seed=7)
    assert cal.n_points == 35 and cal.replicates == 5
    pred, par = cal.coverage["prediction"], cal.coverage["parameters"]
    assert pred[0.9] >= 0.75
    assert all(pred[lv] >= par[lv] for lv in (0.5, 0.8, 0.9))
    assert 0.001 < cal.median_are < 0.05
    assert set(cal.to_dict()["coverage"]["prediction"]) == {"0.5", "0.8", "0.9"}


def test_level_is_the_coverages_scored_as_backtest_names_them() -> None:
    cal = calibrate(Scenario(), replicates=1, bootstrap=20, level=0.8, seed=3)
    assert set(cal.coverage["prediction"]) == {0.8}
    # levels=, the old name, warns for one release and scores the same
    with pytest.warns(DeprecationWarning, match=r"calibrate\(levels=\) is deprecated .* level="):
        old = calibrate(Scenario(), replicates=1, bootstrap=20, levels=[0.8], seed=3)
    assert old.to_dict() == cal.to_dict()
    with pytest.raises(ConfigError, match="both level= and levels="):
        calibrate(replicates=1, bootstrap=20, level=0.8, levels=[0.8])


def test_bad_options() -> None:
    with pytest.raises(ConfigError, match="replicates"):
        calibrate(replicates=0)
    with pytest.raises(ConfigError, match="tails"):
        simulate_runs(Scenario(tails="cauchy"), seed=0)


@pytest.mark.slow
def test_coverage_near_nominal() -> None:
    """30 ladders, 210 held-out runs: the prediction intervals (bootstrap, and calibrated by
    backtests) hold close to their nominal share, the parameter-only intervals of before fall
    well short at 90%."""
    cal = calibrate(Scenario(), replicates=30, bootstrap=100, seed=500)
    for level, covered in cal.coverage["prediction"].items():
        assert covered == pytest.approx(level, abs=0.08), (level, covered)
    # the law is right here: intervals calibrated on its extrapolation error stay nominal
    for level, covered in cal.coverage["calibrated"].items():
        assert covered == pytest.approx(level, abs=0.08), (level, covered)
    assert cal.coverage["parameters"][0.9] < 0.85

"""Prediction intervals that include the law's extrapolation error (fit/_extrapolation.py).

Oracles: a conformal quantile counted by hand; a misspecified law (two power terms fitted by
one) whose true extrapolation the bootstrap interval misses and the calibrated one holds; a
correct law whose measured growth is small beside the noise; JSON round trip.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from tests.conftest import chinchilla_runs

import scalinglab as sl
from scalinglab.fit._extrapolation import Extrapolation, distance, floor_of, reach_of


def _two_term(x: np.ndarray, *, seed: int, noise: float = 0.003) -> np.ndarray:
    """A loss curve with a bend: 1.5 + 40 x^-0.35 + 2 x^-0.08 (no single power law fits it)."""
    rng = np.random.default_rng(seed)
    mean = 1.5 + 40 * x**-0.35 + 2 * x**-0.08
    return mean * np.exp(noise * rng.standard_normal(len(x)))


def test_conformal_quantile_is_the_ceil_n_plus_1_level_th_score() -> None:
    r = np.arange(1, 20, dtype=float)  # 19 scores 1..19 at d = 0, sigma = 1: scores = |r|
    ex = Extrapolation(
        "backtest-calibrated", "", {"N": 1.0}, np.zeros(19), r, np.zeros(19), 1.0, 0.0
    )
    assert ex.quantile(0.9) == 18.0  # ceil(20 * 0.9) = 18
    assert ex.quantile(0.5) == 10.0
    assert ex.quantile(0.95) == 19.0  # ceil(20 * 0.95) = 19: the largest, at max_level
    assert ex.max_level == pytest.approx(19 / 20)  # n/(n+1)
    assert ex.quantile(0.99) == math.inf  # beyond n/(n+1): unbounded, not the largest
    slope = Extrapolation("backtest-calibrated", "", {"N": 1.0}, np.zeros(0), r, r, 0.01, 0.02)
    assert slope.scale(np.array([2.0]))[0] == pytest.approx(math.hypot(0.01, 0.04))


def test_each_cut_weighs_the_same_in_the_quantile() -> None:
    """Two cuts, one residual and three: weights 1 and 1/3 each, the new point's 1 at +inf
    (Barber et al. 2023), shares of the sorted scores 1, 2, 3, 4 over a total of 3."""
    r = np.array([4.0, 1.0, 2.0, 3.0])  # cut 1: score 4; cut 2: scores 1, 2, 3
    ex = Extrapolation(
        "backtest-calibrated", "", {"N": 1.0}, np.zeros(4), r, np.zeros(4), 1.0, 0.0,
        sizes=(1, 3),
    )  # fmt: skip
    np.testing.assert_allclose(ex.weights, [1, 1 / 3, 1 / 3, 1 / 3])
    # cumulative shares: 1/9, 2/9, 3/9, 6/9 (the score 4 of the one-run cut) -> then +inf
    assert ex.quantile(0.3) == 3.0
    assert ex.quantile(0.5) == 4.0
    assert ex.quantile(2 / 3) == 4.0  # the last share, 6/9: max_level
    assert ex.max_level == pytest.approx(2 / 3)
    assert ex.quantile(0.9) == math.inf  # past every share: unbounded
    unweighted = Extrapolation.from_dict({k: v for k, v in ex.to_dict().items() if k != "sizes"})
    assert unweighted.sizes == () and unweighted.quantile(0.5) == 3.0  # ceil(5 * 0.5) = 3rd
    assert Extrapolation.from_dict(ex.to_dict()).sizes == (1, 3)
    with pytest.raises(ValueError, match="do not add up"):
        _ = replace(ex, sizes=(2, 3)).weights


def test_a_level_past_what_the_residuals_calibrate_gives_an_unbounded_interval() -> None:
    """n = 9 residuals of equal weight calibrate levels up to n/(n+1) = 90%: at 90% the
    interval is the largest score's, past it the interval is unbounded (conformal), and the
    prediction, its ``max_level`` and its note say so."""
    r = np.linspace(0.01, 0.09, 9)  # scores = |r| / sigma = 1..9
    ex = Extrapolation(
        "backtest-calibrated", "", {"N": 1e9}, np.zeros(9), r, np.zeros(9), 0.01, 0.0,
        cuts=(1.0, 2.0, 3.0), sizes=(3, 3, 3),
    )  # fmt: skip
    assert ex.max_level == pytest.approx(0.9)
    assert ex.quantile(0.9) == pytest.approx(9.0) and ex.level_note(0.9) is None
    assert ex.quantile(0.91) == math.inf
    assert ex.level_note(0.95) == (
        "the 95% interval is unbounded: 9 backtest residuals from 3 cuts calibrate levels "
        "up to 90%, no higher (conformal); ask 90% or less for a bounded one"
    )
    fit = sl.fit("chinchilla", chinchilla_runs(seed=3), bootstrap=0, seed=0)
    fit = replace(fit, extrapolation=replace(ex, reach={"N": 1e12, "D": 1e13, "N*D": 1e25}))
    bounded = fit.predict(params=1e9, tokens=2e10, level=0.9)
    assert np.isfinite(bounded.upper).all() and bounded.notes == ()
    assert bounded.max_level == pytest.approx(0.9)
    wide = fit.predict(params=1e9, tokens=2e10, level=0.95)
    assert wide.lower.tolist() == [0.0] and wide.upper.tolist() == [math.inf]
    assert wide.notes == (ex.level_note(0.95),) and wide.max_level == pytest.approx(0.9)
    one = fit.theta[None, :]  # a sample: the fit's line names the kind of its intervals
    assert (
        "; the 99% interval is unbounded: 9 backtest"
        in replace(fit, level=0.99, samples=one).interval_note
    )
    assert "unbounded" not in replace(fit, level=0.9, samples=one).interval_note


def test_distance_is_decades_beyond_the_largest_fitted_value_on_any_axis() -> None:
    reach = reach_of({"N": np.array([1e6, 1e8]), "D": np.array([1e10, 1e9])})
    assert reach["N*D"] == pytest.approx(1e17)
    d = distance(reach, {"N": np.array([1e7, 1e9, 1e8]), "D": np.array([1e9, 1e9, 1e11])})
    np.testing.assert_allclose(d, [0.0, 1.0, 2.0])  # inside; N a decade beyond; N*D two


def test_distance_counts_decades_below_the_smallest_fitted_value_too() -> None:
    data = {"N": np.array([1e6, 1e8]), "D": np.array([1e10, 1e9])}
    reach, floor = reach_of(data), floor_of(data)
    assert floor == {"N": 1e6, "D": 1e9, "N*D": pytest.approx(1e16), "D/N": pytest.approx(10)}
    at = {"N": np.array([1e7, 1e5, 1e7]), "D": np.array([1e9, 1e10, 1e7])}
    np.testing.assert_allclose(distance(reach, at, floor), [0.0, 1.0, 2.0])
    np.testing.assert_allclose(distance(reach, at), [0.0, 0.0, 0.0])  # files before the floor


def test_tokens_per_parameter_is_an_axis_of_the_reported_distance_only() -> None:
    # two runs at 100 tokens per parameter: (1e6, 1e10) and (1e8, 1e8) lie inside N, D and
    # N·D, at 1e4 and 1 tokens per parameter, two decades above and below the runs' ratio
    data = {"N": np.array([1e6, 1e8]), "D": np.array([1e8, 1e10])}
    reach, floor = reach_of(data), floor_of(data)
    assert reach["D/N"] == pytest.approx(100) and floor["D/N"] == pytest.approx(100)
    at = {"N": np.array([1e6, 1e8, 1e7]), "D": np.array([1e10, 1e8, 1e9])}
    np.testing.assert_allclose(distance(reach, at, floor, ratio=True), [2.0, 2.0, 0.0])
    np.testing.assert_allclose(distance(reach, at, ratio=True), [2.0, 0.0, 0.0])
    np.testing.assert_allclose(distance(reach, at, floor), [0.0, 0.0, 0.0])  # the width's


def test_a_prediction_at_an_unseen_ratio_is_flagged_its_interval_unchanged() -> None:
    """A small model on many tokens, inside the runs' N, D and N·D: its distance counts the
    tokens per parameter beyond the runs', a note says so, and the calibrated interval is the
    one at its distance in N, D and N·D (the backtests never measured a ratio)."""
    from scalinglab.fit._far import far_notes

    runs = chinchilla_runs(seed=2, outliers=0)
    result = sl.fit("chinchilla", runs, bootstrap=60, seed=0)
    ex = result.extrapolation
    assert ex is not None and ex.calibrated
    ratios = runs.tokens / runs.params
    assert ex.reach["D/N"] == pytest.approx(ratios.max())
    assert ex.floor["D/N"] == pytest.approx(ratios.min())
    n, d = 2e7, 3e11  # 15,000 tokens per parameter; the runs reach 644
    far = math.log10(d / n / ratios.max())
    p = result.predict(params=n, tokens=d)
    assert far > 1 and p.distance is not None and p.distance[0] == pytest.approx(far)
    assert float(result.distance(params=n, tokens=d)) == pytest.approx(far)
    assert float(distance(ex.reach, {"N": n, "D": d}, ex.floor)) == 0  # inside N, D, N·D
    notes = far_notes(ex, {"N": np.array([n]), "D": np.array([d])})
    assert notes == (
        "tokens per parameter outside the fitted runs' 0.377 to 644 sets how far some rows "
        "are from the data: the law is extrapolated to a ratio of tokens to parameters no run "
        "trained at; its backtests (cut along N·D) do not test that, so the loss interval does "
        "not widen for it",
    )
    without = {k: v for k, v in ex.reach.items() if k != "D/N"}  # as a file from before it
    before = replace(result, extrapolation=replace(ex, reach=without))
    q = before.predict(params=n, tokens=d)
    assert q.distance is not None and q.distance[0] == 0
    assert (q.lower[0], q.upper[0]) == (p.lower[0], p.upper[0])


def test_a_model_below_the_data_gets_the_interval_of_one_as_far_above() -> None:
    """Below the smallest runs is an extrapolation too: the distance says so, and the
    calibrated interval widens with it as it does above (the growth measured upward is
    assumed downward); a result saved before the floor was recorded counts only above."""
    runs = chinchilla_runs(seed=2, outliers=0)
    result = sl.fit("chinchilla", runs, bootstrap=60, seed=0)
    ex = result.extrapolation
    assert ex is not None and ex.calibrated
    n0, c0 = float(runs.params.min()), float((runs.params * runs.tokens).min())
    low = result.predict(params=n0 / 100, tokens=c0 / n0)  # N and N·D 100x below
    inside = result.predict(params=n0, tokens=c0 / n0)
    assert low.distance is not None and low.distance[0] == pytest.approx(2.0)
    assert inside.distance is not None and inside.distance[0] == pytest.approx(0.0)
    rel = np.log(low.upper / low.loss)
    assert rel[0] == pytest.approx(float(ex.half_width(np.array([2.0]), 0.0, 0.9)[0]), rel=0.05)
    assert rel[0] > 2 * np.log(inside.upper / inside.loss)[0]
    old = replace(ex, floor={}, reach={k: v for k, v in ex.reach.items() if k != "D/N"})
    assert sl.FitResult.from_dict(result.to_dict()).extrapolation.floor == ex.floor  # type: ignore[union-attr]
    assert float(replace(result, extrapolation=old).distance(params=n0 / 100, tokens=c0 / n0)) == 0


def test_misspecified_law_calibrated_interval_holds_what_the_bootstrap_misses() -> None:
    x = np.repeat(np.geomspace(1e6, 1e10, 17), 3)
    y = _two_term(x, seed=3)
    runs = pd.DataFrame({"params": x, "loss": y})
    train = runs[runs.params <= 1e9]
    result = sl.fit("power-law-plus-constant", train, bootstrap=200, seed=1)
    ex = result.extrapolation
    assert ex is not None and ex.calibrated and len(ex.cuts) >= 2
    far = np.array([1e10])
    truth = 1.5 + 40 * far**-0.35 + 2 * far**-0.08
    boot = result.predict(params=far, extrapolation=False)
    cal = result.predict(params=far)
    assert boot.interval_kind == "bootstrap" and cal.interval_kind == "backtest-calibrated"
    assert cal.distance is not None and cal.distance[0] == pytest.approx(1.0)
    assert not (boot.lower[0] <= truth[0] <= boot.upper[0])  # the bootstrap misses the bend
    assert cal.lower[0] <= truth[0] <= cal.upper[0]
    assert cal.upper[0] - cal.lower[0] > boot.upper[0] - boot.lower[0]  # wider
    assert (cal.upper[0] - cal.lower[0]) / cal.loss[0] < 0.15  # and not absurdly wide


def test_correct_law_measures_little_growth_and_round_trips() -> None:
    result = sl.fit("chinchilla", chinchilla_runs(seed=2, outliers=0), bootstrap=60, seed=0)
    ex = result.extrapolation
    assert ex is not None and ex.calibrated
    # the law is right: the error a decade out is within a few noise scales (noise is 1%)
    assert float(ex.scale(np.array([1.0]))[0]) < 0.03
    back = sl.FitResult.from_dict(result.to_dict())
    a = result.predict(params=[1e10, 7e10], tokens=[2e11, 1.4e12])
    b = back.predict(params=[1e10, 7e10], tokens=[2e11, 1.4e12])
    np.testing.assert_array_equal(a.lower, b.lower)
    np.testing.assert_array_equal(a.upper, b.upper)
    assert b.interval_kind == "backtest-calibrated"


def test_too_few_scales_falls_back_to_the_bootstrap_and_says_why() -> None:
    runs = chinchilla_runs(seed=4, outliers=0).iloc[::6]  # 11 runs for 5 parameters
    result = sl.fit("chinchilla", runs, bootstrap=40)
    assert result.extrapolation is not None and not result.extrapolation.calibrated
    assert "too few scales" in result.interval_note and result.interval_kind == "bootstrap"
    assert result.predict(params=1e10, tokens=2e11).interval_kind == "bootstrap"


def test_no_bootstrap_measures_nothing_but_keeps_the_reach() -> None:
    runs = chinchilla_runs(seed=4)
    result = sl.fit("chinchilla", runs, bootstrap=0)
    ex = result.extrapolation
    assert ex is not None and not ex.calibrated and len(ex.residuals) == 0
    assert result.interval_note == "none: the fit has no bootstrap (bootstrap=200; --bootstrap 200)"
    assert ex.reach["N"] == runs.params.max()
    largest = runs.loc[runs.params.idxmax()]  # ten times its size, its tokens: N a decade out
    at = {"params": largest.params * 10, "tokens": largest.tokens}
    assert float(result.distance(**at)) == pytest.approx(1.0)


# the same check on a second set of runs with -m heavy
@pytest.mark.parametrize(
    "data", ["overtraining-c4", pytest.param("overtraining-rw", marks=pytest.mark.heavy)]
)
def test_cut_fits_from_33_starts_measure_what_129_do(
    monkeypatch: pytest.MonkeyPatch, data: str
) -> None:
    """Each cut's point fit solves the full optimum and the first 32 of the 128 drawn grid
    rows; its resamples still draw from all 129, so residuals and spreads are unchanged
    (on the default grid: to 2e-7 relative, measured)."""
    import importlib

    refit_module = importlib.import_module("scalinglab.fit._refit")
    runs = sl.bundled_runs(data)
    law = sl.get_law("chinchilla")
    grid = law.start_grid({"N": runs["params"], "D": runs["tokens"]}, runs["loss"])[::9]
    few = sl.fit(law, runs, starts=grid, bootstrap=10).extrapolation
    monkeypatch.setattr(refit_module, "CUT_POINT_STARTS", refit_module.CUT_STARTS)
    every = sl.fit(law, runs, starts=grid, bootstrap=10).extrapolation
    assert few is not None and every is not None
    assert few.calibrated and len(few.residuals) == len(every.residuals) > 0
    np.testing.assert_allclose(few.residuals, every.residuals, rtol=1e-5)
    # a resample started from a cut optimum that differs in its last digits can stop a
    # tolerance away: on this thinned grid 3 of 55 spreads moved by up to 9e-4 (relative)
    np.testing.assert_allclose(few.spreads, every.spreads, rtol=2e-3)
    assert (few.slope, few.power) == (every.slope, every.power)
    assert few.quantile(0.9) == pytest.approx(every.quantile(0.9), rel=1e-3)


def test_bootstrap_pool_is_where_resamples_draw_their_starts() -> None:
    runs = chinchilla_runs(seed=2, outliers=0)
    law = sl.get_law("chinchilla")
    grid = law.start_grid(
        {"N": runs["params"].to_numpy(), "D": runs["tokens"].to_numpy()}, runs["loss"].to_numpy()
    )
    base = sl.fit(law, runs, starts=grid[:40], bootstrap=5, seed=3, extrapolation=False)
    same = sl.fit(
        law, runs, starts=grid[:40], bootstrap=5, seed=3, extrapolation=False,
        bootstrap_pool=grid[:40],
    )  # fmt: skip
    assert base.samples is not None and same.samples is not None
    np.testing.assert_array_equal(base.samples, same.samples)
    with pytest.raises(sl.ConfigError, match="bootstrap_pool must have 5 columns"):
        sl.fit(law, runs, starts=grid[:40], bootstrap=5, bootstrap_pool=np.zeros((3, 4)))


@pytest.mark.heavy  # 1.2 s in the suite on a 2-core AMD EPYC
def test_calibrated_width_does_not_depend_on_the_seed() -> None:
    """The width is a function of the cut fits' optima, not of their bootstrap draws: on the
    bundled over-training runs (whose cut fits are not identified, so their bootstrap spreads
    moved the width between seeds before) two seeds give the same interval."""
    from scalinglab.data import bundled_runs

    runs = bundled_runs("overtraining-c4")
    at = {"params": [411.6e6, 1e9], "tokens": [8.2e9, 2e10]}
    got = []
    for seed in (0, 1):
        result = sl.fit("chinchilla", runs, bootstrap=40, seed=seed)
        ex = result.extrapolation
        assert ex is not None and ex.calibrated and ex.model == "whole"
        assert len(ex.sizes) == len(ex.cuts) and sum(ex.sizes) == len(ex.residuals)
        p = result.predict(level=0.8, params=at["params"], tokens=at["tokens"])
        got.append(np.log(p.upper / p.loss))
    np.testing.assert_allclose(got[0], got[1], rtol=1e-6)
    assert np.all(got[0] > 0.01)  # and it is a real width, not nothing


def test_diverged_runs_are_recorded_but_not_scored() -> None:
    """Three runs pushed up 40% (log 0.34, beyond max(8σ, 0.1) of the full fit): their
    residuals above each cut are kept and flagged, and the scores are those of the same
    measurement with those residuals removed (the interval is for a run that trains
    normally, as the noise scale σ, a median absolute deviation, is)."""
    from tests.conftest import TRUTH

    runs = chinchilla_runs(seed=2, outliers=3)
    truth = (
        TRUTH["E"]
        + TRUTH["A"] * runs.params ** -TRUTH["alpha"]
        + TRUTH["B"] * runs.tokens ** -TRUTH["beta"]
    )
    pushed = (runs.loss / truth > 1.25).to_numpy()  # 1% noise never reaches 25%
    assert pushed.sum() == 3
    result = sl.fit("chinchilla", runs, bootstrap=40, seed=0)
    ex = result.extrapolation
    assert ex is not None and ex.calibrated and ex.model == "whole"
    compute = (runs.params * runs.tokens).to_numpy()
    want = np.concatenate([pushed[compute >= c * (1 - 1e-9)] for c in ex.cuts])
    assert sum(ex.sizes) == len(want)  # every residual finite, every cut fitted
    np.testing.assert_array_equal(ex.diverged, want)
    assert want.any() and f"{int(want.sum())} of diverged runs not scored" in ex.reason
    # the same scores as a measurement without those residuals at all
    keep = ~want
    cut = np.repeat(np.arange(len(ex.sizes)), ex.sizes)
    without = replace(
        ex,
        distances=ex.distances[keep],
        residuals=ex.residuals[keep],
        spreads=ex.spreads[keep],
        deltas=ex.deltas[keep],
        sizes=tuple(int(n) for n in np.bincount(cut[keep], minlength=len(ex.sizes))),
        diverged=np.zeros(0, dtype=bool),
    )
    for level in (0.5, 0.8, 0.9):
        assert ex.quantile(level) == without.quantile(level)
    scored_all = replace(ex, diverged=np.zeros(0, dtype=bool))
    assert scored_all.quantile(0.9) >= ex.quantile(0.9)
    back = Extrapolation.from_dict(ex.to_dict())
    np.testing.assert_array_equal(back.diverged, ex.diverged)
    np.testing.assert_array_equal(back.deltas, ex.deltas)
    assert back.covariance is not None and ex.covariance is not None
    np.testing.assert_array_equal(back.covariance, ex.covariance)
    assert back.quantile(0.9) == ex.quantile(0.9) and back.model == "whole"


def test_delta_model_scale_holds_the_full_fits_delta_method_variance() -> None:
    """The measured but not default model ``s² = σ² + v + κ²·d^p``: at prediction ``v`` is
    ``gᵀΣg`` of the full fit's covariance (computed here with ``_delta`` directly), at the
    cuts their own recorded delta-method errors."""
    from scalinglab.fit._delta import prediction_sd

    result = sl.fit("chinchilla", chinchilla_runs(seed=2, outliers=0), bootstrap=20, seed=0)
    ex = result.extrapolation
    assert ex is not None and ex.covariance is not None and len(ex.deltas) == len(ex.residuals)
    assert np.all(ex.deltas > 0)
    delta = replace(ex, with_delta=True)
    assert delta.model == "delta"
    np.testing.assert_array_equal(delta.cut_spreads, ex.deltas)
    at = {"params": np.array([3e10, 1e11]), "tokens": np.array([6e11, 2e12])}
    p = replace(result, extrapolation=delta).predict(
        level=0.8, params=at["params"], tokens=at["tokens"]
    )
    law, data = result.law, {"N": at["params"], "D": at["tokens"]}
    sd = prediction_sd(law, result.theta, ex.covariance, data)
    d = distance(ex.reach, data)
    s = np.sqrt(ex.sigma**2 + sd**2 + ex.slope**2 * d**ex.power)
    np.testing.assert_allclose(np.log(p.upper / p.loss), delta.quantile(0.8) * s, rtol=1e-12)


def test_a_cut_left_with_one_budget_is_skipped_not_an_error() -> None:
    """Runs at two budgets: every rolling cut keeps one, where a law of C cannot be fitted;
    the fit stands, with bootstrap intervals, and says why (it used to fail with 'every run
    has flops = 1e+18', a column value of the cut, not of the user's file)."""
    rng = np.random.default_rng(0)
    n = np.tile(np.geomspace(2e7, 5e8, 8), 2)
    c = np.repeat([1e18, 1e19], 8)
    d = c / (6 * n)
    y = (1.7 + 400 * n**-0.34 + 410 * d**-0.28) * np.exp(0.005 * rng.standard_normal(16))
    runs = pd.DataFrame({"params": n, "tokens": d, "flops": c, "loss": y})
    result = sl.fit("power-law-plus-constant:flops", runs, bootstrap=20)
    assert result.extrapolation is not None and result.extrapolation.kind == "bootstrap"
    assert "too few scales" in result.extrapolation.reason
    assert any("flops takes 2 distinct values" in w for w in result.warnings)


def test_a_formula_in_other_symbols_for_params_and_tokens_keeps_the_compute_axis() -> None:
    """``params``/``tokens`` (or ``--x P=params,T=tokens``) read the same columns as N and D:
    the same reach, with the product of the two as an axis, the same cuts, the same interval."""
    runs = sl.simulated_runs()
    nd = sl.fit("E + A*N**-alpha + B*D**-beta", runs, bootstrap=40)
    pt = sl.fit("E + A*params**-alpha + B*tokens**-beta", runs, bootstrap=40)
    assert nd.extrapolation is not None and pt.extrapolation is not None
    assert pt.extrapolation.reach["params*tokens"] == nd.extrapolation.reach["N*D"]
    assert pt.extrapolation.floor["params*tokens"] == nd.extrapolation.floor["N*D"]
    # the largest N with the largest D: inside each axis, 1.8 decades beyond on N*D
    N, D = max(runs["params"]), max(runs["tokens"])
    assert float(pt.distance(params=N, tokens=D)) == pytest.approx(
        float(nd.distance(params=N, tokens=D))
    )
    assert float(pt.distance(params=N, tokens=D)) > 1.0
    a, b = nd.predict(params=N, tokens=D), pt.predict(params=N, tokens=D)
    assert float(b.lower[0]) == pytest.approx(float(a.lower[0]), rel=1e-9)
    assert float(b.upper[0]) == pytest.approx(float(a.upper[0]), rel=1e-9)
    assert (
        reach_of({"P": np.array([1.0, 2.0]), "T": np.array([3.0, 4.0])}, ("P", "T"))["P*T"] == 8.0
    )


def test_a_law_in_n_and_d_read_from_other_columns_keeps_the_compute_axis() -> None:
    runs = sl.simulated_runs()
    frame = pd.DataFrame(
        {"run": runs.runs, "model_size": runs["params"], "train_tokens": runs["tokens"],
         "loss": runs["loss"]}
    )  # fmt: skip
    law = "E + A*N**-alpha + B*D**-beta"
    mapped = sl.fit(law, frame, x={"N": "model_size", "D": "train_tokens"}, bootstrap=0)
    assert mapped.extrapolation is not None and "N*D" in mapped.extrapolation.reach
    N, D = max(runs["params"]), max(runs["tokens"])
    assert float(mapped.distance(params=N, tokens=D)) == pytest.approx(1.806, abs=1e-3)

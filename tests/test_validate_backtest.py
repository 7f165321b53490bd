"""Backtests: hold-out rules, ARE and coverage by hand, known laws predicted, rolling origin."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pytest
from tests.conftest import TRUTH, chinchilla_runs

from scalinglab import ConfigError, DataError, RunTable, read_runs, simulate_ladder, simulated_runs
from scalinglab._defaults import BOOTSTRAP, ROLLING_BOOTSTRAP
from scalinglab.validate import (
    Split,
    backtest,
    baseline_backtest,
    compare,
    rolling_backtest,
    scales,
    split_runs,
)
from scalinglab.validate._score import score, summarize


def _table(flops: list[float], loss: list[float] | None = None) -> RunTable:
    n = len(flops)
    f = np.asarray(flops, float)
    return RunTable(
        columns={
            "flops": f,
            "params": np.sqrt(f / 120),
            "tokens": 20 * np.sqrt(f / 120),
            "loss": np.asarray(loss if loss is not None else [3.0] * n, float),
        },
        runs=tuple(f"r{i}" for i in range(n)),
        rows=tuple(range(2, n + 2)),
        source="t.csv",
    )


def _truth_table(*, noise: float, seed: int = 0, outliers: int = 0) -> RunTable:
    df = chinchilla_runs(seed=seed, noise=noise, outliers=outliers)
    df["flops"] = 6 * df["params"] * df["tokens"]
    return read_runs(df)


# -- hold-out rules ------------------------------------------------------------------------


def test_predicate_holds_out_the_top_budget() -> None:
    runs = simulated_runs()  # 7 budgets x 7 sizes, 1e18 ... 1e21
    split = split_runs(runs, "flops>=1e21")
    assert len(split.held_out) == 7 and len(split.fitted) == 42
    assert np.all(split.held_out["flops"] == 1e21) and split.fitted["flops"].max() == 3e20
    np.testing.assert_allclose(split.times_fitted(), 1e21 / 3e20)


def test_predicate_units_and_clauses() -> None:
    t = _table([1e18, 1e19, 1e20, 1e21, 1e22])
    params = np.sqrt(np.array([1e18, 1e19, 1e20, 1e21, 1e22]) / 120)  # 9.1e7 ... 9.1e9
    assert len(split_runs(t, "params>1B").held_out) == int(np.sum(params > 1e9)) == 2
    both = split_runs(t, "flops>=1e20 & params<5e9")
    assert both.held_out.runs == ("r2", "r3")
    assert split_runs(t, "flops >= 1e20 and flops < 1e22").held_out.runs == ("r2", "r3")


def test_largest_and_fractions() -> None:
    t = _table([5e18, 1e21, 2e19, 3e20, 1e18, 7e20, 4e19, 9e19, 2e18, 6e18])
    assert set(split_runs(t, "largest:3").held_out.runs) == {"r1", "r5", "r3"}
    assert split_runs(t, "largest:1:params").held_out.runs == ("r1",)
    # top decile of 10 runs: the single run at or above the 90th percentile
    assert split_runs(t, "top-decile").held_out.runs == ("r1",)
    assert set(split_runs(t, "top:30%").held_out.runs) == {"r1", "r5", "r3"}


def test_scales_group_budgets_within_tolerance() -> None:
    flops = np.array([1e18, 1.05e18, 9.6e17, 3e18, 1e19, 1.1e19, 3e19])
    np.testing.assert_array_equal(scales(flops), [0, 0, 0, 1, 2, 2, 3])


@pytest.mark.parametrize(
    ("rule", "error", "match"),
    [
        ("flops>=1e30", ConfigError, "holds out no run"),
        ("flops>0", ConfigError, "holds out all 5 runs"),
        ("largest:0", ConfigError, "at least 1"),
        ("largest:9", ConfigError, "holds out all"),
        ("flops >> 3", ConfigError, "cannot read"),
        ("flops>=abc", ConfigError, "not a number"),
        ("__import__('os').system('true')", ConfigError, "cannot read"),
        ("", ConfigError, "empty"),
        ("width>3", DataError, "column 'width'"),
        ("largest:2:width", DataError, "width"),
        ("top:0%", ConfigError, "fraction"),
    ],
)
def test_bad_rules_are_refused(rule: str, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        split_runs(_table([1e18, 1e19, 1e20, 1e21, 1e22]), rule)


def test_too_few_runs_left_to_fit() -> None:
    t = _table([1e18, 2e18, 4e18, 8e18, 1e19, 1e20, 1e21], loss=[3.5, 3.4, 3.3, 3.2, 3.1, 3, 2.9])
    with pytest.raises(DataError, match="at least 6 runs"):
        backtest(t, law="chinchilla", holdout="largest:3", bootstrap=0)


# -- scoring -------------------------------------------------------------------------------


def test_are_and_coverage_by_hand() -> None:
    t = _table([1e18, 1e19, 1e20, 1e21], loss=[4.0, 3.0, 2.5, 2.0])
    split = split_runs(t, "flops>=1e20")

    def predict(test: RunTable, levels: object) -> object:
        actual = test["loss"]  # 2.5, 2.0
        point = actual * np.array([1.1, 0.95])
        bands = {
            0.5: (point - 0.01, point + 0.01),  # misses both
            0.9: (point - np.array([0.3, 0.05]), point + np.array([0.3, 0.04])),  # first only
        }
        return point, bands

    runs = score(split, predict, levels=(0.5, 0.9))  # type: ignore[arg-type]
    assert [r.are for r in runs] == pytest.approx([0.1, 0.05])
    assert [r.inside(0.9) for r in runs] == [True, False]
    s = summarize(runs, (0.5, 0.9))
    assert s.median_are == pytest.approx(0.075) and s.max_are == pytest.approx(0.1)
    assert s.coverage == {0.5: 0.0, 0.9: 0.5}
    assert runs[1].times_fitted == pytest.approx(1e21 / 1e19)


def test_noiseless_law_is_predicted_exactly() -> None:
    bt = backtest(_truth_table(noise=0.0), law="chinchilla", holdout="largest:9", bootstrap=0)
    assert bt.fit is not None and bt.fit.ok
    assert bt.summary.n == 9 and bt.summary.max_are < 1e-4
    assert all(math.isnan(c) for c in bt.summary.coverage.values())  # no bootstrap: no interval
    # and it says so (the coverage was a silent NaN)
    assert bt.notes[-1] == (
        "coverage not scored: with no bootstrap (bootstrap=0, --bootstrap 0) the predictions "
        "are points, with no intervals for the held-out runs to fall in; the errors are scored"
    )


@pytest.mark.parametrize("call", [backtest, rolling_backtest])
@pytest.mark.heavy  # 1.3 s in the suite on a 2-core AMD EPYC
def test_too_few_resamples_to_score_an_interval_are_refused_as_the_cli_does(call: Any) -> None:
    """1 to 19 resamples cannot place a 90% interval's ends: refused in Python as on the
    command line (one check), before any fit; 0 is a point-only backtest."""
    with pytest.raises(ConfigError) as err:
        call(_truth_table(noise=0.0), law="chinchilla", holdout="largest:9", bootstrap=5)
    assert err.value.message == (
        "bootstrap=5: a backtest scores its intervals' coverage, and under 20 resamples "
        "cannot place a 90% interval's ends (the 5th and 95th percentiles)"
    )
    default = ROLLING_BOOTSTRAP if call is rolling_backtest else BOOTSTRAP  # each its own
    assert err.value.hint == (
        f"bootstrap={default} (the default), at least 20, or bootstrap=0 for point "
        "predictions (errors, no coverage)"
    )
    with pytest.raises(ConfigError, match=r"^bootstrap=19: a backtest scores"):
        compare(_truth_table(noise=0.0), laws=["chinchilla"], bootstrap=19)
    rolled = rolling_backtest(_truth_table(noise=0.0), holdout="largest:9", bootstrap=0)
    assert rolled.notes[0].startswith("coverage not scored: with no bootstrap")


def test_backtest_on_noisy_law_with_outliers() -> None:
    runs = _truth_table(noise=0.01, seed=2, outliers=3)
    bt = backtest(runs, law="chinchilla", holdout="flops>=3e20", bootstrap=100, seed=0)
    assert bt.summary.n == int(np.sum(runs["flops"] >= 3e20))
    # predictions of the truth within a few times the 1% noise, and honest intervals
    N, D = bt.split.held_out["params"], bt.split.held_out["tokens"]
    truth = TRUTH["E"] + TRUTH["A"] * N ** -TRUTH["alpha"] + TRUTH["B"] * D ** -TRUTH["beta"]
    predicted = np.array([r.predicted for r in bt.runs])
    assert np.max(np.abs(predicted / truth - 1)) < 0.02
    assert bt.summary.median_are < 0.02
    assert bt.summary.coverage[0.9] >= 0.6
    data = json.loads(json.dumps(bt.to_dict()))
    assert data["summary"]["n"] == bt.summary.n and len(data["runs"]) == bt.summary.n


@pytest.mark.slow  # 20 fits from the full 4,500-start grid
def test_rolling_origin_error_shrinks_as_scales_are_added() -> None:
    """Fit on the smallest 2, 3, ... 6 budgets, predict the 1e21 budget: averaged over four
    noisy ladders, six budgets predict it several times better than two."""
    first, last = [], []
    for seed in range(4):
        runs = simulate_ladder(seed=seed, noise=0.01)  # 7 budgets 1e18 ... 1e21
        roll = rolling_backtest(runs, law="chinchilla", holdout="flops>=1e21", bootstrap=0)
        assert [s.scales for s in roll.steps] == [2, 3, 4, 5, 6]
        assert [s.n_fitted for s in roll.steps] == [14, 21, 28, 35, 42]
        first.append(roll.steps[0].summary)
        last.append(roll.steps[-1].summary)
    assert np.mean([s.median_are for s in last]) < 0.5 * np.mean([s.median_are for s in first])
    assert np.mean([s.max_are for s in last]) < 0.5 * np.mean([s.max_are for s in first])


def test_curve_fit_baseline_scored_on_the_same_split() -> None:
    runs = _truth_table(noise=0.0)
    split = split_runs(runs, "largest:9")
    bt = baseline_backtest(runs, method="curve_fit", law="chinchilla", holdout=split)
    assert isinstance(bt.split, Split) and bt.split is split
    assert bt.summary.n == 9 and bt.summary.max_are < 1e-3  # the law's form, noiseless data
    with pytest.raises(ConfigError, match="unknown baseline"):
        baseline_backtest(runs, method="lstsq", holdout=split)
    with pytest.raises(ConfigError, match="only the Chinchilla law"):
        baseline_backtest(runs, method="chinchilla-pkg", law="kaplan", holdout=split)


@pytest.mark.slow  # the package fits 243 BFGS starts in long double through a process pool
def test_chinchilla_package_baseline_where_installed() -> None:
    pytest.importorskip("chinchilla", reason="the chinchilla package (extra [baselines])")
    runs = _truth_table(noise=0.0)
    bt = baseline_backtest(runs, method="chinchilla-pkg", holdout="largest:9")
    assert bt.summary.n == 9 and bt.summary.max_are < 0.01  # noiseless: its floor is the law
    assert all(math.isnan(c) for c in bt.summary.coverage.values())  # it has no intervals
    assert "asymmetric MAE" in bt.notes[0]


def test_chinchilla_points_top_decile(chinchilla_csv_path) -> None:  # type: ignore[no-untyped-def]
    runs = read_runs(chinchilla_csv_path)
    runs = runs.select(runs["loss"] < np.sort(runs["loss"])[-5])  # the replication's 240
    bt = backtest(runs, law="chinchilla", holdout="top-decile", bootstrap=100)
    assert bt.summary.n == 24
    assert bt.fit is not None and bt.fit.ok
    assert 0.001 < bt.summary.median_are < 0.05 and bt.summary.max_are < 0.15
    assert all(1 <= r.times_fitted < 20 for r in bt.runs)


@pytest.mark.heavy  # 1.6 s in the suite on a 2-core AMD EPYC
def test_plot_backtest_writes_all_panels(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from scalinglab.report import plot_backtest

    runs = simulated_runs()
    split = split_runs(runs, "flops>=1e21")
    ours = backtest(runs, holdout=split, bootstrap=30)
    plain = baseline_backtest(runs, method="curve_fit", holdout=split)
    roll = rolling_backtest(runs, holdout=split, bootstrap=0, min_scales=5)
    svg = plot_backtest([ours, plain], tmp_path / "bt.svg", rolling=roll)
    text = svg.read_text()
    for words in ("SIMULATED DATA", "predicted vs actual", "extrapolation", "rolling origin"):
        assert words in text, words
    with pytest.raises(ConfigError, match=r"suffix|cannot write"):
        plot_backtest(ours, tmp_path / "bt.gif")
    with pytest.raises(ConfigError, match="did not score a 95%"):
        plot_backtest(ours, tmp_path / "bt.png", level=0.95)


@pytest.mark.heavy  # 1.8 s in the suite on a 2-core AMD EPYC
def test_rolling_steps_that_cannot_fit_the_law_are_skipped_and_noted() -> None:
    """The bundled real runs' smallest compute scales hold one run each (one model size,
    10.6M): those steps, on fewer than twice Chinchilla's 5 parameters, are skipped in one
    note naming them (before 2728452, a note per law that cannot fit N), and the rest run."""
    from scalinglab.data import bundled_runs

    roll = rolling_backtest(bundled_runs(), bootstrap=0)
    skipped = [n for n in roll.notes if n.startswith("steps at ")]
    assert skipped == [
        "steps at 2 to 9 scales skipped (2, 3, 4, 5, 6, 7, 8 and 9 runs): a step fits on at "
        "least 10 runs, 2x the 5 parameters of chinchilla, since fewer say nothing of the "
        "held-out runs"
    ]
    assert roll.steps[0].n_fitted == 10 and roll.steps[-1].n_fitted == 27
    assert len(roll.steps) == 8


@pytest.mark.heavy  # 3.4 s in the suite on a 2-core AMD EPYC
def test_plot_backtest_claims_intervals_only_where_drawn(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """At --bootstrap 0 the parity panel's title said "(90% intervals)" while its legend
    said "(no interval)"."""
    from scalinglab.report import plot_backtest

    runs = simulated_runs()
    split = split_runs(runs, "flops>=1e21")
    point = backtest(runs, holdout=split, bootstrap=0)
    text = plot_backtest(point, tmp_path / "bt0.svg").read_text()
    assert "predicted vs actual (no intervals)" in text and "90% intervals" not in text
    assert "(no interval)" in text  # the legend's, as before
    banded = backtest(runs, holdout=split, bootstrap=30)
    text = plot_backtest([banded, point], tmp_path / "bt.svg").read_text()
    assert "predicted vs actual (90% intervals where drawn)" in text
    text = plot_backtest(banded, tmp_path / "bt30.svg").read_text()
    assert "predicted vs actual (90% intervals)" in text

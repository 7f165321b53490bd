"""Backtests in Python take the CLI's names: ``level=`` is the coverage(s) scored (as
``--level``), ``fit_on=`` the runs fitted (as ``--fit-on``)."""

from __future__ import annotations

import pytest

from scalinglab import ConfigError, simulated_runs
from scalinglab.validate import (
    backtest,
    baseline_backtest,
    compare,
    rolling_backtest,
    split_runs,
)

LAW = "E + A*C**-alpha"  # three parameters: quick to fit and resample
X = {"C": "flops"}


def test_level_is_the_coverage_scored_as_the_cli_level() -> None:
    bt = backtest(simulated_runs(), law=LAW, x=X, holdout="largest:5", bootstrap=20, level=0.95)
    assert list(bt.summary.coverage) == [0.95]
    assert bt.fit is not None
    widest = bt.fit.predict(C=bt.split.held_out["flops"], level=0.95)  # the interval scored
    assert bt.runs[0].intervals[0.95] == (widest.lower[0], widest.upper[0])


def test_several_levels_and_each_function_that_scores() -> None:
    runs, at = simulated_runs(), (0.5, 0.95)
    opts = {"law": LAW, "x": X, "holdout": "largest:5", "bootstrap": 20, "level": at}
    assert list(backtest(runs, **opts).summary.coverage) == [0.5, 0.95]
    steps = rolling_backtest(runs, **opts).steps
    assert steps and all(list(s.summary.coverage) == [0.5, 0.95] for s in steps)
    del opts["law"]
    cmp = compare(runs, laws=[LAW], **opts)
    assert list(cmp.laws[0].backtest.summary.coverage) == [0.5, 0.95]
    base = baseline_backtest(runs, method="curve_fit", law="chinchilla", holdout="largest:5")
    assert list(base.summary.coverage) == [0.5, 0.8, 0.9]  # the default, as --level's


def test_levels_is_the_old_name_and_warns() -> None:
    runs = simulated_runs()
    with pytest.warns(DeprecationWarning, match=r"backtest\(levels=\) is deprecated.*level="):
        bt = backtest(runs, law=LAW, x=X, holdout="largest:5", bootstrap=20, levels=(0.95,))
    assert list(bt.summary.coverage) == [0.95]
    with pytest.raises(ConfigError, match=r"got both level= and levels="):
        backtest(runs, law=LAW, x=X, holdout="largest:5", level=0.9, levels=(0.95,))


def test_a_percentage_level_says_the_fraction() -> None:
    with pytest.raises(ConfigError, match="between 0 and 1, got 95") as info:
        backtest(simulated_runs(), law=LAW, x=X, holdout="largest:5", level=95)
    assert info.value.hint == "a fraction: level 0.95 for a 95% interval"


def test_fit_on_is_the_cli_fit_on() -> None:
    runs = simulated_runs()
    bt = backtest(runs, law=LAW, x=X, holdout="largest:5", fit_on="flops<=1e20", bootstrap=0)
    want = split_runs(runs, "largest:5", fit_on="flops<=1e20")
    assert bt.split.fitted.runs == want.fitted.runs and len(bt.split.fitted) < len(runs) - 5
    rolled = rolling_backtest(runs, law=LAW, x=X, holdout="largest:5", fit_on="flops<=1e20")
    assert rolled.split.fitted.runs == want.fitted.runs


def test_fit_on_with_a_split_says_where_it_goes() -> None:
    runs = simulated_runs()
    split = split_runs(runs, "largest:5")
    with pytest.raises(ConfigError, match="fit_on='flops<=1e20' applies to a hold-out rule") as e:
        backtest(runs, law=LAW, x=X, holdout=split, fit_on="flops<=1e20")
    assert "split_runs(runs, holdout, fit_on=...)" in e.value.hint

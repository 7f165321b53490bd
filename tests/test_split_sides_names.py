"""A split's two sides are the runs fitted and the runs held out, as ``--fit-on`` and
``--holdout``, a rolling step's ``"largest_fitted"`` and every backtest's words name them:
``Split.fitted`` and ``Split.held_out`` (were ``train`` and ``test``), ``RollingStep
.n_fitted`` (was ``n_train``), ``"n_fitted"`` and ``"n_held_out"`` in the JSON (``"n_train"``
and ``"n_test"`` kept beside them one release). The old attributes warn."""

from __future__ import annotations

import pytest
from tests.conftest import chinchilla_runs

from scalinglab import read_runs
from scalinglab.validate import backtest, compare, rolling_backtest, split_runs


def test_split_sides_are_fitted_and_held_out_the_old_names_warn() -> None:
    table = read_runs(chinchilla_runs(outliers=0))
    split = split_runs(table, "largest:5")
    by_flops = sorted(table["flops"])  # the reference: the five largest budgets, by hand
    assert sorted(split.held_out["flops"]) == by_flops[-5:]
    assert sorted(split.fitted["flops"]) == by_flops[:-5]
    assert len(split.fitted) + len(split.held_out) == len(table)
    with pytest.warns(DeprecationWarning, match=r"Split\.train is deprecated"):
        assert split.train is split.fitted
    with pytest.warns(DeprecationWarning, match=r"Split\.test is deprecated"):
        assert split.test is split.held_out
    assert "fitted=" in repr(split) and "held_out=5 runs" in repr(split)


@pytest.mark.heavy  # 1.3 s in the suite on a 2-core AMD EPYC
def test_backtest_json_names_the_counts_n_fitted_and_n_held_out() -> None:
    table = read_runs(chinchilla_runs(outliers=0))
    n = len(table)
    bt = backtest(table, law="chinchilla", holdout="largest:5", bootstrap=0)
    cmp = compare(table, laws=["chinchilla"], holdout="largest:5", bootstrap=0)
    for said in (bt.to_dict(), cmp.to_dict()):
        assert (said["n_fitted"], said["n_held_out"]) == (n - 5, 5)
        assert (said["n_train"], said["n_test"]) == (n - 5, 5)  # the old keys, one release
    rolled = rolling_backtest(table, law="chinchilla", holdout="largest:5", bootstrap=0)
    step = rolled.steps[-1]
    assert step.n_fitted == n - 5  # the last step fits every scale not held out
    assert step.to_dict()["n_fitted"] == step.to_dict()["n_train"] == n - 5
    with pytest.warns(DeprecationWarning, match=r"RollingStep\.n_train is deprecated"):
        assert step.n_train == n - 5

"""A hyperparameter backtest's rows are :class:`HparamBacktestCell`, one held-out cell as a
loss backtest's :class:`BacktestRun` is one held-out run (result ``<Kind>Backtest``, row
``<Kind>Backtest<Unit>``); ``HeldOutScore``, the old name, is importable from
``scalinglab.hparams`` for one release with a DeprecationWarning and is the same class."""

from __future__ import annotations

import pytest
from tests._hparam_sweeps import SEQ_LEN, optimum, sweep

import scalinglab.hparams
from scalinglab.hparams import HparamBacktestCell, backtest_hparams
from scalinglab.validate import BacktestRun, backtest


def test_a_backtests_rows_are_named_after_the_backtest_and_what_they_hold_out() -> None:
    bt = backtest_hparams(sweep(1), holdout="top-scales:1", seq_len=SEQ_LEN, presets=())
    assert bt.held_out and all(type(row) is HparamBacktestCell for row in bt.held_out)
    # each row is one held-out cell: the largest model size's, at its true optimum's cell
    assert {row.params for row in bt.held_out} == {8e8}
    row = next(r for r in bt.held_out if r.method == "scalinglab")
    assert row.lr / row.lr_ratio == pytest.approx(optimum(8e8, row.tokens)[0], rel=0.2)
    loss = backtest(scalinglab.simulated_runs(), holdout="largest:3", bootstrap=0)
    assert all(type(r) is BacktestRun for r in loss.runs)
    assert type(bt).__name__ + "Cell" == HparamBacktestCell.__name__
    assert type(loss).__name__ + "Run" == BacktestRun.__name__


def test_the_old_row_name_warns_and_is_the_same_class() -> None:
    assert "HeldOutScore" not in scalinglab.hparams.__all__
    assert "HparamBacktestCell" in scalinglab.hparams.__all__
    with pytest.warns(
        DeprecationWarning,
        match=r"scalinglab.hparams.HeldOutScore is deprecated .* "
        r"scalinglab.hparams.HparamBacktestCell",
    ) as got:
        from scalinglab.hparams import HeldOutScore  # type: ignore[attr-defined]
    assert HeldOutScore is HparamBacktestCell
    assert got[0].filename == __file__  # said at the user's import
    with pytest.raises(AttributeError, match="has no attribute 'HeldOutScores'"):
        scalinglab.hparams.HeldOutScores  # noqa: B018

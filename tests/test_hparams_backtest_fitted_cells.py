"""A hyperparameter backtest names the cells its laws were fitted to ``fitted_cells``
(``"fitted_cells"`` in ``hparams backtest --json``, "fitted on N cells" in its table, as its
repr and report say "fitted" and a loss backtest's split names its runs ``fitted``);
``train_cells``, the old name, warns for one release and stays in the JSON beside it."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from scalinglab.cli._hparams_views import print_backtest
from scalinglab.hparams import HparamBacktest, HparamBacktestCell
from scalinglab.report._hparams_tables import regret_table

CELLS = ("N=100M D=2B", "N=200M D=4B")


def _backtest() -> HparamBacktest:
    row = HparamBacktestCell(
        method="m",
        cell="N=400M D=8B",
        params=4e8,
        tokens=8e9,
        lr=1e-3,
        batch=1e6,
        lr_ratio=1.0,
        batch_ratio=1.0,
        regret=0.001,
        beyond_grid=False,
        grid_regret=0.002,
    )
    return HparamBacktest(holdout="top-scales:1", held_out=(row,), fitted_cells=CELLS)


def test_the_fitted_cells_are_fitted_cells_in_python_json_table_and_report() -> None:
    bt = _backtest()
    assert bt.fitted_cells == CELLS
    said = bt.to_dict()
    assert said["fitted_cells"] == list(CELLS)
    assert said["train_cells"] == said["fitted_cells"]  # the old key, kept one release
    out = io.StringIO()
    print_backtest(Console(file=out, width=200), bt)
    assert "fitted on 2 cells" in out.getvalue() and "trained on" not in out.getvalue()
    assert "2 fitted" in repr(bt)
    assert "laws fitted on 2 cells" in regret_table(bt)


def test_train_cells_the_old_name_warns_and_still_works() -> None:
    bt = _backtest()
    with pytest.warns(
        DeprecationWarning, match=r"HparamBacktest.train_cells .* use HparamBacktest.fitted_cells"
    ):
        assert bt.train_cells == CELLS  # type: ignore[deprecated]
    with pytest.warns(
        DeprecationWarning,
        match=r"HparamBacktest\(train_cells=\) .* use HparamBacktest\(fitted_cells=\)",
    ):
        old = HparamBacktest(holdout="top-scales:1", held_out=bt.held_out, train_cells=CELLS)  # type: ignore[call-arg]
    assert old == bt

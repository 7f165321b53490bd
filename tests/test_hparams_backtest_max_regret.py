"""A hyperparameter backtest names its largest regrets ``max_regret`` and ``max_grid_regret``
(:meth:`HparamBacktest.summary`, ``"summary"`` in ``hparams backtest --json``, "max regret" in
its table and report), as a loss backtest's and a curve backtest's ``max_are`` name the
largest error; ``worst_regret`` and ``worst_grid_regret``, the old keys, stay one release
beside them with the same numbers."""

from __future__ import annotations

import io

from rich.console import Console

from scalinglab.cli._hparams_views import print_backtest
from scalinglab.hparams import HparamBacktest, HparamBacktestCell
from scalinglab.report._hparams_tables import regret_table

#: (cell, regret on the surface, regret off the runs) of one method's held-out cells.
ROWS = [("c1", 0.0012, 0.0030), ("c2", 0.0047, 0.0021), ("c3", 0.0008, 0.0064)]


def _backtest() -> HparamBacktest:
    rows = tuple(
        HparamBacktestCell(
            method="m",
            cell=cell,
            params=1e9,
            tokens=1e10,
            lr=1e-3,
            batch=1e6,
            lr_ratio=1.0,
            batch_ratio=1.0,
            regret=reg,
            beyond_grid=False,
            grid_regret=grid,
        )
        for cell, reg, grid in ROWS
    )
    return HparamBacktest(holdout="top-scales:1", held_out=rows, fitted_cells=("t",))


def test_the_largest_regrets_are_max_regret_and_max_grid_regret() -> None:
    got = _backtest().summary("m")
    assert got["max_regret"] == 0.0047  # c2's: the largest on the surface
    assert got["max_grid_regret"] == 0.0064  # c3's: the largest off the runs
    assert got["median_regret"] == 0.0012 and got["median_grid_regret"] == 0.0030
    # the old keys, one release, hold the same numbers
    assert (got["worst_regret"], got["worst_grid_regret"]) == (0.0047, 0.0064)
    summary = _backtest().to_dict()["summary"]["m"]
    assert (summary["max_regret"], summary["max_grid_regret"]) == (0.0047, 0.0064)
    assert summary["worst_regret"] == summary["max_regret"]


def test_the_table_and_the_report_say_max_regret() -> None:
    out = io.StringIO()
    print_backtest(Console(file=out, width=200), _backtest())
    text = out.getvalue()
    assert "max regret" in text and "worst" not in text
    row = [line for line in text.splitlines() if line.startswith("│ m ")][-1]  # the summary
    assert [c.strip() for c in row.split("│")[1:-1]][1:3] == ["0.12%", "0.47%"]
    page = regret_table(_backtest())
    assert "<th>median regret</th><th>max</th>" in page and "worst" not in page

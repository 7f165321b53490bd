"""A backtest's grid regret (read off the runs): why it is missing where it is, methods
compared on the same cells, and '(beyond grid)' only where no grid regret can be read."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from tests._hparam_sweeps import SEQ_LEN, optimum, sweep

from scalinglab.hparams import backtest_hparams, read_sweep
from scalinglab.hparams._backtest import HparamBacktest, HparamBacktestCell
from scalinglab.hparams._grid_notes import grid_notes
from scalinglab.hparams._optimum import locate_optima
from scalinglab.hparams._regret import OUTSIDE, runs_regret

N, D = 8e8, 8e9  # the largest cell's smallest budget


def _read(frame: pd.DataFrame, lr: float, batch: float) -> tuple[float, str]:
    sw = read_sweep(frame, seq_len=SEQ_LEN)
    cells = locate_optima(sw, bootstrap=0)
    (i,) = [k for k, c in enumerate(cells) if c.keys["params"] == N and c.keys["tokens"] == D]
    return runs_regret(sw, i, cells[i], True)(lr, batch)


def _nearest(frame: pd.DataFrame) -> int:
    """The run of cell (N, D) nearest its true optimum."""
    lr0, b0 = optimum(N, D)
    rows = frame[(frame.params == N) & (frame.tokens == D)]
    far = np.abs(np.log(rows.lr / lr0)) + np.abs(np.log(rows.bs * SEQ_LEN / b0))
    return int(far.idxmin())


def test_grid_regret_says_which_grid_point_it_lacks() -> None:
    frame = sweep(1)
    k = _nearest(frame)
    lr, batch = float(frame.lr[k]), float(frame.bs[k] * SEQ_LEN)
    value, why = _read(frame, lr, batch)
    assert math.isfinite(value) and value >= 0 and why == ""
    value, why = _read(frame.drop(index=k), lr, batch)
    assert math.isnan(value)
    assert why == f"next to a grid point never run (lr {lr:.3g}, batch {batch / 1e3:.3g}K)"
    diverged = frame.copy()
    diverged.loc[k, "loss"] = 7.0
    value, why = _read(diverged, lr, batch)
    assert math.isnan(value) and why.startswith("next to a grid point whose run diverged (lr")
    value, why = _read(frame, lr * 1e3, batch)
    assert math.isnan(value) and why == OUTSIDE


def _score(method: str, cell: str, grid: float, *, note: str = "") -> HparamBacktestCell:
    return HparamBacktestCell(method=method, cell=cell, params=1e9, tokens=1e10, lr=1e-3,
                        batch=1e6, lr_ratio=1.0, batch_ratio=1.0, regret=1e-4,
                        beyond_grid=note == OUTSIDE, grid_regret=grid, grid_note=note)  # fmt: skip


def test_median_grid_regrets_compare_methods_on_the_same_cells() -> None:
    hole = "next to a grid point never run (lr 0.00138, batch 262K)"
    scores = [
        _score("a", "c1", math.nan, note=hole), _score("b", "c1", 0.009),
        _score("a", "c2", 0.001), _score("b", "c2", 0.002),
        _score("a", "c3", 0.003), _score("b", "c3", 0.008),
    ]  # fmt: skip
    bt = HparamBacktest(holdout="top-scales:1", held_out=tuple(scores), fitted_cells=("t",))
    assert bt.grid_cells == ("c2", "c3")
    a, b = bt.summary("a"), bt.summary("b")
    assert a["median_grid_regret"] == pytest.approx(0.002) and a["grid_cells"] == 2
    # b's own cell c1 (0.009) is left out with a's: the medians are over c2 and c3 alike
    assert b["median_grid_regret"] == pytest.approx(0.005) and b["max_grid_regret"] == 0.008
    assert grid_notes(scores) == [
        f"grid regret '—' where a prediction cannot be read off the runs: c1 (a): {hole}",
        "the median grid regrets compare the methods on the 2 of 3 held-out cells where every "
        "method's was read (c2, c3)",
    ]
    from scalinglab._hparams_numbers import regret_pct as _pct

    assert f"grid regret '{_pct(math.nan)}' where" in grid_notes(scores)[0]  # the tables' mark


def test_beyond_grid_only_where_no_grid_regret_is_read() -> None:
    # the held-out cell N, D is bracketed (an unbracketed one is not scored), and
    # deepseek2024's B* there is 2.8x the located one: past the top of its batch grid
    bt = backtest_hparams(sweep(1), holdout="top-scales:1", seq_len=SEQ_LEN)
    outside = [s for s in bt.held_out if s.beyond_grid]
    assert outside and {s.cell for s in outside} == {f"N=800M D={D / 1e9:g}B"}
    for s in bt.held_out:
        assert s.beyond_grid == (s.grid_note == OUTSIDE)
        assert math.isfinite(s.grid_regret) == (s.grid_note == "")
    assert f"N=800M D=8B ({', '.join(s.method for s in outside)}): {OUTSIDE}" in bt.notes[-2]

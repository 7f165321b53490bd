"""A backtest scores only the held-out cells whose optimum was located, and prints '-'
where a median has no cell to be taken over (not 'nan%')."""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from rich.console import Console
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, optimum, sweep

from scalinglab._errors import DataError
from scalinglab.cli._hparams_views import print_backtest
from scalinglab.hparams import backtest_hparams
from scalinglab.hparams._backtest import HparamBacktest, HparamBacktestCell

LARGEST = 8e8


def _cut(frame: pd.DataFrame, tokens: tuple[float, ...]) -> pd.DataFrame:
    """The sweep without the runs above the true lr* in the largest model's cells at
    ``tokens``: their best run is at the top of their grid (unbracketed)."""
    drop = np.zeros(len(frame), dtype=bool)
    for d in tokens:
        lr0 = optimum(LARGEST, d)[0]
        drop |= (frame.params == LARGEST) & (frame.tokens == d) & (frame.lr > lr0)
    return frame[~drop]


def test_an_unbracketed_held_out_cell_is_left_out_of_the_scores_and_named() -> None:
    bt = backtest_hparams(_cut(sweep(1), (8e9,)), holdout="top-scales:1", seq_len=SEQ_LEN)
    assert sorted({s.cell for s in bt.held_out}) == ["N=800M D=24B", "N=800M D=80B"]
    assert all(math.isfinite(s.regret) for s in bt.held_out)
    (note,) = [n for n in bt.notes if "left out of the scores" in n]
    assert note.startswith(
        "1 held-out cell of 3 left out of the scores, with no optimum located to score a "
        "prediction against: N=800M D=8B (unbracketed: the best run is at the highest lr"
    )
    # the title says how many of the held-out cells were scored
    assert bt.holdout_description == "the largest model size: 3 cells, 2 scored"
    assert bt.summary("scalinglab")["cells"] == 2


def test_a_backtest_whose_every_held_out_cell_is_unbracketed_is_refused() -> None:
    frame = _cut(sweep(1), (8e9, 2.4e10, 8e10))
    with pytest.raises(DataError) as err:
        backtest_hparams(frame, holdout="top-scales:1", seq_len=SEQ_LEN)
    assert (
        "every held-out cell is unbracketed, so no prediction can be scored against a "
        "located optimum: N=800M D=8B, N=800M D=24B, N=800M D=80B (unbracketed: "
    ) in err.value.message
    assert "hold out other cells (--holdout, holdout=)" in err.value.hint


def test_a_median_over_no_cell_prints_a_dash_not_nan_percent() -> None:
    score = HparamBacktestCell(method="naive", cell="N=1B D=10B", params=1e9, tokens=1e10, lr=1e-3,
                         batch=1e6, lr_ratio=1.0, batch_ratio=1.0, regret=1e-4,
                         beyond_grid=True, grid_regret=math.nan)  # fmt: skip
    bt = HparamBacktest(holdout="top-scales:1", held_out=(score,), fitted_cells=("N=500M D=5B",))
    assert math.isnan(bt.summary("naive")["median_grid_regret"])
    out = io.StringIO()
    print_backtest(Console(file=out, width=200), bt)
    text = out.getvalue()
    assert "nan" not in text
    row = [line for line in text.splitlines() if line.startswith("│ naive")][-1]  # the summary
    assert [c.strip() for c in row.split("│")[1:-1]][1:4] == ["0.010%", "0.010%", "—"]


@pytest.mark.heavy
def test_report_writes_its_page_without_a_backtest_when_no_held_out_cell_is_bracketed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "s.csv"
    _cut(sweep(1), (8e9, 2.4e10, 8e10)).to_csv(path, index=False)
    page = tmp_path / "r.html"
    code, out, err = cli(
        capsys, "report", str(path), "--hparams", "--bootstrap", "0", "--seq-len", "2048",
        "--out", str(page),
    )  # fmt: skip
    assert code == 0, err
    assert page.exists() and "Backtest and regret" not in page.read_text()
    assert (
        "no backtest on the page: every cell --holdout top-scales:1 holds out is unbracketed, so "
        "no prediction can be scored against a located optimum"
    ) in " ".join((out + err).split())

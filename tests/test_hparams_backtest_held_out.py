"""A hyperparameter backtest's rows, one per (method, held-out cell), are
``HparamBacktest.held_out`` in Python and ``"held_out"`` in its JSON, as its table's title
("held out ...") and its progress ("held out") name them; ``scores``, their old name (a law
choice's ``scores`` are its median errors), reads them for one release with a
DeprecationWarning, and the JSON keeps the old key ``"scores"`` one release beside the new."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab._json import plain
from scalinglab.hparams import HparamBacktest, backtest_hparams


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return sweep(1)


@pytest.fixture(scope="module")
def bt(frame: pd.DataFrame) -> HparamBacktest:
    return backtest_hparams(frame, holdout="top-scales:1", seq_len=SEQ_LEN)


def test_the_rows_are_held_out_and_the_old_name_warns(
    frame: pd.DataFrame, bt: HparamBacktest
) -> None:
    # the largest model size's cells, one row per method on each: counted off the sweep
    largest = frame[frame.params == frame.params.max()]
    cells = {(float(n), float(d)) for n, d in zip(largest.params, largest.tokens, strict=True)}
    assert {(r.params, r.tokens) for r in bt.held_out} == cells
    assert bt.methods == ("scalinglab", "naive", "steplaw2025", "deepseek2024")
    assert len(bt.held_out) == len(cells) * 4
    mine = [r.regret for r in bt.held_out if r.method == "scalinglab"]
    assert bt.summary("scalinglab")["median_regret"] == float(np.median(mine))
    with pytest.warns(
        DeprecationWarning, match=r"HparamBacktest.scores .* HparamBacktest.held_out"
    ):
        old = bt.scores  # type: ignore[deprecated]
    assert old is bt.held_out


def test_the_json_writes_held_out_and_keeps_scores_one_release(bt: HparamBacktest) -> None:
    data = bt.to_dict()
    rows = plain([dataclasses.asdict(r) for r in bt.held_out])  # "nan" as the JSON has it
    assert data["held_out"] == rows
    assert data["scores"] == data["held_out"]  # the old key, one release
    assert list(data).index("scores") == list(data).index("held_out") + 1


def test_the_cli_json_names_the_rows_held_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], frame: pd.DataFrame, bt: HparamBacktest
) -> None:
    path = tmp_path / "sweep.csv"
    frame.to_csv(path, index=False)
    code, out, err = cli(capsys, "hparams", "backtest", str(path), "--holdout", "top-scales:1",
                         "--seq-len", str(SEQ_LEN), "--json")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert [(r["method"], r["cell"]) for r in data["held_out"]] == [
        (r.method, r.cell) for r in bt.held_out
    ]
    assert data["scores"] == data["held_out"]

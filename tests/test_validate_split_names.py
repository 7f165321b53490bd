"""Hold-out rules may name a column as the user's file names it (``model_size``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.test_cli_backtest import cli

import scalinglab as sl
from scalinglab.validate import split_runs


@pytest.fixture
def units(tmp_path: Path) -> Path:
    n = np.repeat([20e6, 50e6, 100e6, 200e6, 400e6, 800e6, 1.3e9], 5)
    d = n * np.tile([5, 10, 20, 40, 80], 7)
    loss = 1.7 + 400 * n**-0.34 + 1500 * d**-0.30
    path = tmp_path / "units.csv"
    pd.DataFrame({"model_size": n, "n_tokens": d, "val_loss": loss}).to_csv(path, index=False)
    return path


def test_a_rule_reads_the_files_name_of_a_renamed_column(units: Path) -> None:
    table = sl.read_runs(units)
    split = split_runs(table, "model_size>500M", fit_on="model_size<=500M")
    assert len(split.held_out) == 10 and len(split.fitted) == 25
    assert len(split_runs(table, "largest:3:n_tokens").held_out) == 3
    assert len(split_runs(table, "top:20%:model_size").held_out) == 10


@pytest.mark.heavy
def test_an_unknown_column_lists_the_files_names(
    capsys: pytest.CaptureFixture[str], units: Path
) -> None:
    code, _, err = cli(capsys, "backtest", str(units), "--holdout", "modl_size>500M")
    assert code == 2
    assert (
        "names column 'modl_size'; the runs have flops, loss (read from 'val_loss'), "
        "params (read from 'model_size'), tokens (read from 'n_tokens')"
    ) in err
    assert "did you mean 'model_size'?" in err
    code, out, _ = cli(capsys, "backtest", str(units), "--holdout", "model_size>500M")
    assert code == 0 and "held out 10 runs (model_size>500M)" in out

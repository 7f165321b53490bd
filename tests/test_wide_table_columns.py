"""A wide table without a loss column (an eval table of 66 columns, as the shared
over-training models are) was refused with every column quoted in one message, a screen of
names; the message names the first 20 and says how many more, the hint the columns named
as losses."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tests._cli import cli

import scalinglab as sl
from scalinglab._errors import DataError
from scalinglab._format import format_columns


def _wide(path: Path) -> Path:
    frame = pd.DataFrame({"params": [1e6, 2e6, 4e6], "tokens": [2e7, 4e7, 8e7]})
    for k in range(40):
        frame[f"acc_task_{k}"] = [0.3, 0.4, 0.5]
    frame["val_ppl_loss_c4"] = [3.0, 2.8, 2.6]  # named as a loss, not one read by name
    frame.to_csv(path, index=False)
    return path


def test_the_columns_are_named_to_twenty_and_counted_past_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _wide(tmp_path / "evals.csv")
    with pytest.raises(DataError) as err:
        sl.read_runs(path)
    message = str(err.value)
    assert "the columns are 'params', 'tokens', 'acc_task_0'," in message
    assert "'acc_task_17' and 23 more columns" in message and "'acc_task_18'" not in message
    code, _, said = cli(capsys, "fit", str(path))
    assert code == 2 and "and 23 more columns" in said and "acc_task_39" not in said
    assert "hint: say which column holds the loss" in said and "'val_ppl_loss_c4'" in said


def test_format_columns() -> None:
    assert format_columns(["a", "b"]) == "'a', 'b'"
    assert format_columns(["a", "b", "c"], most=2) == "'a', 'b' and 1 more column"
    assert format_columns([f"c{k}" for k in range(25)]).endswith("'c19' and 5 more columns")

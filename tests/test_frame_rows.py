"""A DataFrame's rows are named as a notebook user finds them
(:mod:`scalinglab.data._frame_rows`): by the index label (``row 'r3'``), or by the position
under the default ``RangeIndex`` (``row df.iloc[3]``). Before, they were counted from 1
(``row 4`` for ``df.iloc[3]``) and a string index was never named. A file's row is still
its line."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from scalinglab import DataError, fit, read_runs
from scalinglab.downstream import read_evals
from scalinglab.hparams import read_sweep

_N = 6
_PARAMS = [1e7 * 2**k for k in range(_N)]
_LABELS = [f"r{k}" for k in range(_N)]


def _runs(index: list[str] | None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "run": [f"m{k}" for k in range(_N)],
            "params": _PARAMS,
            "tokens": [20 * n for n in _PARAMS],
            "loss": [2.0 + 30 * n**-0.3 for n in _PARAMS],
            "lr": [1e-4 * 3**k for k in range(_N)],
            "batch_size": [64] * _N,
            "seq_len": [1024] * _N,
            "acc_piqa": [0.5 + 0.03 * k for k in range(_N)],
        },
        index=index,
    )


def _bad(index: list[str] | None, column: str, value: Any) -> pd.DataFrame:
    frame = _runs(index)
    frame[column] = frame[column].astype(object)
    frame.loc[frame.index[3], column] = value
    return frame


def _message(call: Any, frame: pd.DataFrame) -> str:
    with pytest.raises(DataError) as err:
        call(frame)
    return str(err.value)


_READERS = [read_runs, lambda f: fit("chinchilla", f)]

_AS = [(_LABELS, "'r3'", "'r1'", "'r4'"), (None, "df.iloc[3]", "df.iloc[1]", "df.iloc[4]")]


@pytest.mark.parametrize(("index", "at", "first", "again"), _AS)
@pytest.mark.parametrize("call", _READERS)
def test_run_table_rows_named_by_the_index(
    call: Any, index: Any, at: str, first: str, again: str
) -> None:
    said = _message(call, _bad(index, "loss", -1.0))
    assert said.startswith(
        f"<DataFrame>, row {at}, column 'loss': loss is -1; loss must be positive"
    )
    repeated = _runs(index)
    repeated.loc[repeated.index[4], "run"] = "m1"
    said = _message(call, repeated)
    assert said.startswith(
        f"<DataFrame>, row {again}, column 'run': run id 'm1' appears twice, "
        f"at rows {first} and {again} ("
    )


@pytest.mark.parametrize(("index", "at", "first", "again"), _AS)
def test_sweep_and_evals_rows_named_by_the_index(
    index: Any, at: str, first: str, again: str
) -> None:
    said = _message(read_sweep, _bad(index, "lr", "fast"))
    assert said.startswith(f"<DataFrame>, row {at}, column 'lr': 'fast' is not a number")
    repeated = _runs(index)
    repeated.loc[repeated.index[4], "run"] = "m1"
    said = _message(read_sweep, repeated)
    assert f"at rows {first} and {again} (" in said
    said = _message(read_evals, _bad(index, "acc_piqa", 62.0))
    assert said.startswith(f"<DataFrame>, row {at}, column 'acc_piqa': ")
    assert f"62 (row {at}, run 'm3')" in said


def test_table_rows_say_the_label_and_keep_their_numbers() -> None:
    table = read_runs(_runs(_LABELS))
    assert [str(r) for r in table.rows] == [repr(s) for s in _LABELS]
    assert table.rows == tuple(range(1, _N + 1))  # the record numbers, as saved fits keep
    assert table.runs[0] == "m0"
    unnamed = read_runs(_runs(None).drop(columns="run"))
    assert unnamed.runs[3] == "row4"  # a run's name is unchanged: only its row is said anew
    assert str(unnamed.rows[3]) == "df.iloc[3]"
    assert str(pickle.loads(pickle.dumps(table.rows[3]))) == "'r3'"


def test_other_labels_say_their_lookup() -> None:
    frame = _runs(None).iloc[2:]  # a slice keeps its labels: 2..5, no default RangeIndex
    assert _message(read_runs, _bad(None, "loss", -1.0).iloc[2:]).startswith(
        "<DataFrame>, row df.loc[3], column 'loss'"
    )
    assert str(read_runs(frame).rows[0]) == "df.loc[2]"


def test_a_file_row_is_still_its_line(tmp_path: Path) -> None:
    path = tmp_path / "runs.csv"
    _bad(None, "loss", -1.0).to_csv(path, index=False)
    assert _message(read_runs, path).startswith(f"{path}, row 5, column 'loss': loss is -1")

"""A DataFrame without a run column names its runs ``row1``, ``row2``, ... (counted from 1:
identities, kept), while its rows are said as pandas finds them (``df.iloc[3]``, counted
from 0), so a note could read ``run 'row4' (row df.iloc[3])``. The note that says runs were
named ``row<k>`` says, for a DataFrame, which row a name is: ``row<k>`` is ``df.iloc[k-1]``;
a file's note is unchanged."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import scalinglab as sl

_FRAME = pd.DataFrame(
    {
        "params": [1e8, 2e8, 4e8, 8e8, 1.6e9],
        "tokens": [2e9, 4e9, 8e9, 1.6e10, 3.2e10],
        "loss": [3.5, 3.3, 3.1, 2.95, 2.8],
    }
)
_SAID = "runs are named row<k>, row<k> being df.iloc[k-1] (row1: df.iloc[0]); name one with"


def _note(table: sl.RunTable) -> str:
    (note,) = [n for n in table.notes if n.startswith("no run-id column")]
    return note


def test_a_frames_note_says_which_row_each_name_is() -> None:
    table = sl.read_runs(_FRAME)
    assert _SAID in _note(table)
    # the names keep their count from 1, and each row said is df.iloc[k-1], as the note says
    for k, (run, row) in enumerate(zip(table.runs, table.rows, strict=True), start=1):
        assert (run, str(row)) == (f"row{k}", f"df.iloc[{k - 1}]")


def test_a_labelled_index_is_said_alike() -> None:
    """Its rows are said by label (``row 'c'``); the names still count positions."""
    assert _SAID in _note(sl.read_runs(_FRAME.set_index(pd.Index(list("abcde")))))


def test_a_files_note_is_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "runs.csv"
    _FRAME.to_csv(path, index=False)
    assert "runs are named row<k>; name one with --map run=COLUMN" in _note(sl.read_runs(path))

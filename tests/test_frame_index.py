"""A DataFrame's named index is read as a Parquet file's saved index is
(:mod:`scalinglab.data._parquet_index`): ``read_runs(df.set_index("run"))`` and
``fit(df.set_index("run"))`` keep the run ids. Before, a frame's index was dropped and the
runs were named ``row<k>``. A frame's unnamed index (a filtered frame's, ``df[df.x > 1]``,
is no RangeIndex) holds its row numbers, not data: it is no ``index`` column."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scalinglab import DataError, fit, read_runs

_PARAMS = [1e7 * 2**k for k in range(8)]


def _runs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "run": [f"m{k}" for k in range(8)],
            "params": _PARAMS,
            "tokens": [20 * n for n in _PARAMS],
            "loss": [2.0 + 30 * n**-0.3 for n in _PARAMS],
        }
    )


def test_a_run_index_is_the_run_ids_as_a_run_column_is() -> None:
    frame = _runs()
    plain = read_runs(frame)
    indexed = read_runs(frame.set_index("run"))
    assert indexed.runs == plain.runs == tuple(frame["run"])
    assert indexed.notes == plain.notes
    for name, values in plain.columns.items():
        np.testing.assert_array_equal(indexed.columns[name], values)
    result = fit("E + A*N**-alpha", frame.set_index("run"), x={"N": "params"}, bootstrap=0)
    assert result.runs == tuple(frame["run"])


def test_the_index_reads_as_the_same_frame_saved_in_parquet(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    frame = _runs().assign(corpus="c4").set_index(["run", "corpus"])
    path = tmp_path / "runs.parquet"
    frame.to_parquet(path)
    saved, given = read_runs(path), read_runs(frame)
    assert given.runs == saved.runs == tuple(f"m{k}" for k in range(8))
    assert given.labels == saved.labels and given.labels["corpus"] == ("c4",) * 8


def test_an_unnamed_index_is_no_column() -> None:
    frame = _runs()
    kept = frame[frame.params != 4e7]  # an Int64 index 0, 1, 3, ..., 7: no RangeIndex
    assert not isinstance(kept.index, pd.RangeIndex)
    table = read_runs(kept)
    assert table.runs == tuple(kept["run"]) and "index" not in table.columns
    assert table.rows == tuple(range(1, 8))  # the frame's rows, as they are counted
    assert table.notes == read_runs(kept.reset_index(drop=True)).notes
    # a named RangeIndex holds no values, as to_parquet saves it
    numbered = read_runs(frame.drop(columns="run").rename_axis("step"))
    assert "step" not in numbered.columns and numbered.runs[0] == "row1"


def test_an_index_kept_as_a_column_too_is_read_once() -> None:
    frame = _runs()
    table = read_runs(frame.set_index("run", drop=False))
    assert table.runs == tuple(frame["run"])
    other = frame.set_index(pd.Index([f"x{k}" for k in range(8)], name="run"))
    with pytest.raises(DataError, match="'run'"):
        read_runs(other)

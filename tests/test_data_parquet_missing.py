"""A Parquet file's missing size (a NaN, or a null of any column type) is reported as a
CSV's empty cell is: file, row, column and reason, exit code 2. Its loss keeps Arrow's two
marks apart: a null (no value) is a missing loss, skipped with one note as a CSV's blank cell
is; a NaN written as a number is a diverged run, refused with the ``--drop-outliers`` hint,
which leaves that run out and names it. ``DataFrame.to_parquet`` writes a float NaN as a null.
A Parquet row is the record's number (from 1), a CSV's its line (the header is line 1)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests._cli import cli

from scalinglab._errors import DataError
from scalinglab.data import read_runs

_PARAMS = [1e7, 2e7, 4e7, 8e7]
_LOSS = [4.2, 3.9, 3.6, 3.4]


def _write(path: Path, params: list[float | None], loss: list[float | None]) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    tokens = [20 * n for n in _PARAMS]
    pq.write_table(pa.table({"params": params, "tokens": tokens, "loss": loss}), path)
    return path


def _loss_file(path: Path, missing: float | None) -> Path:
    """Eight runs (r0..r7), the loss of r2 ``missing``: a null, or a NaN value (Arrow keeps
    a NaN of an array built with ``from_pandas=False``)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    params = [1e7 * 2**k for k in range(8)]
    loss: list[float | None] = [4.0, 3.7, 3.45, 3.25, 3.1, 2.98, 2.9, 2.83]
    loss[2] = missing
    column = pa.array(loss, pa.float64(), from_pandas=False)
    assert column.null_count == (missing is None)  # the file holds the mark meant
    runs = [f"r{k}" for k in range(8)]
    pq.write_table(pa.table({"run": runs, "params": params, "loss": column}), path)
    return path


_LAW = ("--law", "E + A*N**-alpha", "--bootstrap", "0")
_SKIPPED = (
    "1 run without a loss skipped (no value of 'loss': a blank, '-', 'N/A' or null cell): "
    "'r2' (row 3)"
)


def test_a_null_loss_is_a_missing_one_skipped_with_a_note(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _loss_file(tmp_path / "runs.parquet", None)
    code, out, err = cli(capsys, "fit", str(path), *_LAW)
    assert code == 0, err
    assert f"note: {_SKIPPED}" in (out + err).splitlines()
    assert f"data: {path} (7 runs)" in out
    table = read_runs(path)
    assert table.runs == ("r0", "r1", "r3", "r4", "r5", "r6", "r7")
    assert table.excluded == () and _SKIPPED in table.notes
    assert np.array_equal(table["loss"], [4.0, 3.7, 3.25, 3.1, 2.98, 2.9, 2.83])


def test_a_nan_loss_is_a_diverged_run_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _loss_file(tmp_path / "runs.parquet", float("nan"))
    code, _, err = cli(capsys, "fit", str(path), *_LAW, one_line=True)
    assert code == 2
    assert err.startswith(
        f"error: {path}, row 3, column 'loss': run without a usable loss (diverged?): run "
        "'r2' (row 3): loss is missing or NaN hint: pass --drop-outliers"
    )
    with pytest.raises(DataError, match="run 'r2' \\(row 3\\): loss is missing or NaN"):
        read_runs(path)
    table = read_runs(path, drop_outliers=True)
    assert table.runs == ("r0", "r1", "r3", "r4", "r5", "r6", "r7")
    assert "run 'r2' (row 3) excluded: loss is missing or NaN" in table.notes
    assert not any("without a loss" in n for n in table.notes)


def test_pandas_writes_a_nan_as_null_and_it_reads_back_missing(tmp_path: Path) -> None:
    """``DataFrame.to_parquet`` (pyarrow) stores a float NaN as a null: what the file holds
    is what is read, so that run is skipped as missing, not refused as diverged."""
    import pandas as pd
    import pyarrow.parquet as pq

    frame = pd.DataFrame({"params": _PARAMS, "tokens": [20 * n for n in _PARAMS],
                          "loss": [4.2, np.nan, 3.6, 3.4]})  # fmt: skip
    path = tmp_path / "runs.parquet"
    frame.to_parquet(path)
    assert pq.read_table(path).column("loss").null_count == 1
    table = read_runs(path)
    assert table.runs == ("row1", "row3", "row4")
    assert "'row2' (row 2)" in next(n for n in table.notes if "without a loss" in n)
    # the frame itself, whose NaN is a number: refused as diverged
    with pytest.raises(DataError, match="loss is missing or NaN"):
        read_runs(frame)


def test_a_frame_with_its_index_stored_keeps_each_null_at_its_run(tmp_path: Path) -> None:
    """A frame's index saved as a column (``__index_level_0__``) is no column read back:
    the nulls are matched to the columns by name, not position."""
    import pandas as pd
    import pyarrow.parquet as pq

    params = [1e7 * 2**k for k in range(8)]
    frame = pd.DataFrame({"run": [f"r{k}" for k in range(8)], "params": params,
                          "tokens": [20 * n for n in params], "tag": ["x"] * 8,
                          "loss": [4.0, 3.7, 3.45, 3.25, 3.1, 2.98, 2.9, 2.83]})  # fmt: skip
    frame = frame.iloc[[0, 2, 3, 5, 6, 7]]
    frame.loc[3, "loss"] = None
    path = tmp_path / "runs.parquet"
    frame.to_parquet(path)
    assert "__index_level_0__" in pq.read_table(path).column_names
    table = read_runs(path)
    assert table.runs == ("r0", "r2", "r5", "r6", "r7")
    assert np.array_equal(table["loss"], [4.0, 3.45, 2.98, 2.9, 2.83])


@pytest.mark.parametrize("kind", ["nan", "null", "int64 null"])
def test_a_missing_size_is_named_by_row_and_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    params: list[float | None] = [*_PARAMS]
    params[1] = float("nan") if kind == "nan" else None
    path = tmp_path / "runs.parquet"
    if kind == "int64 null":  # an integer column holds no NaN: a null is its missing cell
        column = pa.array([None if n is None else int(n) for n in params], pa.int64())
        pq.write_table(pa.table({"params": column, "tokens": [20 * n for n in _PARAMS],
                                 "loss": _LOSS}), path)  # fmt: skip
    else:
        _write(path, params, _LOSS)
    code, _, err = cli(capsys, "fit", str(path), one_line=True)
    assert code == 2
    assert err == (
        f"error: {path}, row 2, column 'params': params is missing; every run needs a finite "
        "params hint: fill in the value, or remove the row"
    )
    # the same cell of a CSV: the same words, at its line (the header is line 1)
    csv = tmp_path / "runs.csv"
    cells = ["" if k == 1 else f"{n:g}" for k, n in enumerate(_PARAMS)]
    lines = [f"{c},{20 * n:g},{v}\n" for c, n, v in zip(cells, _PARAMS, _LOSS, strict=True)]
    csv.write_text("params,tokens,loss\n" + "".join(lines))
    code, _, err = cli(capsys, "fit", str(csv), one_line=True)
    assert code == 2
    assert err == (
        f"error: {csv}, row 3, column 'params': params is missing; every run needs a finite "
        "params hint: fill in the value, or remove the row"
    )


def test_a_size_column_of_nulls_is_named_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A column Parquet stores as all nulls (type ``null``): the first row, and how many more."""
    path = _write(tmp_path / "runs.parquet", [None] * len(_PARAMS), _LOSS)
    code, _, err = cli(capsys, "fit", str(path), one_line=True)
    assert code == 2
    assert err == (
        f"error: {path}, row 1, column 'params': params is missing (and missing at rows 2, 3, 4); every "
        "run needs a finite params hint: fill in the value, or remove the row"
    )

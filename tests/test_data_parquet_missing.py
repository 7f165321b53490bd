"""A Parquet file's missing size (a NaN, or a null of any column type) is reported as a
CSV's empty cell is: file, row, column and reason, exit code 2. Its missing loss (pandas reads
a null of a float column as NaN, so it is no blank cell) is refused as a NaN loss is, and
``--drop-outliers`` leaves out that run and names it. A Parquet row is the record's number (from 1), a
CSV's its line (the header is line 1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli

from scalinglab.data import read_runs

_PARAMS = [1e7, 2e7, 4e7, 8e7]
_LOSS = [4.2, 3.9, 3.6, 3.4]


def _write(path: Path, params: list[float | None], loss: list[float | None]) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    tokens = [20 * n for n in _PARAMS]
    pq.write_table(pa.table({"params": params, "tokens": tokens, "loss": loss}), path)
    return path


@pytest.mark.parametrize("missing", [float("nan"), None], ids=["nan", "null"])
def test_a_missing_loss_is_named_by_row_and_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, missing: float | None
) -> None:
    path = _write(tmp_path / "runs.parquet", _PARAMS, [*_LOSS[:2], missing, _LOSS[3]])
    code, _, err = cli(capsys, "fit", str(path), one_line=True)
    assert code == 2
    assert err.startswith(
        f"error: {path}, row 3, column 'loss': run without a usable loss (diverged?): run "
        "'row3' (row 3): loss is missing or NaN hint: pass --drop-outliers"
    )
    table = read_runs(path, drop_outliers=True)
    assert table.runs == ("row1", "row2", "row4")
    assert "run 'row3' (row 3) excluded: loss is missing or NaN" in table.notes


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
        f"error: {path}, row 1, column 'params': params is missing (and 3 more rows); every "
        "run needs a finite params hint: fill in the value, or remove the row"
    )

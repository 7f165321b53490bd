"""Bad input: every error is a DataError naming the file, the row a user sees, the column."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from scalinglab import _errors
from scalinglab.data import read_runs

HEADER = "run,params,tokens,loss\n"
GOOD = "a,1e7,1e9,3.0\nb,2e7,1e9,2.9\n"


def _csv(tmp_path: Path, text: str, name: str = "runs.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _error(source: Path | pd.DataFrame, **options: object) -> _errors.DataError:
    with pytest.raises(_errors.DataError) as info:
        read_runs(source, **options)  # type: ignore[arg-type]
    return info.value


def _assert_where(
    err: _errors.DataError, path: Path | str, row: int | None, column: str | None
) -> None:
    assert err.source == str(path)
    assert err.row == row
    assert err.column == column
    assert str(path) in str(err)
    if row is not None:
        assert f"row {row}" in str(err)
    if column is not None:
        assert repr(column) in str(err)
    assert err.hint  # always says what to do


def test_file_not_found(tmp_path: Path) -> None:
    path = tmp_path / "nope.csv"
    err = _error(path)
    assert "not found" in str(err)
    _assert_where(err, path, None, None)


def test_folder(tmp_path: Path) -> None:
    assert "folder" in str(_error(tmp_path))


def test_unknown_extension(tmp_path: Path) -> None:
    path = _csv(tmp_path, HEADER + GOOD, "runs.dat")
    err = _error(path)
    assert ".dat" in str(err)
    for ext in (".csv", ".tsv", ".parquet", ".jsonl", ".json"):
        assert ext in err.hint


def test_a_workbook_says_how_to_export_it(tmp_path: Path) -> None:
    err = _error(_csv(tmp_path, HEADER + GOOD, "runs.xlsx"))
    assert "spreadsheet workbook (.xlsx)" in str(err)
    assert "CSV UTF-8" in err.hint and "read_excel" in err.hint


@pytest.mark.parametrize("name", ["r.csv", "r.tsv", "r.jsonl", "r.json", "r.parquet"])
def test_zero_bytes(tmp_path: Path, name: str) -> None:
    err = _error(_csv(tmp_path, "", name))
    assert "empty" in str(err)


def test_header_only(tmp_path: Path) -> None:
    path = _csv(tmp_path, HEADER)
    err = _error(path)
    assert "no data rows" in str(err)
    _assert_where(err, path, None, None)


def test_blank_lines_only(tmp_path: Path) -> None:
    assert "blank" in str(_error(_csv(tmp_path, "\n\n")))


def test_empty_dataframe_and_json_array(tmp_path: Path) -> None:
    assert "no runs" in str(_error(pd.DataFrame({"params": [], "loss": []})))
    assert "no runs" in str(_error(_csv(tmp_path, "[]", "r.json")))


def test_truncated_csv_line(tmp_path: Path) -> None:
    path = _csv(tmp_path, HEADER + GOOD + "c,3e7\n")
    err = _error(path)
    assert "2 fields" in str(err)
    _assert_where(err, path, 4, None)


def test_non_numeric_in_canonical_column(tmp_path: Path) -> None:
    path = _csv(tmp_path, HEADER + "a,1e7,1e9,3.0\nb,big,1e9,2.9\n")
    err = _error(path)
    assert "'big' is not a number" in str(err)
    assert "--map params=COLUMN" in err.hint
    _assert_where(err, path, 3, "params")


def test_non_numeric_loss_names_source_column(tmp_path: Path) -> None:
    path = _csv(tmp_path, "run,N,D,val_loss\na,1e7,1e9,3.0\nb,2e7,1e9,oops\n")
    err = _error(path)
    assert "read loss from another column: y=COLUMN" in err.hint
    _assert_where(err, path, 3, "val_loss")


@pytest.mark.parametrize(("cell", "what"), [("", "missing"), ("nan", "missing"), ("inf", "inf")])
def test_nan_or_inf_size(tmp_path: Path, cell: str, what: str) -> None:
    path = _csv(tmp_path, HEADER + f"a,1e7,1e9,3.0\nb,2e7,{cell},2.9\nc,3e7,,2.8\n")
    err = _error(path)
    assert f"tokens is {what}" in str(err)
    assert "(and missing at row 4)" in str(err)
    _assert_where(err, path, 3, "tokens")


@pytest.mark.parametrize(
    ("column", "line"),
    [("params", "b,0,1e9,2.9"), ("tokens", "b,1e7,-5,2.9"), ("loss", "b,1e7,1e9,0")],
)
def test_non_positive(tmp_path: Path, column: str, line: str) -> None:
    path = _csv(tmp_path, HEADER + "a,1e7,1e9,3.0\n" + line + "\n")
    err = _error(path)
    assert "must be positive" in str(err)
    _assert_where(err, path, 3, column)


def test_non_positive_in_dataframe_names_its_position() -> None:
    # the row as pandas finds it (df.iloc[2]); err.row keeps the record's number from 1
    frame = pd.DataFrame({"params": [1e7, 2e7, -1.0], "tokens": [1e9] * 3, "loss": [3.0, 2.9, 2.8]})
    err = _error(frame)
    assert (err.source, err.row, err.column) == ("<DataFrame>", 3, "params")
    assert str(err).startswith("<DataFrame>, row df.iloc[2], column 'params': params is -1")
    assert err.hint


def test_duplicate_run_ids(tmp_path: Path) -> None:
    path = _csv(tmp_path, HEADER + GOOD + "a,3e7,1e9,2.8\n")
    err = _error(path)
    assert "rows 2 and 4" in str(err)
    _assert_where(err, path, 4, "run")
    assert "identical" not in str(err)  # a second run under one name: rename one


def test_a_repeated_row_is_told_to_be_removed(tmp_path: Path) -> None:
    """An export saved twice into one file repeats a whole row (a blank cell too): the
    error says the rows are identical and names the copy to delete, not "rename one",
    which would fit the run twice."""
    path = _csv(
        tmp_path,
        HEADER.replace("\n", ",note\n") + "a,1e7,1e9,3.0,\nb,2e7,1e9,2.9,x\na,1e7,1e9,3.0,\n",
    )
    err = _error(path)
    _assert_where(err, path, 4, "run")
    assert "rows 2 and 4 (the two rows are identical: a repeated row)" in str(err)
    assert err.hint == "remove row 4, the copy of row 2"
    records = [{"run": "a", "params": "1e7", "tokens": "1e9", "loss": 3.0, "note": None}] * 2
    jsonl = _csv(tmp_path, "\n".join(json.dumps(r) for r in records) + "\n", "runs.jsonl")
    assert _error(jsonl).hint == "remove row 2, the copy of row 1"


def test_missing_loss_lists_columns(tmp_path: Path) -> None:
    path = _csv(tmp_path, "run,params,tokens,perplexity\na,1e7,1e9,20\nb,2e7,1e9,19\n")
    err = _error(path)
    assert "'perplexity'" in str(err)
    assert "say which column holds the loss: y=COLUMN" in err.hint


def test_ambiguous_loss(tmp_path: Path) -> None:
    path = _csv(
        tmp_path, "run,params,tokens,train_loss,val_loss\na,1e7,1e9,3,3.1\nb,2e7,1e9,2.9,3\n"
    )
    err = _error(path)
    assert "'train_loss'" in str(err)
    assert "'val_loss'" in str(err)
    assert "say which: y='train_loss'" in err.hint
    assert read_runs(path, columns={"loss": "val_loss"})["loss"].tolist() == [3.1, 3.0]


def test_no_size_column(tmp_path: Path) -> None:
    err = _error(_csv(tmp_path, "run,lr,loss\na,1e-3,3\nb,2e-3,2.9\n"))
    assert "no model-size column" in str(err)
    assert "--map params=COLUMN" in err.hint


def test_mapping_to_absent_column_lists_columns(tmp_path: Path) -> None:
    path = _csv(tmp_path, HEADER + GOOD)
    err = _error(path, columns={"loss": "val_loss"})
    assert "'val_loss'" in str(err)
    for column in ("run", "params", "tokens", "loss"):
        assert repr(column) in str(err)
    _assert_where(err, path, None, "val_loss")


def test_run_column_absent(tmp_path: Path) -> None:
    assert "'model'" in str(_error(_csv(tmp_path, HEADER + GOOD), run_column="model"))


def test_repeated_column_names() -> None:
    frame = pd.DataFrame([[1e7, 1e9, 3.0, 1.0]], columns=["params", "tokens", "loss", "loss"])
    assert "columns 3 and 4 are both named 'loss'" in str(_error(frame))


def test_truncated_jsonl_line(tmp_path: Path) -> None:
    text = (
        '{"run": "a", "params": 1e7, "tokens": 1e9, "loss": 3}\n\n{"run": "b", "params": 2e7, "tok'
    )
    path = _csv(tmp_path, text, "runs.jsonl")
    err = _error(path)
    assert "not valid JSON" in str(err)
    _assert_where(err, path, 3, None)


def test_jsonl_line_not_an_object(tmp_path: Path) -> None:
    err = _error(_csv(tmp_path, '{"params": 1, "tokens": 1, "loss": 1}\n[1, 2]\n', "r.jsonl"))
    assert err.row == 2
    assert "list" in str(err)


def test_invalid_json(tmp_path: Path) -> None:
    path = _csv(tmp_path, '[\n{"params": 1e7, "tokens": 1e9, "loss": 3},\n{"params": \n', "r.json")
    err = _error(path)
    assert "not valid JSON" in str(err)
    assert err.row == 4


def test_json_not_an_array(tmp_path: Path) -> None:
    assert "not an array" in str(_error(_csv(tmp_path, '{"params": 1}', "r.json")))


def test_unreadable_parquet(tmp_path: Path) -> None:
    path = _csv(tmp_path, "PAR1 this is not really parquet", "runs.parquet")
    err = _error(path)
    assert "cannot read as Parquet" in str(err)
    _assert_where(err, path, None, None)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(HEADER.encode() + b"a,1e7,1e9,3\xff\n")
    assert "UTF-8" in str(_error(path))


def test_bad_options() -> None:
    with pytest.raises(_errors.ConfigError):
        read_runs(42)  # type: ignore[arg-type]
    with pytest.raises(_errors.ConfigError):
        read_runs(pd.DataFrame(), columns={"loss": 3})  # type: ignore[dict-item]


def test_errors_are_input_errors_with_exit_code_2(tmp_path: Path) -> None:
    err = _error(tmp_path / "nope.csv")
    assert isinstance(err, _errors.InputError)
    assert err.exit_code == 2


def test_column_mapped_twice(tmp_path: Path) -> None:
    path = _csv(tmp_path, HEADER + GOOD)
    err = _error(path, columns={"params": "params", "tokens": "params"})
    assert err.column == "params"
    err = _error(path, columns={"loss": "loss"}, run_column="loss")
    assert "run-id" in str(err)


def test_a_refused_json_number_names_its_record_and_key(tmp_path: Path) -> None:
    """A number of 45 characters was refused naming the file alone; a CSV's names row and
    column, so a JSON array names the record (its row) and the key, a JSON-lines file its line."""
    long = "1.00000000000000000000000000000000000000001e7"
    text = f'[{{"params": 1e7, "tokens": 2e8, "loss": 4.1}}, {{"params": {long}, "loss": 4}}]'
    path = _csv(tmp_path, text, "long.json")
    err = _error(path)
    said = f"{path}, row 2, column 'params': a number of 45 characters (1.0000000000...)"
    assert str(err).startswith(said)
    _assert_where(err, path, 2, "params")
    lines = '{"params": 1e7, "tokens": 2e8, "loss": 4.1}\n\n{"params": 1e7, "tokens": 1e999}\n'
    _assert_where(_error(_csv(tmp_path, lines, "r.jsonl")), tmp_path / "r.jsonl", 3, "tokens")
    twice = _error(_csv(tmp_path, '[{"params": 1e7, "x": {"lr": 1, "lr": 2}}]', "twice.json"))
    assert "row 1, column 'x.lr': the key 'lr' appears twice in one object" in str(twice)

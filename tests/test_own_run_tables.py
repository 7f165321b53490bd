"""A researcher's own results table, kept as spreadsheets are: a loss column named in words
(``Final val loss``), a row of units under the header, a ``Model`` column of run names, a
perplexity column instead of the loss, and a fit of few short coefficients. Each refusal or
note says what the table holds and the option that reads it, filled in."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli, refused

import scalinglab
from scalinglab import DataError

_SHEET = (
    "Model,Params (M),Tokens (B),Final val loss,Notes\n"
    "tiny,20,0.4,3.95,first try\n"
    "small,70,2.8,3.30,\n"
    "base,160,3.2,3.10,lr 3e-4\n"
    "large,1000,20,2.61,best\n"
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_one_column_named_as_a_loss_is_filled_into_the_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "sheet.csv", _SHEET)
    error, hint = refused(capsys, ["fit", str(path)])
    assert "no loss column" in error
    # was "--y loss=COLUMN (y=COLUMN in Python)": the one column is named, quoted for the shell
    assert hint == (
        "hint: say which column holds the loss (1 column named as losses: 'Final val loss'): "
        "--y loss='Final val loss' (y='Final val loss' in Python)"
    )
    with pytest.raises(DataError, match="no loss column") as err:
        scalinglab.read_runs(path)
    assert err.value.hint.endswith("): y='Final val loss'")
    # the option as the hint writes it reads the column (the shell drops the quotes)
    table = scalinglab.read_runs(path, y="Final val loss")
    assert table["loss"].tolist() == [3.95, 3.30, 3.10, 2.61]
    assert table["params"].tolist() == [2e7, 7e7, 1.6e8, 1e9]


def test_two_columns_named_as_losses_leave_the_column_to_the_user(tmp_path: Path) -> None:
    path = _write(tmp_path, "two.csv", "run,params,c4 loss,pile loss\na,1e6,3,3.1\nb,2e6,2.9,3\n")
    with pytest.raises(DataError, match="no loss column") as err:
        scalinglab.read_runs(path)
    assert err.value.hint.endswith("'c4 loss', 'pile loss'): y=COLUMN")


def test_a_row_of_units_under_the_header_is_refused_as_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "run,params,tokens,loss\n,M,B,nats\nr1,125,2.5,3.30\nr2,350,7,2.98\n"
    path = _write(tmp_path, "units.csv", text)
    error, hint = refused(capsys, ["fit", str(path)])
    # was "row 2, column 'params': 'M' is not a number", which said nothing of a units row
    assert error == (
        f"error: {path}, row 2: this row holds no number but units ('M' under 'params', 'B' "
        "under 'tokens', 'nats' under 'loss'): a row of units under the header, not a run"
    )
    assert hint.startswith("hint: delete the row; a size's unit may go in its column's name")
    with pytest.raises(DataError, match="a row of units under the header") as err:
        scalinglab.read_runs(path)
    assert err.value.row == 2


def test_a_first_run_with_one_bad_cell_is_no_units_row(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.csv", "run,params,tokens,loss\nr1,M,2.5B,3.3\nr2,350M,7B,2.98\n")
    with pytest.raises(DataError, match="'M' is not a number") as err:
        scalinglab.read_runs(path)
    assert (err.value.row, err.value.column) == (2, "params")


def test_a_column_of_distinct_run_names_is_named_in_the_note(tmp_path: Path) -> None:
    # a column called Model is read as the run ids (test_model_run_column); Checkpoint is not
    path = _write(tmp_path, "sheet.csv", _SHEET.replace("Model,", "Checkpoint,", 1))
    table = scalinglab.read_runs(path, y="Final val loss")
    note = next(n for n in table.notes if n.startswith("no run-id column"))
    # Notes (a blank cell, not distinct) is no candidate; Checkpoint is named, not taken
    assert note.endswith(
        "; column 'Checkpoint' holds a distinct text value per run: --map run=Checkpoint "
        "(run_column='Checkpoint')"
    )
    assert table.runs[0] == "row2"
    named = scalinglab.read_runs(path, y="Final val loss", run_column="Checkpoint")
    assert list(named.runs) == ["tiny", "small", "base", "large"]


def test_no_column_of_distinct_names_keeps_the_plain_note(tmp_path: Path) -> None:
    text = "arch,params,tokens,loss\ngpt,1e6,1e9,3\ngpt,2e6,2e9,2.9\n"
    table = scalinglab.read_runs(_write(tmp_path, "arch.csv", text))
    note = next(n for n in table.notes if n.startswith("no run-id column"))
    assert note.endswith("name one with --map run=COLUMN (read_runs(..., run_column=COLUMN))")


def test_a_perplexity_column_is_said_to_be_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "run\tparams\ttokens\tppl\nx1\t125M\t2.5B\t27.1\nx2\t350M\t7B\t19.7\n"
    path = _write(tmp_path, "ppl.tsv", text)
    _, hint = refused(capsys, ["fit", str(path)])
    assert hint == (
        "hint: say which column holds the loss: --y loss=COLUMN (y=COLUMN in Python); 'ppl' "
        "looks like perplexity (exp of the loss): write ln of each value in a column and give "
        "that one"
    )


def test_a_narrow_coefficient_table_keeps_its_title_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [f"r{i},{n:g},{2 * n**-0.1!r}" for i, n in enumerate([1e6, 1e7, 1e8, 1e9, 1e10])]
    path = _write(tmp_path, "exact.csv", "run,params,loss\n" + "\n".join(rows) + "\n")
    code, out, _ = cli(capsys, "fit", str(path), "--law", "power-law:params", "--bootstrap", "0")
    assert code == 0
    lines = [n.rstrip() for n in out.splitlines()]
    # the table (A = 2, alpha = 0.1) is narrower than its title, which wrapped to two lines
    assert "fitted coefficients" in lines
    assert "fitted" not in lines

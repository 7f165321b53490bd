"""An evaluation table's defects get the run table's answer at every door: a repeated column
name, a header without rows, a JSON Lines file with a bad line. ``downstream fit`` reads
them by its own frame reader; each is refused there with the words, file, row and column
that ``fit`` and ``loss2loss fit`` give the same defect, and a repeated task column (which
only an evaluation table has) is refused as a repeated loss column is, not a TypeError."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.test_cli_downstream import run
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab import DataError, read_evals


def _evals() -> pd.DataFrame:
    return models(np.random.default_rng(0), SIZES, MULTS)


def _repeated(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """``frame`` with a last column named ``name`` again, its numbers 10% higher."""
    out = frame.copy()
    numeric = pd.api.types.is_numeric_dtype(out[name])
    out.insert(len(out.columns), "again", out[name] * 1.1 if numeric else out[name] + "2")
    out.columns = [*frame.columns, name]
    return out


def _first_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith(("error:", "hint:"))]


def test_a_repeated_loss_column_is_refused_as_fit_and_loss2loss_refuse_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    frame = _evals()
    frame["loss_other"] = frame["loss"] * 1.2
    path = tmp_path / "evals.csv"
    _repeated(frame, "loss").to_csv(path, index=False)
    said = []
    for door in (
        ["fit", str(path)],
        ["loss2loss", "fit", str(path), "--x", "loss", "--y", "loss_other"],
        ["downstream", "fit", str(path), "--bootstrap", "20"],
    ):
        code, out, err = run(capsys, *door)
        assert code == 2 and out == "" and "Traceback" not in err, door
        said.append(_first_lines(err))
    # columns 4 ('loss') and 9 (the repeat after run, params, tokens, loss, 3 acc, loss_other)
    assert said[0] == [
        f"error: {path}, column 'loss': columns 4 and 9 are both named 'loss', which is "
        "read: which one is meant is not clear",
        "hint: rename or remove the other column of that name",
    ]
    assert said[1] == said[0] and said[2] == said[0]


@pytest.mark.parametrize("as_file", [False, True])
def test_a_repeated_task_column_is_refused_naming_both_positions(
    tmp_path: Path, as_file: bool
) -> None:
    frame = _repeated(_evals(), "acc_task")  # acc_task is column 5 of 7, its repeat the 8th
    source: pd.DataFrame | Path = frame
    if as_file:
        source = tmp_path / "evals.csv"
        frame.to_csv(source, index=False)
    with pytest.raises(DataError) as err:
        read_evals(source, chance={"task": 0.25})
    assert err.value.column == "acc_task"
    assert "columns 5 and 8 are both named 'acc_task', which is read" in str(err.value)


def test_a_repeated_column_no_door_reads_is_left_out_with_the_run_tables_warning(
    tmp_path: Path,
) -> None:
    path = tmp_path / "evals.csv"
    frame = _evals()
    frame["note"] = "x"
    _repeated(frame, "note").to_csv(path, index=False)
    evals = read_evals(path, chance={"task": 0.25})
    assert "warning: columns 8 and 9 are named 'note': not read" in "\n".join(evals.notes)
    assert len(evals.runs) == len(frame) == len(SIZES) * len(MULTS)


def test_a_header_without_rows_gets_the_run_tables_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "evals.csv"
    path.write_text("run,params,tokens,loss,acc_task\n")
    code, out, err = run(capsys, "downstream", "fit", str(path))
    assert code == 2 and out == "" and "Traceback" not in err
    assert _first_lines(err) == [
        f"error: {path}: no runs: the file has a header but no data rows",
        "hint: add one row per model",
    ]
    code, _, fit_err = run(capsys, "fit", str(path))
    assert code == 2 and _first_lines(fit_err)[0] == _first_lines(err)[0]


def test_a_jsonl_line_cut_short_is_named_by_its_row_as_fit_names_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    records = [json.dumps(r) for r in _evals().to_dict("records")]
    records[4] = records[4][:-9]  # line 5 cut mid-write
    path = tmp_path / "evals.jsonl"
    path.write_text("\n".join(records) + "\n")
    said = []
    for door in (["fit", str(path)], ["downstream", "fit", str(path), "--bootstrap", "20"]):
        code, out, err = run(capsys, *door)
        assert code == 2 and out == "" and "Traceback" not in err, door
        said.append(_first_lines(err))
    assert said[1] == said[0]
    assert said[0][0].startswith(f"error: {path}, row 5: line is not valid JSON")


def test_a_jsonl_table_with_a_blank_line_reads_every_model(tmp_path: Path) -> None:
    frame = _evals()
    lines = [json.dumps(r) for r in frame.to_dict("records")]
    path = tmp_path / "evals.jsonl"
    path.write_text("\n".join([*lines[:3], "", *lines[3:]]) + "\n\n")
    evals = read_evals(path, chance={"task": 0.25})
    assert len(evals.runs) == len(frame)
    np.testing.assert_allclose(np.sort(evals.runs["loss"]), np.sort(frame["loss"]), rtol=1e-12)

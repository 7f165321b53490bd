"""A table or a folder of the wrong kind where a command reads runs, curves or evaluations:
exit 2, one error line and one hint line, no traceback, saying what the input looks like
and which command reads it (the style of ``test_crossed_files.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalinglab.cli import main
from scalinglab.curves._folder import curve_files
from scalinglab.store import RunStore, StoredRun

#: The extensions a folder of curves is read by, written out here: each is checked to be
#: read (:func:`test_the_extensions_the_hint_names_are_the_ones_read`).
_EXTENSIONS = ".csv .tsv .parquet .pq .jsonl .ndjson .json"


def _said(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[str, str]:
    """The error and hint lines of ``scalinglab ARGS``, checked to be exit 2, those two
    lines alone and no traceback."""
    assert main(args) == 2, args
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert "Traceback" not in captured.out + captured.err
    assert len(lines) == 2 and lines[0].startswith("error: ") and lines[1].startswith("hint: "), (
        captured.err
    )
    return lines[0], lines[1]


@pytest.mark.parametrize(
    ("command", "columns"),
    [
        (
            ["envelope", "--bootstrap", "0"],
            "loss, tokens or step (with --tokens-per-step N, tokens_per_step=N in Python) and "
            "params (or a folder named by the size: 25M/cosine.csv)",
        ),
        (
            ["curves", "fit", "--bootstrap", "0"],
            "step, loss and lr (or --schedule, schedule= in Python, for runs that log none)",
        ),
        (
            ["fit", "--bootstrap", "0", "--from-curves"],
            "step, loss and lr (or --schedule, schedule= in Python, for runs that log none)",
        ),
    ],
)
def test_an_empty_folder_of_curves_says_which_files_and_columns_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str], columns: str
) -> None:
    """Before: "no curve files in this folder" and no hint line."""
    folder = tmp_path / "curves"
    folder.mkdir()
    (folder / "notes.txt").write_text("step,loss\n1,3\n")  # not an extension read
    error, hint = _said(capsys, [*command, str(folder)])
    assert error == f"error: {folder}: no curve files in this folder"
    assert hint == (
        f"hint: give a folder of curve files ({_EXTENSIONS}, in it or below it), one run's "
        f"logged points each (a run column for several), with columns {columns}"
    )


def test_the_extensions_the_hint_names_are_the_ones_read(tmp_path: Path) -> None:
    for suffix in _EXTENSIONS.split():
        (tmp_path / f"run{suffix}").write_text("")
    (tmp_path / "run.txt").write_text("")
    files, skipped = curve_files(tmp_path)
    assert sorted(f.name for f in files) == sorted(f"run{s}" for s in _EXTENSIONS.split())
    assert skipped == []


@pytest.mark.parametrize(
    "command", [["fit", "--bootstrap", "0"], ["isoflop", "--bootstrap", "0"], ["backtest"]]
)
def test_a_run_store_given_as_runs_names_the_option_before_python(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    """Before: the Python ``RunStore(...).to_run_table()`` call came first, then ``--store``."""
    store = tmp_path / "s.duckdb"
    RunStore(store).put_run(StoredRun(run_id="a", name="a", params=1e6, loss=3.0))
    error, hint = _said(capsys, [command[0], str(store), *command[1:]])
    assert error == f"error: {store}: is a run store (DuckDB), not a table file"
    assert hint == (
        f"hint: pass --store {store} on the command line (Python: read its runs with "
        f"scalinglab.RunStore({str(store)!r}).to_run_table())"
    )

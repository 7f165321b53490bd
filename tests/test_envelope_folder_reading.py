"""A folder of curve files read at scale: run ids and sizes worked out once per run (the
same ids, sizes and messages as point by point), and progress while the files are read:
``progress("reading", files read, files)`` from Python, a "reading N files" bar on a
terminal from ``scalinglab envelope``, none with ``--json``."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from rich.console import Console
from tests._chinchilla_draws import HOFFMANN, law_curves
from tests._cli import cli

import scalinglab
from scalinglab import DataError
from scalinglab.data import read_curves
from scalinglab.data._curve_ids import run_ids as _run_ids
from scalinglab.data._raw import cell_id

CELLS = {
    "text": ["a", " a ", "a", "", "nan", "b"],
    "floats": [1.0, 2.0, float("nan"), 1.0, 2.5, float("nan")],
    "numpy floats": list(np.array([3.0, 3.0, np.nan, 4.0, -0.0, 0.0])),
    "ints and bools": [1, True, 1, 0, False, 2],
    "None and text": [None, "a", None, "a", "b", "b"],
    "ints": [7, 7, 8, 8, 9, 7],
}


@pytest.mark.parametrize("name", sorted(CELLS))
def test_run_ids_once_per_run_are_the_ids_point_by_point(name: str) -> None:
    cells: list[object] = CELLS[name]
    rows = list(range(2, 2 + len(cells)))
    assert _run_ids(cells, rows) == tuple(cell_id(c, r) for c, r in zip(cells, rows, strict=True))


def test_run_ids_of_missing_cells_are_their_rows() -> None:
    assert _run_ids(["a", "", "a", "NA"], [2, 3, 4, 5]) == ("a", "row3", "a", "row5")


def _folder(tmp_path: Path, sizes: int = 8) -> Path:
    folder = tmp_path / "curves"
    folder.mkdir()
    for run, curve in law_curves(HOFFMANN, sizes=sizes).groupby("run"):
        curve.to_csv(folder / f"{run}.csv", index=False)
    return folder


def test_a_folder_is_read_as_its_files_with_points_of_a_run_sharing_one_id(
    tmp_path: Path,
) -> None:
    folder = _folder(tmp_path)
    from scalinglab.validate._curve_folder import read_curve_folder

    calls: list[tuple[str, int, int]] = []
    curves = read_curve_folder(folder, progress=lambda *call: calls.append(call))
    assert calls == [("reading", k, 8) for k in range(1, 9)]
    one = read_curves(folder / "m0.csv")
    assert curves.runs[: len(one)] == one.runs and curves.rows[: len(one)] == one.rows
    assert np.array_equal(curves.params[: len(one)], one.params)
    assert one.runs[0] is one.runs[-1]  # one string for the run's 80 points


def test_envelope_of_a_folder_reports_its_files_read_then_its_resamples(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    calls: list[tuple[str, int, int]] = []
    scalinglab.envelope(folder, bootstrap=100, progress=lambda *call: calls.append(call))
    assert calls == [*(("reading", k, 8) for k in range(1, 9)), ("bootstrap", 100, 100)]


def test_a_run_given_two_sizes_is_refused_at_the_row_of_the_second(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    frame = pd.DataFrame(
        {"run": ["a", "b", "a", "b", "a"], "params": [np.nan, 3e7, 2e7, 3e7, 2e7],
         "tokens": [1e9, 1e9, 2e9, 2e9, 3e9], "loss": [3.0, 3.0, 2.9, 2.9, 2.8]}
    )  # fmt: skip
    frame.to_csv(path, index=False)
    with pytest.raises(DataError) as caught:
        read_curves(path)
    # a's first size is missing, so the size on line 4 is a second one
    assert "run 'a' has two parameter counts, nan and 2e7" in str(caught.value)
    assert (caught.value.row, caught.value.column) == (4, "params")


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> StringIO:
    """The envelope's stderr console is a terminal writing here."""
    import scalinglab.cli._envelope_files as files

    buffer = StringIO()
    console = Console(file=buffer, force_terminal=True, width=120)
    monkeypatch.setattr(files, "stderr_console", lambda: console)
    return buffer


def test_scalinglab_envelope_draws_a_bar_as_a_folder_is_read(
    capsys: pytest.CaptureFixture[str], terminal: StringIO, tmp_path: Path
) -> None:
    folder = _folder(tmp_path)
    code, out, err = cli(capsys, "envelope", str(folder), "--bootstrap", "50")
    assert code == 0, err
    assert "reading 8 files" in terminal.getvalue() and "8/8" in terminal.getvalue()
    assert "reading" not in out
    terminal.truncate(0)
    code, out, err = cli(capsys, "envelope", str(folder), "--bootstrap", "50", "--json")
    assert code == 0 and json.loads(out)["n_runs"] == 8
    assert terminal.getvalue() == ""  # --json: no bar at all


def test_read_curve_folder_stays_private() -> None:
    """Named in commit messages as where envelope reads a folder, not exported: envelope
    (given a folder) is the public way, and the module says so."""
    import scalinglab
    import scalinglab.data
    import scalinglab.validate
    from scalinglab.validate import _curve_folder

    for module in (scalinglab, scalinglab.data, scalinglab.validate):
        assert "read_curve_folder" not in module.__all__
    assert "Private, as the module's name says" in (_curve_folder.__doc__ or "")


def test_run_ids_of_floats_are_a_run_tables_ids() -> None:
    """Whole floats read as the integers a DataFrame turned them from, a blank as its row,
    as a run table's id column reads them (:func:`scalinglab.data._raw.cell_id`)."""
    cells: list[object] = [1.0, 2.0, float("nan"), 1.0, 2.5, float("nan")]
    assert _run_ids(cells, range(2, 8)) == ("1", "2", "row4", "1", "2.5", "row7")

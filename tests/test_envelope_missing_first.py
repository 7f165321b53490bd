"""envelope: a path named on the command line that is not there is the first thing said
(CURVES, --runs, --store), before which inputs are given: ``envelope --runs nonexist.csv``
said "give exactly one of CURVES or --store", and a CURVES folder beside a missing --runs
was read (and its steps refused) first. The usage errors stay for inputs truly absent."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import refused


def _curves(tmp_path: Path) -> str:
    path = tmp_path / "curves.csv"
    path.write_text("run,step,loss,params\na,1,3.0,1e6\na,2,2.9,1e6\n")  # steps, no tokens
    return str(path)


@pytest.mark.parametrize(
    "given",
    [
        ["--runs", "nonexist.csv"],
        ["CURVES", "--runs", "nonexist.csv"],
        ["--store", "STORE", "--runs", "nonexist.csv"],
    ],
)
def test_a_missing_runs_file_is_said_first(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    given: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    store = tmp_path / "runs.duckdb"
    store.write_bytes(b"")  # there: its contents are not read before the --runs check
    args = [{"CURVES": _curves(tmp_path), "STORE": str(store)}.get(a, a) for a in given]
    error, hint = refused(capsys, ["envelope", *args])
    assert error == "error: nonexist.csv: file not found"
    assert hint == f"hint: check the path (relative paths start at {tmp_path})"


def test_a_missing_store_is_said_before_the_two_inputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "nostore.duckdb"
    error, _ = refused(capsys, ["envelope", _curves(tmp_path), "--store", str(store)])
    assert error == f"error: run store not found: {store} (no run store at this path)"


def test_usage_errors_stay_for_inputs_not_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    error, _ = refused(capsys, ["envelope"])
    assert error == "error: give exactly one of CURVES or --store STORE"
    store = tmp_path / "runs.duckdb"
    store.write_bytes(b"")
    runs = tmp_path / "runs.csv"
    runs.write_text("run,params\na,1e6\n")
    error, _ = refused(capsys, ["envelope", "--store", str(store), "--runs", str(runs)])
    assert error == "error: --runs and --store both give params"

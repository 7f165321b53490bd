"""Ingest of a plain table whose state column says some runs did not finish: the note on
the runs stored as not finished counts only those stored (a run skipped for a blank loss is
not), and a run that did not finish and cannot be read as a run (a blank size) is skipped
with a note naming it, its row and why, as ``read_runs`` leaves it out, instead of refusing
the whole table."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli

from scalinglab import DataError, read_runs
from scalinglab.ingest import ingest
from scalinglab.store import RunStore

_HEAD = "name,status,params,tokens,loss"


def _write(path: Path, *rows: str) -> Path:
    path.write_text("\n".join([_HEAD, *rows]) + "\n")
    return path


def test_a_skipped_run_is_not_counted_as_stored_not_finished(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _write(
        tmp_path / "st.csv",
        "a,finished,1e7,2e8,4.0",
        "b,running,2e7,4e8,",
        "c,finished,4e7,8e8,3.5",
    )
    code, out, err = cli(capsys, "ingest", str(path), "--store", str(tmp_path / "s.duckdb"))
    assert code == 0, err
    text = " ".join(out.split())
    assert "skipped b: no value of 'loss' (row 3: missing or NaN)" in text
    assert "as not finished" not in text  # b was not stored, as anything


def test_the_note_counts_the_unfinished_runs_stored(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "st.csv",
        "a,finished,1e7,2e8,4.0",
        "b,running,2e7,4e8,",
        "c,crashed,4e7,8e8,3.5",
        "d,finished,8e7,1.6e9,3.2",
    )
    result = ingest(path, store=tmp_path / "s.duckdb")
    assert (
        "stored 1 run as not finished, as column 'status' says: 1 failed (1 crashed: c); a "
        f"fit of the store leaves it out (`scalinglab runs --store {tmp_path / 's.duckdb'} "
        "--status failed` lists it)"
    ) in result.notes
    assert [name for name, _ in result.skipped] == ["b"]


def test_an_unfinished_run_without_its_tokens_is_skipped_not_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _write(
        tmp_path / "st2.csv",
        "a,finished,1e7,2e8,4.0",
        "b,running,2e7,,3.9",
        "c,finished,4e7,8e8,3.5",
    )
    assert read_runs(path).runs == ("a", "c")  # a fit of the table leaves b out
    store = tmp_path / "s.duckdb"
    code, out, err = cli(capsys, "ingest", str(path), "--store", str(store))
    assert code == 0, err
    assert (
        "note: skipped b: not finished (running) and not readable: tokens is missing; every "
        "run needs a finite tokens (row 3, column 'tokens')"
    ) in " ".join(out.split())
    assert "as not finished" not in out
    assert sorted(r.name for r in RunStore(store).runs()) == ["a", "c"]


def test_a_finished_run_without_its_tokens_still_refuses_the_table(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "st.csv", "a,finished,1e7,,4.0", "b,running,2e7,,3.9", "c,finished,4e7,8e8,3.5"
    )
    with pytest.raises(DataError) as info:
        ingest(path, store=tmp_path / "s.duckdb")
    assert info.value.message == (
        f"{path}, row 2, column 'tokens': tokens is missing; every run needs a finite tokens"
    )


def test_an_unfinished_run_stored_diverged_is_named_with_that_status(tmp_path: Path) -> None:
    """A run the state column calls running whose loss is written nan (or inf) is stored
    'diverged': it is named apart so, not counted as stored 'running' (it was); one the
    column itself calls diverged is counted as before."""
    path = _write(
        tmp_path / "st.csv",
        "a,running,1e7,2e8,nan",
        "b,crashed,2e7,4e8,inf",
        "c,running,4e7,8e8,3.5",
        "d,diverged,8e7,1.6e9,nan",
        "e,finished,1.6e8,3.2e9,3.2",
    )
    store = tmp_path / "s.duckdb"
    result = ingest(path, store=store)
    assert [n for n in result.notes if "not finish" in n] == [
        "stored 2 runs as not finished, as column 'status' says: 1 running (c); 1 diverged "
        f"(d); a fit of the store leaves them out (`scalinglab runs --store {store} --status "
        f"running` and `scalinglab runs --store {store} --status diverged` list them)",
        "2 runs column 'status' says did not finish (a: running, b: crashed) are stored "
        "'diverged', not as that state: their loss diverged (see the warning on diverged runs)",
    ]
    stored = {r.name: r.status for r in RunStore(tmp_path / "s.duckdb").runs()}
    assert stored == {"a": "diverged", "b": "diverged", "c": "running", "d": "diverged",
                      "e": "finished"}  # fmt: skip

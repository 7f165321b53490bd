"""Runs left out while reading are one record, however they were left out: a state column
saying they did not finish, a blank loss, a store's run of another status. Each reaches
:attr:`RunTable.skipped`, the fit (:attr:`FitResult.skipped`, ``"skipped"`` in its JSON)
and the report card's runs left out; ``report`` prints the notes the reader wrote with
that record (:attr:`RunTable.skipped_notes`) on stderr, as ``fit`` prints them."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli
from tests.test_report_read_followups import _card
from tests.test_report_store_ingested import _store

from scalinglab import FitResult, fit, read_runs

_LAW = "E + A*N**-alpha"


def _runs(path: Path) -> Path:
    """Twelve finished runs, one crashed, one running and one finished without a loss."""
    rows = ["run,params,tokens,loss,state"]
    for i in range(12):
        n, d = 1e7 * 2 ** (i % 4), 1e9 * 2 ** (i // 4)
        rows.append(f"r{i},{n:g},{d:g},{1.9 + 500 * n**-0.35 + 1500 * d**-0.3:.5f},finished")
    rows += ["rx,1e8,1e10,,crashed", "ry,1e8,1e10,3.1,running", "rz,1e8,1e10,,finished"]
    path.write_text("\n".join(rows) + "\n")
    return path


_SKIPPED = (
    ("rx", "not finished: column 'state' says 'crashed' (row 14)"),
    ("ry", "not finished: column 'state' says 'running' (row 15)"),
    ("rz", "no value of 'loss': a blank, '-', 'N/A' or null cell (row 16)"),
)


def test_runs_not_finished_are_skipped_as_runs_without_a_loss(tmp_path: Path) -> None:
    runs = read_runs(_runs(tmp_path / "runs.csv"))
    assert runs.skipped == _SKIPPED and runs.excluded == ()
    assert runs.skipped_notes == (
        "left out 2 runs that are not finished: 1 crashed (rx); 1 running (ry) (as column "
        "'state' says)",
        "1 run without a loss skipped (no value of 'loss': a blank, '-', 'N/A' or null cell): "
        "'rz' (row 16)",
    )
    assert all(n in runs.notes for n in runs.skipped_notes)  # fit prints them among its notes
    result = fit(_LAW, runs, bootstrap=0)
    assert result.skipped == _SKIPPED
    assert result.to_dict()["skipped"] == [{"run": r, "reason": why} for r, why in _SKIPPED]
    assert FitResult.from_dict(result.to_dict()).skipped == _SKIPPED
    assert _card(result, runs)["runs left out"] == "3 runs, listed with the data"


def test_report_counts_and_names_them(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    code, _, err = cli(
        capsys, "report", str(_runs(tmp_path / "runs.csv")), "--law", _LAW, "--bootstrap", "0",
        "--no-validate", "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    assert "runs left out</th><td><a href='#data'>3 runs, listed with the data</a>" in (
        out.read_text(encoding="utf-8")
    )
    said = [line.removeprefix("note: ") for line in err.splitlines() if line.startswith("note: ")]
    assert [n for n in said if "rx" in n or "rz" in n] == list(
        read_runs(_runs(tmp_path / "again.csv")).skipped_notes
    )


def test_a_stores_runs_of_other_statuses_are_skipped(tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    from scalinglab.store import RunStore, StoredRun

    store = RunStore(_store(tmp_path / "ml.duckdb"))
    store.put_runs([(StoredRun(run_id="idh", name="half", params=1e8, loss=3.0), None)])
    runs = store.to_run_table()
    assert runs.skipped == (
        ("blown", "not finished: stored as diverged"),
        ("half", "no tokens: a size the others have"),
    )
    assert runs.skipped_notes[0] == (
        "left out 1 stored run that is not finished: 1 diverged (blown) (`scalinglab runs "
        f"--store {tmp_path / 'ml.duckdb'} --status diverged` lists it)"
    )
    assert runs.skipped_notes[1].startswith(
        "left out 1 stored run without a size the others have: half (no tokens)"
    )
    assert _card(fit("chinchilla", runs, bootstrap=0), runs)["runs left out"] == (
        "2 runs, listed with the data"
    )

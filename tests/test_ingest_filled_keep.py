"""`ingest --on-conflict keep` writes a run that only fills in values its stored copy lacked
(nothing stored changes), and still keeps a stored run a fill-in would change otherwise."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd
import pytest
from tests._cli import cli

from scalinglab.ingest import ingest
from scalinglab.store import RunStore, StoredRun


def _table(path: Path, *, dataset: bool, loss: float = 4.1) -> Path:
    frame = pd.DataFrame({"run": ["r1", "r2"], "params": [1e7, 2e7], "tokens": [2e8, 4e8]})
    frame = frame.assign(loss=[loss, 3.8])
    (frame.assign(dataset="c4") if dataset else frame).to_csv(path, index=False)
    return path


@pytest.mark.heavy  # 1.6 s in the suite on a 2-core AMD EPYC
def test_keep_writes_a_fill_in_and_keeps_a_change(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    table, store = tmp_path / "t.csv", tmp_path / "s.duckdb"
    ingest(_table(table, dataset=False), store=store)
    _table(table, dataset=True)  # a column added to the file since
    code, out, err = cli(capsys, "ingest", str(table), "--store", str(store), "--on-conflict",
                         "keep", "--json")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert sorted(data["filled"]) == ["r1", "r2"] and data["conflicts"] == []
    assert data["updated"] == []
    (note,) = [n for n in data["notes"] if "2 stored runs filled in" in n]
    # was "nothing stored changed" beside a count of runs written as filled in
    assert (
        "(a column added to the file, or one an earlier version did not record; nothing "
        "that was stored before changed): r1 (corpus c4, dataset c4); r2 (corpus c4, dataset c4)"
        in note
    )
    assert {r.corpus for r in RunStore(store).runs()} == {"c4"}  # written
    # a fill-in that changes a stored value too is a change: kept, reported as a conflict
    ingest(_table(table, dataset=False, loss=4.5), store=store)  # a loss, and no dataset
    kept = ingest(_table(table, dataset=True), store=store, on_conflict="keep").written
    names = {r.run_id: r.name for r in RunStore(store).runs()}
    assert [names[r] for r, _ in kept.conflicts] == ["r1"] and kept.updated == ()
    assert [names[r] for r in kept.filled] == ["r2"]  # only its dataset came back
    stored = {r.name: r for r in RunStore(store).runs()}
    assert stored["r1"].loss == 4.5 and stored["r1"].corpus is None  # as it was
    assert stored["r2"].corpus == "c4"


def test_a_fill_in_whose_curve_differs_is_kept(tmp_path: Path) -> None:
    """The store writes a fill-in under keep only where its curve is the stored one."""
    store = RunStore(tmp_path / "s.duckdb")
    run = StoredRun(run_id="x", name="x", params=1e7, tokens=2e8, loss=3.0)
    curve = pd.DataFrame({"run_id": "x", "step": [1, 2], "eval_loss": [4.0, 3.0]})
    store.put_runs_frame([run], curve)
    more = dataclasses.replace(run, corpus="c4")
    other = curve.assign(eval_loss=[4.5, 3.0])
    kept = store.put_runs_frame([more], other, on_conflict="keep", filled={"x"})
    assert kept.conflicts == (("x", "stored with other values; kept the stored run"),)
    assert store.runs()[0].corpus is None
    same = store.put_runs_frame([more], curve, on_conflict="keep", filled={"x"})
    assert same.filled == ("x",) and same.conflicts == () and same.updated == ()
    assert store.runs()[0].corpus == "c4"
    assert list(store.curve("x")["eval_loss"]) == [4.0, 3.0]


def test_keep_says_a_diverged_looking_run_it_kept_was_not_stored(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The note said "looks diverged: loss 9.9 ...; stored —" while the stored 3.5 stayed."""
    sizes = [1e7 * 2**k for k in range(8)]
    losses = [1.8 + 400 * n**-0.34 + 2000 * (20 * n) ** -0.37 for n in sizes]
    frame = pd.DataFrame({"run": [f"m{k}" for k in range(8)], "params": sizes})
    frame = frame.assign(tokens=[20 * n for n in sizes], loss=losses)
    table, store = tmp_path / "runs.csv", tmp_path / "s.duckdb"
    frame.to_csv(table, index=False)
    ingest(table, store=store)
    frame.loc[4, "loss"] = 9.9
    frame.to_csv(table, index=False)
    code, out, err = cli(capsys, "ingest", str(table), "--store", str(store), "--on-conflict",
                         "keep", "--json")  # fmt: skip
    assert code == 0 and [c["run"] for c in json.loads(out)["conflicts"]] == ["m4"], err
    (note,) = [n for n in json.loads(out)["notes"] if "looks diverged" in n]
    assert note.startswith("run 'm4' (row 6 of runs.csv) looks diverged: loss 9.9 is ")
    assert note.endswith(
        f"; not stored: --on-conflict keep kept the stored run (loss {losses[4]:.5g}); "
        "--on-conflict replace stores it"
    )
    assert {r.name: r.loss for r in RunStore(store).runs()}["m4"] == pytest.approx(losses[4])


def test_keep_finds_the_diverged_note_by_the_run_not_its_name(tmp_path: Path) -> None:
    """Two runs named row7: the table's (its row 7) and the stored one, which a row inserted
    above moved to row 8 and which keeps its stored name. The note on the table's row7 was
    matched by the stored run's name, and said 'stored' of the run keep had kept."""
    sizes = [1e7 * 2**k for k in range(8)]
    losses = [1.8 + 400 * n**-0.34 + 2000 * (20 * n) ** -0.37 for n in sizes]
    frame = pd.DataFrame({"params": sizes, "tokens": [20 * n for n in sizes], "loss": losses})
    table, store = tmp_path / "runs.csv", tmp_path / "s.duckdb"
    frame.to_csv(table, index=False)  # no run column: runs are named by their rows
    ingest(table, store=store)
    top = pd.DataFrame({"params": [5e6], "tokens": [1e8], "loss": [4.2]})
    frame.loc[4, "loss"] = 9.9  # the run stored as row6, now on row 7 of the file
    pd.concat([top, frame]).to_csv(table, index=False)
    result = ingest(table, store=store, on_conflict="keep")
    assert [result.written.names[i] for i, _ in result.written.conflicts] == ["row6"]
    (note,) = [n for n in result.notes if "looks diverged" in n]
    assert note.startswith("run 'row7' (row 7 of runs.csv) looks diverged: loss 9.9 is ")
    assert note.endswith(
        f"; not stored: --on-conflict keep kept the stored run (loss {losses[4]:.5g}); "
        "--on-conflict replace stores it"
    )
    assert {r.name: r.loss for r in RunStore(store).runs()}["row6"] == pytest.approx(losses[4])

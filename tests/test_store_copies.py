"""The same runs ingested from two sources (a run table and a copy of it under another name):
ingest says so, naming the source and the count; a fit over the store counts each run once,
so its intervals are those of the runs, not of twice as many; a moved file stays `moved`."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._ingest_sources import ladder, wandb_table

import scalinglab
from scalinglab.cli import main
from scalinglab.ingest import ingest
from scalinglab.store import RunStore, StoredRun
from scalinglab.store._copies import copy_of


def _table(path: Path, runs: int = 12) -> Path:
    rng = np.random.default_rng(0)
    n = np.repeat(1e7 * 3.0 ** np.arange(runs // 3), 3)
    d = n * np.tile([10.0, 20.0, 40.0], runs // 3)
    loss = 1.7 + 400 * n**-0.34 + 400 * d**-0.28 + rng.normal(0, 0.005, runs)
    frame = pd.DataFrame({"run": [f"m{k}" for k in range(runs)], "params": n, "tokens": d})
    frame.assign(loss=loss).to_csv(path, index=False)
    return path


def _table_and_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A run table and a copy of it under another name."""
    table = _table(tmp_path / "ot_c4.csv")
    copy = tmp_path / "ot_c4_copy.csv"
    shutil.copyfile(table, copy)
    return table, copy


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, " ".join(out.split()), err


def test_ingest_names_the_source_that_already_stored_the_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table, copy = _table_and_copy(tmp_path)
    store = str(tmp_path / "s.duckdb")
    code, out, _ = _run(capsys, "ingest", str(table), "--store", store)
    assert code == 0 and "identical" not in out
    code, out, _ = _run(capsys, "ingest", str(copy), "--store", store)
    assert code == 0 and "│ 12 │ 0 │ 0 │ 0 │ 0 │ 0 │ 0 │" in out  # both copies are kept
    assert (
        f"12 runs of {copy} are identical (same name, params, tokens, loss) to runs "
        f"stored from {table}: the store holds both copies" in out
    )
    assert "fits over it count each run once" in out
    code, out, _ = _run(capsys, "ingest", str(copy), "--store", store, "--json")
    assert code == 0 and len(json.loads(out)["unchanged"]) == 12
    assert not any("identical" in note for note in json.loads(out)["notes"])  # said once


@pytest.mark.heavy  # 1.9 s in the suite on a 2-core AMD EPYC
def test_an_unchanged_reingest_does_not_repeat_the_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The note is for runs an ingest adds or updates: ingesting either file again, as it
    was, adds nothing and says nothing; a copy whose runs changed (a new column) says it."""
    table, copy = _table_and_copy(tmp_path)
    store = str(tmp_path / "s.duckdb")
    _run(capsys, "ingest", str(table), "--store", store)
    _run(capsys, "ingest", str(copy), "--store", store)
    for again in (copy, table):
        code, out, _ = _run(capsys, "ingest", str(again), "--store", store)
        assert code == 0 and "│ 0 │ 0 │ 12 │ 0 │ 0 │ 0 │ 0 │" in out
        assert "note:" in out and "identical" not in out, out
    pd.read_csv(copy).assign(seed=1).to_csv(copy, index=False)  # same runs, one more column
    code, out, _ = _run(capsys, "ingest", str(copy), "--store", store)
    assert code == 0 and "│ 0 │ 12 │ 0 │ 0 │ 0 │ 0 │ 0 │" in out
    assert f"12 runs of {copy} are identical (same name, params, tokens, loss) to runs " in out
    code, out, _ = _run(capsys, "ingest", str(copy), "--store", store)
    assert code == 0 and "│ 0 │ 0 │ 12 │ 0 │ 0 │ 0 │ 0 │" in out and "identical" not in out


@pytest.mark.heavy  # 1.6 s in the suite on a 2-core AMD EPYC
def test_a_fit_over_the_store_counts_each_run_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table, copy = _table_and_copy(tmp_path)
    once, twice = tmp_path / "once.duckdb", tmp_path / "twice.duckdb"
    ingest(table, store=once)
    ingest(table, store=twice)
    ingest(copy, store=twice)
    assert sum(RunStore(twice).counts().values()) == 24  # the store holds both copies
    runs = RunStore(twice).to_run_table()
    assert len(runs) == 12 and sorted(runs.runs) == sorted(RunStore(once).to_run_table().runs)
    assert (
        f"counted once: 12 runs from {copy} are identical (same name, params, tokens, loss) "
        f"to runs stored from {table}"
    ) in runs.notes
    code, out, _ = _run(capsys, "fit", "--store", str(twice), "--bootstrap", "20", "--json")
    fitted_twice = json.loads(out)
    code_once, out, _ = _run(capsys, "fit", "--store", str(once), "--bootstrap", "20", "--json")
    fitted_once = json.loads(out)
    assert code == code_once == 0 and len(fitted_twice["runs"]) == 12
    assert fitted_twice["coefs"] == pytest.approx(fitted_once["coefs"])
    for name, (lo, hi) in fitted_once["intervals"].items():  # not narrowed by the copies
        assert fitted_twice["intervals"][name] == pytest.approx([lo, hi]), name


def test_runs_of_one_source_and_runs_that_differ_are_each_counted(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "s.duckdb")

    def run(run_id: str, source: str, loss: float = 3.0) -> tuple[StoredRun, None]:
        return StoredRun(run_id=run_id, name="a", params=1e7, tokens=2e8, loss=loss,
                         source=source), None  # fmt: skip

    store.put_runs([run("x1", "x.csv"), run("x2", "x.csv"), run("y1", "y.csv", 3.01),
                    run("z1", "z.csv")])  # fmt: skip
    # a name several runs share: with its source where that tells it apart, else the id
    assert store.run_labels() == {"x1": "x1", "x2": "x2", "y1": "a (y.csv)", "z1": "x1"}
    rows = store.to_run_table().to_pandas()
    assert sorted(rows["run"]) == ["a (y.csv)", "x1", "x2"]  # z1 is x1 stored again from z.csv


def test_a_moved_file_is_still_moved_and_not_a_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = _table(tmp_path / "runs.csv")
    store = str(tmp_path / "s.duckdb")
    assert _run(capsys, "ingest", str(table), "--store", store)[0] == 0
    moved = tmp_path / "elsewhere" / "runs.csv"
    moved.parent.mkdir()
    table.rename(moved)
    code, out, _ = _run(capsys, "ingest", str(moved), "--store", store)
    assert code == 0 and "│ 0 │ 0 │ 0 │ 12 │ 0 │ 0 │ 0 │" in out
    assert "12 stored runs moved" in out and "identical" not in out
    assert len(scalinglab.RunStore(store).to_run_table()) == 12


def _with_curves(tmp_path: Path) -> tuple[Path, Path, Path]:
    """The table, its copy, and a file of three logged points per run."""
    table, copy = _table_and_copy(tmp_path)
    steps = (100, 200, 300)
    rows = [{"run": r, "step": s, "lr": 1e-3, "loss": 3.0 + 1.0 / s}
            for r in pd.read_csv(table)["run"] for s in steps]  # fmt: skip
    pd.DataFrame(rows).to_csv(tmp_path / "curves.csv", index=False)
    return table, copy, tmp_path / "curves.csv"


@pytest.mark.heavy  # 1.6 s in the suite on a 2-core AMD EPYC
def test_curves_of_runs_stored_twice_are_read_once(tmp_path: Path) -> None:
    """The curve readers count a copied run once too (only final values were), unless only
    the copy holds a curve."""
    from scalinglab.curves import read_store_curves

    table, copy, curves_csv = _with_curves(tmp_path)
    runs = pd.read_csv(table)
    store = tmp_path / "s.duckdb"
    ingest(table, store=store, history=curves_csv)
    assert len(read_store_curves(store)) == len(runs)
    ingest(copy, store=store, history=curves_csv)
    assert len(RunStore(store).runs_frame()) == 2 * len(runs)  # the store holds both
    with pytest.warns(UserWarning, match=r"counted once: 12 runs from .*ot_c4_copy\.csv"):
        once = read_store_curves(store)  # and says so, as fit --store does
    assert sorted(c.run for c in once) == sorted(runs["run"])  # one curve per run, by name
    only_copy = tmp_path / "t.duckdb"  # the first source without curves, its copy with them
    ingest(table, store=only_copy)
    ingest(copy, store=only_copy, history=curves_csv)
    assert len(read_store_curves(only_copy)) == len(runs)


def test_envelope_reads_the_curves_of_runs_stored_twice_once(tmp_path: Path) -> None:
    from scalinglab.cli._envelope_store import curves_from_store

    table, copy, curves_csv = _with_curves(tmp_path)
    runs = pd.read_csv(table)
    store = tmp_path / "s.duckdb"
    ingest(table, store=store, history=curves_csv)
    ingest(copy, store=store, history=curves_csv)
    curves = curves_from_store(store, {}, 1000.0)
    assert sorted(set(curves.runs)) == sorted(runs["run"])  # by name: the copies are gone
    assert any(f"counted once: {len(runs)} runs" in n for n in curves.notes)


def test_two_exports_saved_under_one_name_in_two_folders_are_two_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One W&B project's runs exported again from a copy of the project (new run ids), each
    export saved as wandb_export.csv in its own folder and ingested from there: the same
    source text, two files. They were taken for one source, whose runs are never copies,
    and a fit counted each run twice."""
    runs = ladder()
    store = tmp_path / "s.duckdb"
    notes: tuple[str, ...] = ()
    for project in ("x", "y"):
        (tmp_path / project).mkdir()
        ids = [dataclasses.replace(r, run_key=f"{r.run_key}{project}") for r in runs]
        wandb_table(ids).to_csv(tmp_path / project / "wandb_export.csv", index=False)
        monkeypatch.chdir(tmp_path / project)
        notes = ingest("wandb_export.csv", store=store).notes
    x, y = (tmp_path / p / "wandb_export.csv" for p in ("x", "y"))
    assert any(
        note.startswith(
            f"{len(runs)} runs of wandb_export.csv are identical (same name, params, tokens, "
            f"loss) to runs stored from {x}: "
        )
        for note in notes
    ), notes
    table = RunStore(store).to_run_table()
    assert len(table) == len(runs)
    assert (
        f"counted once: {len(runs)} runs from {y} are identical (same name, params, tokens, "
        f"loss) to runs stored from {x}"
    ) in table.notes


def test_a_source_is_the_place_it_names_or_its_text_where_no_folder_was_recorded() -> None:
    def folder(path: str | None) -> str:
        return json.dumps({} if path is None else {"ingested_in": path})

    frame = pd.DataFrame({
        "run_id": ["a", "b", "c", "d", "e"],
        "name": ["r"] * 5,
        "params": [1e7] * 5,
        "tokens": [2e8] * 5,
        "loss": [3.0] * 5,
        "source": ["runs.csv", "runs.csv", "/x/runs.csv", "runs.csv", "runs.csv"],
        # b: another folder; c: a's file by its full path; d: older, no folder (its text);
        # e: a's folder again
        "extra": [folder("/x"), folder("/y"), folder(None), folder(None), folder("/x")],
    })  # fmt: skip
    assert copy_of(frame).tolist() == [-1, 0, -1, -1, -1]
    assert copy_of(frame.drop(columns="extra")).tolist() == [-1, -1, 0, -1, -1]  # by text


def test_a_shared_names_label_is_the_end_of_its_source_the_same_from_any_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Labels of a name several sources share end their source's path only as far as tells
    them apart, so a fit saved with them reads the same from any folder (they were the
    source relative to the folder the command ran in, else the whole path)."""
    store = RunStore(tmp_path / "s.duckdb")
    here = str(tmp_path / "proj")
    runs = [  # ingested from tmp/proj: two files named c.csv in two folders, one d.csv
        StoredRun(run_id="p", name="m", params=1e7, tokens=2e8, loss=3.3, source="a/c.csv",
                  extra={"ingested_in": here}),
        StoredRun(run_id="q", name="m", params=2e7, tokens=4e8, loss=3.1, source="b/c.csv",
                  extra={"ingested_in": here}),
        StoredRun(run_id="r", name="n", params=1e7, tokens=2e8, loss=3.2, source="a/c.csv",
                  extra={"ingested_in": here}),
        StoredRun(run_id="s", name="n", params=4e7, tokens=8e8, loss=3.0, source="d.csv",
                  extra={"ingested_in": here}),
    ]  # fmt: skip
    store.put_runs((r, None) for r in runs)
    want = {"p": "m (a/c.csv)", "q": "m (b/c.csv)", "r": "n (c.csv)", "s": "n (d.csv)"}
    for folder in (tmp_path, tmp_path / "proj", tmp_path / "proj" / "a"):
        folder.mkdir(exist_ok=True)
        monkeypatch.chdir(folder)
        assert store.run_labels() == want, folder


def test_copies_of_runs_each_from_its_own_source_are_one_note(tmp_path: Path) -> None:
    """A TensorBoard folder's runs (a source each) stored again from one MLflow export: one
    note naming a few of the runs' sources, not a note per run."""
    store = RunStore(tmp_path / "s.duckdb")
    runs = [
        StoredRun(run_id=f"{source}{k}", name=f"m{k}", params=1e7 * 2**k, tokens=2e8 * 2**k,
                  loss=3.5 - 0.1 * k, source=source if source == "mlruns" else f"tb/run{k}")
        for source in ("tb", "mlruns")
        for k in range(5)
    ]  # fmt: skip
    store.put_runs((r, None) for r in runs)
    notes = [n for n in store.to_run_table().notes if n.startswith("counted once")]
    assert notes == [
        "counted once: 5 runs from mlruns are identical (same name, params, tokens, loss) to "
        "runs stored from tb/run0, tb/run1, tb/run2 and 2 more"
    ]

"""What a fit of a run store reads: a stored run without params is left out with a note
naming it (not a refusal of the store), runs are named by id with no row number, and a
``--where`` matching only runs of another status says a fit leaves those out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scalinglab import StoreError
from scalinglab.cli import main
from scalinglab.store import RunStore, StoredRun


def _store(tmp_path: Path) -> Path:
    """Eight finished runs on a Chinchilla-like surface (one far above it), one finished
    run stored without params, and two failed runs."""
    path = tmp_path / "s.duckdb"
    store = RunStore(path)
    sizes = [(n, d) for n in (1e7, 3e7, 1e8, 3e8) for d in (2e8, 2e9)]
    for k, (n, d) in enumerate(sizes):
        loss = 1.7 + 400 * n**-0.34 + 410 * d**-0.28
        loss *= 2.0 if k == 5 else 1.0  # a spike: looks diverged
        store.put_run(StoredRun(run_id=f"id{k}", name=f"r{k}", params=n, tokens=d, loss=loss))
    store.put_run(StoredRun(run_id="idx", name="nop", params=None, tokens=2e8, loss=5.0))
    for k in range(2):
        store.put_run(StoredRun(run_id=f"f{k}", name=f"bad{k}", status="failed", params=1e7,
                                tokens=2e8, loss=6.0))  # fmt: skip
    return path


@pytest.mark.heavy  # 2.3 s in the suite on a 2-core AMD EPYC
def test_a_run_without_params_is_left_out_with_a_note(tmp_path: Path) -> None:
    path = _store(tmp_path)
    runs = RunStore(path).to_run_table()
    assert "nop" not in runs.runs and len(runs) == 8
    assert (
        "left out 1 stored run without a size the others have: nop (no params); a fit "
        f"needs each size of every run (`scalinglab runs rm --store {path} nop` removes one; "
        "--where selects others)"
    ) in runs.notes
    assert runs.notes[0].startswith("read 8 finished runs from the store")  # no "of 9"


def test_every_run_without_a_size_is_refused_naming_the_store(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    RunStore(path).put_run(StoredRun(run_id="a", name="a", params=None, tokens=2e8, loss=5.0))
    RunStore(path).put_run(StoredRun(run_id="b", name="b", params=1e7, tokens=None, loss=5.0))
    with pytest.raises(StoreError, match="no stored run has every size a fit reads: a"):
        RunStore(path).to_run_table()


@pytest.mark.heavy  # 2.8 s in the suite on a 2-core AMD EPYC
def test_fit_of_the_store_names_runs_without_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _store(tmp_path)
    assert main(["fit", "--store", str(path), "--bootstrap", "0"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "note: run 'r5' looks diverged: loss" in out
    assert "(row " not in out
    assert "nop (no params)" in out


@pytest.mark.heavy  # 3.0 s in the suite on a 2-core AMD EPYC
def test_a_name_two_sources_share_is_told_apart_by_source_not_by_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The runs of a fit are named as `scalinglab runs` shows them: one name two sources
    share (a run redone in a second table) is the name with its source, the other runs keep
    their names; it made every run its id ('run 'id5' looks diverged')."""
    path = _store(tmp_path)
    store = RunStore(path)
    store.delete_run("idx")  # nop: the run without a size is one of the shared name's
    redone = [("r5", 1e7, 2e8, 9.0, "redo.csv"), ("r5", 1e8, None, 4.0, "more.csv")]
    for k, (name, n, d, loss, source) in enumerate(redone):
        store.put_run(StoredRun(run_id=f"again{k}", name=name, params=n, tokens=d, loss=loss,
                                source=source))  # fmt: skip
    assert main(["fit", "--store", str(path), "--bootstrap", "0"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "note: run 'r5 (no source)' looks diverged: loss" in out, out
    assert "note: run 'r5 (redo.csv)' looks diverged: loss" in out, out
    assert not re.search(r"'id\d|again\d", out), out
    assert (
        "r5 (more.csv) (no tokens); a fit needs each size of every run (`scalinglab runs rm "
        f"--store {path} r5 --source more.csv` removes one"
    ) in out, out
    labels = RunStore(path).run_labels()
    assert labels["id0"] == "r0" and labels["again0"] == "r5 (redo.csv)"
    # the command the note gives removes that run alone
    assert main(["runs", "rm", "--store", str(path), "r5", "--source", "more.csv"]) == 0
    assert "again1" not in RunStore(path).run_labels(status="finished")


@pytest.mark.heavy  # 2.3 s in the suite on a 2-core AMD EPYC
def test_where_on_another_status_says_a_fit_leaves_them_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _store(tmp_path)
    assert main(["fit", "--store", str(path), "--where", "status=failed"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert err == (
        f"error: {path}: a fit reads finished runs: 2 failed runs (bad0, bad1) match --where "
        f"status=failed, which a fit leaves out hint: `scalinglab runs --store {path} --where "
        "status=failed` lists them; drop this --where to fit the finished runs"
    )
    assert main(["fit", "--store", str(path), "--where", "status=pending"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert err == (  # matching none of any status: the hint lists the store's, not only finished
        f"error: --where status=pending: no stored run has status = 'pending' in {path}; a fit "
        "reads finished runs only hint: its values are failed, finished"
    )


def test_fit_help_says_a_where_on_a_store_keeps_finished_runs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["fit", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.replace("│", " ").split())
    assert "the finished runs among those `scalinglab runs --where` lists (a fit reads" in out


@pytest.mark.heavy  # 2.6 s in the suite on a 2-core AMD EPYC
def test_a_fit_where_status_selects_by_the_status_runs_shows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A ladder rung stopped is ``interrupted`` for ``fit --where`` as for ``runs --where``:
    a fit said "1 pending run matches" of it and refused ``status=interrupted`` as no
    stored run's status."""
    path = _store(tmp_path)
    stopped = StoredRun(run_id="def", name="w32-d1", status="pending", source="ladder:micro",
                        params=2e4, tokens=2e5, extra={"training": {"steps": 200}})  # fmt: skip
    RunStore(path).put_run(stopped)
    assert main(["fit", "--store", str(path), "--where", "status=interrupted"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert err.startswith(
        f"error: {path}: a fit reads finished runs: 1 interrupted run (w32-d1) matches --where "
        "status=interrupted, which a fit leaves out"
    )
    # stored `pending`, shown `interrupted`: said so, as `runs --where` says it (it said "no
    # stored run has status = 'pending'", hint "its values are finished")
    said = (
        f"error: --where status=pending: no run in {path} is shown 'pending': w32-d1 is stored "
        "'pending' and shown 'interrupted' (a ladder rung stopped before it finished, which a "
        "rerun resumes)"
    )
    hint = (
        "hint: --where status=interrupted selects it: --where status= selects by the status "
        "`scalinglab runs` shows"
    )
    assert main(["fit", "--store", str(path), "--where", "status=pending"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert err == f"{said}; a fit reads finished runs only {hint}"
    assert main(["runs", "--store", str(path), "--where", "status=pending"]) == 2
    assert " ".join(capsys.readouterr().err.split()) == f"{said} {hint}"

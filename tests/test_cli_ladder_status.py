"""``ladder status``: a running rung whose worker is gone is interrupted, a live one is
training (its worker holds the rung's lock), a known config's rungs not started are
pending, and an unknown --ladder names the ladders the store holds."""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

import pytest

from scalinglab.cli import main
from scalinglab.execute._workdirs import default_workdir, hold_driver_lock
from scalinglab.ladder import get_recipe, rung_counts
from scalinglab.store import RunStore, StoredRun


@pytest.fixture(autouse=True)
def _wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # the note column whole


def _store(tmp_path: Path, backend: str = "local") -> tuple[Path, Path]:
    path = tmp_path / "runs.duckdb"
    training = {"steps": 200, "backend": backend}
    run = StoredRun(run_id="abc", name="w16-d1", status="running", source="ladder:micro",
                    params=1e4, tokens=1e5, extra={"training": training})  # fmt: skip
    RunStore(path).put_run(run)
    folder = default_workdir(path) / "abc"
    folder.mkdir(parents=True)
    progress = {"run_id": "abc", "step": 120, "steps": 200, "tokens": 30720, "train_loss": 3.0,
                "eval_loss": None, "tokens_per_s": 1e4, "wall_s": 3.0}  # fmt: skip
    (folder / "progress.json").write_text(json.dumps(progress))
    return path, folder


def test_a_killed_rung_is_interrupted_and_a_live_one_training(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, folder = _store(tmp_path)
    assert main(["ladder", "status", "--store", str(path), "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)["rungs"]
    assert row["status"] == "interrupted" and row["step"] == 120
    assert main(["ladder", "status", "--store", str(path)]) == 0
    out = capsys.readouterr().out
    assert "interrupted at step 120/200 (a rerun resumes from its last checkpoint)" in out
    fd = os.open(folder / ".lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # as a live worker holds it
        assert main(["ladder", "status", "--store", str(path)]) == 0
        out = capsys.readouterr().out
        assert "training at step 120/200" in out and "interrupted" not in out
    finally:
        os.close(fd)


def test_a_free_lock_with_a_result_is_finishing_and_off_this_machine_running(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, folder = _store(tmp_path)
    (folder / "result.json").write_text("{}")  # the worker is done, the driver not yet polled
    assert main(["ladder", "status", "--store", str(path)]) == 0
    out = capsys.readouterr().out
    assert "finishing" in out and "interrupted" not in out
    assert "trained, being recorded (a rerun records it if its driver is gone)" in out
    # a SLURM job or a Ray worker on another node holds no lock visible here: running
    # while the driver that submitted it holds its lock, interrupted once that one is gone
    (tmp_path / "slurm").mkdir()
    path, folder = _store(tmp_path / "slurm", backend="slurm")
    fd = hold_driver_lock(folder)
    try:
        assert main(["ladder", "status", "--store", str(path), "--json"]) == 0
        (row,) = json.loads(capsys.readouterr().out)["rungs"]
        assert (row["status"], row["backend"], row["step"]) == ("running", "slurm", 120)
        (folder / "progress.json").unlink()  # a job queued: no progress yet
        assert main(["ladder", "status", "--store", str(path)]) == 0
        out = capsys.readouterr().out
        assert "queued or starting (slurm)" in out and "interrupted" not in out
    finally:
        os.close(fd)
    assert main(["ladder", "status", "--store", str(path)]) == 0  # its driver killed
    out = " ".join(capsys.readouterr().out.split())
    assert "interrupted (a rerun resumes from its last checkpoint)" in out


def test_a_known_config_lists_its_rungs_not_started(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "runs.duckdb"
    tiny = get_recipe("tiny")
    first = tiny.rungs[0]
    done = StoredRun(run_id=first.run_id, name=first.name, status="finished",
                     source="ladder:tiny", params=1e4, tokens=1e5, loss=3.0)  # fmt: skip
    RunStore(path).put_run(done)
    assert main(["ladder", "status", "--store", str(path), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rungs"]
    # "rung", as the table's column and every ladder line name it ("name", the old key,
    # holds the same for one release), a stored rung's row and a pending one's alike
    assert [(r["rung"], r["status"], r["stored"]) for r in rows] == [
        (first.name, "finished", True),
        *((r.name, "pending", False) for r in tiny.rungs[1:]),
    ]
    assert all(row["name"] == row["rung"] for row in rows)
    assert rows[-1]["flops"] == rung_counts(tiny.rungs[-1]).flops


def test_an_unknown_ladder_names_those_in_the_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = _store(tmp_path)
    assert main(["ladder", "status", "--store", str(path), "--ladder", "nosuch"]) == 2
    err = capsys.readouterr().err
    assert "no ladder 'nosuch' in the store, and no recipe or ladder file of that name" in err
    assert "ladders in the store: micro" in err


def test_a_stopped_rung_says_the_step_its_checkpoint_resumes_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, folder = _store(tmp_path)
    progress = json.loads((folder / "progress.json").read_text())
    (folder / "progress.json").write_text(json.dumps({**progress, "checkpoint_step": 110}))
    assert main(["ladder", "status", "--store", str(path)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "interrupted at step 120/200 (a rerun resumes from its checkpoint at step 110)" in out
    RunStore(path).set_status("abc", "pending")
    assert main(["ladder", "status", "--store", str(path), "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)["rungs"]
    assert (row["step"], row["checkpoint_step"]) == (120, 110)
    assert main(["ladder", "status", "--store", str(path)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    # stopped by its driver (Ctrl-C): the same word as a driver killed
    assert "interrupted at step 120/200 (a rerun resumes from its checkpoint at step 110)" in out


@pytest.mark.heavy  # 2.1 s in the suite on a 2-core AMD EPYC
def test_runs_shows_and_selects_the_status_ladder_status_shows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = _store(tmp_path)  # stored running, its worker gone: interrupted
    store = RunStore(path)
    stopped = StoredRun(run_id="def", name="w32-d1", status="pending", source="ladder:micro",
                        params=2e4, tokens=2e5, extra={"training": {"steps": 200}})  # fmt: skip
    tracked = StoredRun(run_id="ghi", name="wandb-run", status="running", source="runs.csv",
                        params=3e4, tokens=3e5)  # fmt: skip
    store.put_run(stopped)
    store.put_run(tracked)
    assert main(["ladder", "status", "--store", str(path), "--json"]) == 0
    rungs = json.loads(capsys.readouterr().out)["rungs"]
    assert {r["name"]: r["status"] for r in rungs} == {"w16-d1": "interrupted",
                                                       "w32-d1": "interrupted"}  # fmt: skip
    assert main(["runs", "--store", str(path), "--json"]) == 0
    listed = {r["name"]: r["status"] for r in json.loads(capsys.readouterr().out)["runs"]}
    assert listed == {"w16-d1": "interrupted", "w32-d1": "interrupted", "wandb-run": "running"}
    assert main(["runs", "--store", str(path), "--status", "Interrupted", "--json"]) == 0
    chosen = [r["name"] for r in json.loads(capsys.readouterr().out)["runs"]]
    assert chosen == ["w16-d1", "w32-d1"]
    assert main(["runs", "--store", str(path), "--status", "running", "--json"]) == 0
    assert [r["name"] for r in json.loads(capsys.readouterr().out)["runs"]] == ["wandb-run"]
    assert main(["runs", "--store", str(path), "--status", "pending"]) == 0
    assert " ".join(capsys.readouterr().out.split()).startswith(
        f"no run in {path} has status pending; its 3 runs: 1 running (wandb-run); "
        "2 interrupted (w16-d1, w32-d1). --status running or --status interrupted list them"
    )
    assert main(["runs", "--store", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.count("interrupted") == 2 and out.count("running") == 1


def test_where_status_selects_by_the_status_runs_shows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = _store(tmp_path)  # stored running, its worker gone: interrupted
    stopped = StoredRun(run_id="def", name="w32-d1", status="pending", source="ladder:micro",
                        params=2e4, tokens=2e5, extra={"training": {"steps": 200}})  # fmt: skip
    RunStore(path).put_run(stopped)
    args = ["runs", "--store", str(path), "--where", "status=interrupted", "--json"]
    assert main(args) == 0
    chosen = [r["name"] for r in json.loads(capsys.readouterr().out)["runs"]]
    assert chosen == ["w16-d1", "w32-d1"]  # as --status interrupted selects them
    assert main(["runs", "--store", str(path), "--where", "status=pending"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert err == (  # both stored `pending`? w32-d1 is; w16-d1 is stored `running`
        f"error: --where status=pending: no run in {path} is shown 'pending': w32-d1 is stored "
        "'pending' and shown 'interrupted' (a ladder rung stopped before it finished, which a "
        "rerun resumes) hint: --where status=interrupted selects it: --where status= selects "
        "by the status `scalinglab runs` shows"
    )


@pytest.mark.heavy  # 1.2 s in the suite on a 2-core AMD EPYC
def test_runs_status_selects_by_the_status_shown_and_a_note_says_where_a_stored_one_went(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``runs --status pending`` listed 0 runs and said nothing where a rung stored
    ``pending`` is shown ``interrupted``: one note names it and the ``--status`` that lists
    it, in the table and (on stderr) with ``--json``; a status that is shown alike adds none."""
    path, _ = _store(tmp_path)  # w16-d1: stored running, its worker gone: interrupted
    stopped = StoredRun(run_id="def", name="w32-d1", status="pending", source="ladder:micro",
                        params=2e4, tokens=2e5, extra={"training": {"steps": 200}})  # fmt: skip
    RunStore(path).put_run(stopped)
    note = (
        "note: --status pending: w32-d1 is stored 'pending' and shown 'interrupted' (a ladder "
        "rung stopped before it finished, which a rerun resumes); --status interrupted selects "
        "it (--status selects by the status `scalinglab runs` shows)"
    )
    none = (
        f"no run in {path} has status pending; its 2 runs: 2 interrupted (w16-d1, w32-d1). "
        "--status interrupted lists them"
    )
    assert main(["runs", "--store", str(path), "--status", "pending"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert out == f"{none} {note}"  # in place of a table's head alone
    assert main(["runs", "--store", str(path), "--status", "pending", "--json"]) == 0
    got = capsys.readouterr()
    assert json.loads(got.out)["runs"] == [] and " ".join(got.err.split()) == f"note: {none} {note}"
    # running: w16-d1 is stored so, shown interrupted; by the status shown, as --where selects
    assert main(["runs", "--store", str(path), "--status", "running", "--json"]) == 0
    got = capsys.readouterr()
    assert json.loads(got.out)["runs"] == []
    assert "w16-d1 is stored 'running' and shown 'interrupted'" in " ".join(got.err.split())
    assert main(["runs", "--store", str(path), "--status", "interrupted", "--json"]) == 0
    got = capsys.readouterr()
    assert [r["name"] for r in json.loads(got.out)["runs"]] == ["w16-d1", "w32-d1"]
    assert got.err == ""  # each is shown as selected: nothing to explain
    assert main(["runs", "--store", str(path), "--where", "status=interrupted", "--json"]) == 0
    assert [r["name"] for r in json.loads(capsys.readouterr().out)["runs"]] == ["w16-d1", "w32-d1"]


def test_a_store_of_ingested_runs_says_it_holds_no_rung_and_how_to_list_its_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "runs.duckdb"
    store = RunStore(path)
    for k, n in enumerate((1e7, 2e7, 4e7)):
        store.put_run(StoredRun(run_id=f"t{k}", name=f"r{k}", status="finished",
                                source="runs.csv", params=n, tokens=20 * n, loss=3.0))  # fmt: skip
    assert main(["ladder", "status", "--store", str(path)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert f"no ladder rung in {path}: its 3 runs are not ladder rungs" in out
    assert f"scalinglab runs --store {path}" in out and "rung(s) in" not in out
    assert main(["ladder", "status", "--store", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["rungs"] == []


def test_json_writes_counts_as_integers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the store holds params and tokens as floats: --json wrote 10000.0, not 10000
    path, _ = _store(tmp_path)
    assert main(["ladder", "status", "--store", str(path), "--json"]) == 0
    text = capsys.readouterr().out
    (row,) = json.loads(text)["rungs"]
    assert (row["params"], row["tokens"]) == (10000, 100000)
    assert type(row["params"]) is int and type(row["tokens"]) is int
    assert '"params": 10000,' in text

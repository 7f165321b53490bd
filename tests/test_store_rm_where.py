"""``runs rm --where``: removes the runs ``runs --where`` lists (was "No such option:
--where (Possible options: --help)"), and ``--dry-run`` shows them, removing nothing; with
RUN or ``--source`` it removes only the runs all of them select."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests.test_store_runs_where_cli import _store

from scalinglab._errors import StoreError
from scalinglab.store import RunStore, StoredRun


def test_rm_where_removes_the_runs_runs_where_lists(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = str(_store(tmp_path / "s.duckdb").path)
    code, out, err = cli(capsys, "runs", "rm", "--store", path, "--where", "status=failed",
                         "--dry-run", "--json")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["dry_run"] and [r["run"] for r in data["removed"]] == ["big"]
    code, out, err = cli(capsys, "runs", "--store", path, "--json")
    assert len(json.loads(out)["runs"]) == 3  # nothing removed
    code, out, err = cli(capsys, "runs", "rm", "--store", path, "--where", "dataset=c4",
                         "--where", "wandb_state=crashed", "--json")  # fmt: skip
    assert code == 0 and [r["run_id"] for r in json.loads(out)["removed"]] == ["c"], err
    code, out, err = cli(capsys, "runs", "--store", path, "--json")
    assert sorted(r["name"] for r in json.loads(out)["runs"]) == ["small", "small-long"]


def test_rm_where_a_value_no_run_has_removes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = str(_store(tmp_path / "s.duckdb").path)
    code, _, err = cli(capsys, "runs", "rm", "--store", path, "--where", "run=nope")
    assert code == 2 and err.startswith("error: --where run=nope: no stored run has run = ")
    code, out, _ = cli(capsys, "runs", "--store", path, "--json")
    assert len(json.loads(out)["runs"]) == 3


def _sourced(path: Path) -> RunStore:
    store = RunStore(path)
    runs = [
        StoredRun(run_id="a", name="r1", params=2e7, tokens=4e8, loss=3.2,
                  source="/data/a.csv", config={"dataset": "c4"}),
        StoredRun(run_id="b", name="r2", params=2e7, tokens=8e8, loss=3.1,
                  source="/data/b.csv", config={"dataset": "c4"}),
        StoredRun(run_id="c", name="r3", status="failed", params=1.6e8, tokens=3.2e9,
                  loss=3.0, source="/data/a.csv", config={"dataset": "pile"}),
    ]  # fmt: skip
    store.put_runs((r, None) for r in runs)
    return store


def _removed(capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    code, out, err = cli(capsys, "runs", "rm", *args, "--json")
    assert code == 0, err
    return [r["run"] for r in json.loads(out)["removed"]]


@pytest.mark.heavy  # 1.7 s in the suite on a 2-core AMD EPYC
def test_rm_takes_the_runs_every_selection_selects(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """RUN, --source and --where narrow one another (RUN --where removed their union)."""
    path = str(_sourced(tmp_path / "s.duckdb").path)
    dry = ("--store", path, "--dry-run")
    assert _removed(capsys, *dry, "r1", "r3", "--where", "status=failed") == ["r3"]
    assert _removed(capsys, *dry, "--source", "/data/a.csv", "--where", "dataset=c4") == ["r1"]
    assert _removed(capsys, *dry, "r2", "r3", "--source", "/data/a.csv") == ["r3"]
    assert _removed(capsys, *dry, "r1", "--source", "/data/a.csv", "--where", "dataset=c4") == [
        "r1"
    ]
    assert _removed(capsys, "--store", path, "r1", "r3", "--where", "dataset=pile") == ["r3"]
    code, out, _ = cli(capsys, "runs", "--store", path, "--json")
    assert code == 0 and [r["name"] for r in json.loads(out)["runs"]] == ["r1", "r2"]


def test_rm_of_runs_no_where_selects_removes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = str(_sourced(tmp_path / "s.duckdb").path)
    code, _, err = cli(capsys, "runs", "rm", "--store", path, "r1", "r2", "--where",
                       "status=failed")  # fmt: skip
    assert code == 2 and err.splitlines() == [
        f"error: runs rm: none of the 2 runs named r1, r2 meets --where status=failed in "
        f"{path}; nothing removed",
        "hint: RUN, --source and --where together remove only the runs all of them select: "
        f"`scalinglab runs --store {path} --where status=failed` lists those --where does",
    ]
    code, _, err = cli(capsys, "runs", "rm", "--store", path, "--source", "/data/b.csv",
                       "--where", "dataset=pile")  # fmt: skip
    assert code == 2 and err.splitlines()[0] == (
        "error: runs rm: the 1 run stored from /data/b.csv does not meet --where "
        f"dataset=pile in {path}; nothing removed"
    )
    with pytest.raises(StoreError, match=r"none of the runs named r3 came from /data/b.csv"):
        RunStore(path).remove_runs(["r3"], source="/data/b.csv")
    assert len(RunStore(path).runs()) == 3


def test_a_name_two_runs_share_is_told_apart_by_where(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``runs rm NAME --where ...`` removes the one run of that name ``--where`` selects, as
    ``--source`` tells such runs apart (it said "2 stored runs are named" and removed none)."""
    store = RunStore(tmp_path / "s.duckdb")
    runs = [
        StoredRun(run_id="x", name="m", params=1e7, tokens=2e8, loss=3.4, source="/d/x.csv"),
        StoredRun(run_id="y", name="m", params=2e7, tokens=4e8, loss=3.2, source="/d/y.csv"),
        StoredRun(run_id="z", name="n", params=4e7, tokens=8e8, loss=3.0, source="/d/y.csv"),
    ]
    store.put_runs((r, None) for r in runs)
    path = str(store.path)
    code, _, err = cli(capsys, "runs", "rm", "--store", path, "m", "--dry-run")
    assert code == 2 and "2 stored runs are named 'm'" in err  # alone, still ambiguous
    code, out, err = cli(capsys, "runs", "rm", "--store", path, "m", "--where", "params<1.5e7",
                         "--json")  # fmt: skip
    assert code == 0, err
    assert [(r["run"], r["run_id"]) for r in json.loads(out)["removed"]] == [("m", "x")]
    code, _, err = cli(capsys, "runs", "rm", "--store", path, "m", "--where", "params>3e7")
    assert code == 2 and err.startswith(
        "error: runs rm: the 1 run named m does not meet --where 'params>3e7' in "
    ), err
    assert sorted(r.run_id for r in RunStore(path).runs()) == ["y", "z"]

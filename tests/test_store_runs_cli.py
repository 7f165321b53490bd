"""``scalinglab runs``: one order whatever the source, --where, --status in any case, the
stored evaluations; ``runs rm``."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from tests._cli import cli

from scalinglab import ConfigError, StoreError
from scalinglab.store import RunStore, StoredRun


def _store(path: Path) -> RunStore:
    """Runs stored in an order unlike their sizes (``m-16.0`` before ``m-2.0`` by name), one
    of them failed, from two files, with an lr, a corpus and one evaluated run."""
    store = RunStore(path)
    runs = [
        StoredRun(run_id="a", name="m-16.0", params=2e7, tokens=16e8, loss=3.0, source="one.csv",
                  config={"dataset": "c4"}, extra={"lr": 3e-3}),
        StoredRun(run_id="b", name="m-2.0", params=2e7, tokens=2e8, loss=3.5, source="one.csv",
                  config={"dataset": "c4"}, extra={"lr": 3e-3}),
        StoredRun(run_id="c", name="big", params=1e8, tokens=2e9, loss=2.9, source="two.csv",
                  config={"dataset": "pile"}, extra={"lr": 1e-3}),
        StoredRun(run_id="d", name="broke", status="failed", params=5e7, tokens=1e9,
                  source="two.csv", config={"dataset": "pile"}),
        StoredRun(run_id="e", name="m-8.0", params=1e7, tokens=8e8, loss=3.4, source="two.csv",
                  config={"dataset": "pile"}),
    ]  # fmt: skip
    store.put_runs((r, None) for r in reversed(runs))
    store.put_evals(
        pd.DataFrame(
            {"run": ["c", "c", "c"], "task": ["piqa", "piqa", "arc_easy"],
             "metric": ["acc", "examples", "acc"], "value": [0.61, 1838.0, 0.42]}
        )
    )  # fmt: skip
    return store


@pytest.mark.heavy  # 1.3 s in the suite on a 2-core AMD EPYC
def test_runs_are_listed_by_size_and_selected_by_where(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _store(tmp_path / "s.duckdb").path
    code, out, err = cli(capsys, "runs", "--store", str(path), "--json")
    assert code == 0, err
    assert [r["name"] for r in json.loads(out)["runs"]] == [
        "m-8.0", "m-2.0", "m-16.0", "broke", "big"
    ]  # fmt: skip
    code, out, err = cli(capsys, "runs", "--store", str(path), "--where", "dataset=c4", "--json")
    assert code == 0 and [r["name"] for r in json.loads(out)["runs"]] == ["m-2.0", "m-16.0"]
    code, out, _ = cli(capsys, "runs", "--store", str(path), "--where", "lr=0.001", "--json")
    assert [r["name"] for r in json.loads(out)["runs"]] == ["big"]
    code, _, err = cli(capsys, "runs", "--store", str(path), "--where", "dataset=wiki")
    assert code == 2 and "no stored run has dataset = 'wiki'" in err and "c4, pile" in err
    code, _, err = cli(capsys, "runs", "--store", str(path), "--where", "optimiser=adam")
    assert code == 2 and "no stored run has a value 'optimiser'" in err


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_runs_show_lr_corpus_and_evaluations(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _store(tmp_path / "s.duckdb").path
    code, out, err = cli(capsys, "runs", "--store", str(path), "--evals")
    assert code == 0, err
    header = next(line for line in out.splitlines() if "params" in line)
    assert all(name in header for name in ("lr", "corpus", "evals (tasks)"))
    big = next(line for line in out.splitlines() if line.startswith("│ big"))
    cells = [cell.strip() for cell in big.split("│")[1:-1]]
    assert cells[6:] == ["0.001", "pile", "2", "two.csv"]  # two tasks: not their size
    assert "big: arc_easy acc 0.42, piqa acc 0.61" in out and "m-8.0: no evaluations" in out
    code, out, _ = cli(capsys, "runs", "--store", str(path), "--evals", "--json")
    listed = {r["name"]: r["evals"] for r in json.loads(out)["runs"]}
    assert listed["big"] == {"arc_easy": {"acc": 0.42}, "piqa": {"acc": 0.61}}


def test_status_is_read_in_any_case_and_a_wrong_one_names_the_option(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _store(tmp_path / "s.duckdb").path
    code, out, err = cli(capsys, "runs", "--store", str(path), "--status", "Failed", "--json")
    assert code == 0, err
    assert [r["name"] for r in json.loads(out)["runs"]] == ["broke"]
    code, _, err = cli(capsys, "runs", "--store", str(path), "--status", "exploded")
    assert (
        code == 2
        and "--status must be one of pending, running, finishing, interrupted, finished" in err
    )
    assert "not 'exploded'" in err


@pytest.mark.heavy  # 1.5 s in the suite on a 2-core AMD EPYC
def test_runs_rm_by_name_or_source_and_refusals(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = _store(tmp_path / "s.duckdb")
    path = str(store.path)
    code, _, err = cli(capsys, "runs", "rm", "nothing", "--store", path)
    assert code == 2 and "no run 'nothing' in the store" in err
    code, out, err = cli(capsys, "runs", "rm", "big", "--store", path, "--json")
    assert code == 0, err
    assert json.loads(out)["removed"] == [{"run": "big", "run_id": "c", "source": "two.csv"}]
    assert store.evals().empty and "c" not in {r.run_id for r in store.runs()}
    code, out, err = cli(capsys, "runs", "rm", "--source", "one.csv", "--store", path)
    assert code == 0 and "removed 2 runs" in out and "m-16.0" in out, err
    assert sorted(r.name for r in store.runs()) == ["broke", "m-8.0"]
    code, _, err = cli(capsys, "runs", "rm", "--source", "one.csv", "--store", path)
    assert code == 2 and "no stored run came from one.csv" in err and "two.csv" in err
    code, _, err = cli(capsys, "runs", "rm", "--store", path)
    assert code == 2 and err.startswith("error: ") and len(err.strip().splitlines()) == 2
    assert err.splitlines()[1].startswith("hint: `scalinglab runs --store ")  # how to select
    said = "name the runs to remove, a --source whose runs to remove, or --where COLUMN=VALUE"
    assert said in err  # every way to select: the runs, --source and --where
    with pytest.raises(ConfigError) as info:  # Python: the keyword remove_runs takes
        store.remove_runs()
    assert info.value.message == (
        "name the runs to remove, or source= the file or folder whose runs to remove"
    )


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_runs_rm_dry_run_lists_the_runs_by_id_and_removes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = _store(tmp_path / "s.duckdb")
    path = str(store.path)
    code, out, err = cli(capsys, "runs", "rm", "--source", "one.csv", "--store", path,
                         "--dry-run", "--json")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["dry_run"] is True and data["format"] == "scalinglab.runs_rm/2"
    assert sorted((r["run"], r["run_id"]) for r in data["removed"]) == [
        ("m-16.0", "a"), ("m-2.0", "b")
    ]  # fmt: skip
    code, out, err = cli(capsys, "runs", "rm", "big", "--store", path, "--dry-run")
    assert code == 0, err
    assert "would remove 1 run from" in out and "nothing removed" in out and "run ids: c" in out
    assert len(store.runs()) == 5 and not store.evals().empty  # nothing removed
    code, _, err = cli(capsys, "runs", "rm", "nothing", "--store", path, "--dry-run")
    assert code == 2 and "no run 'nothing' in the store" in err  # checked as a removal is
    assert [r.run_id for r in store.remove_runs(["m-8.0"], dry_run=True)] == ["e"]
    assert len(store.runs()) == 5


def test_a_name_two_runs_share_removes_nothing(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "s.duckdb")
    store.put_runs(
        (StoredRun(run_id=i, name="twin", params=1e7, tokens=1e9, loss=3.0, source=s), None)
        for i, s in (("x", "one.csv"), ("y", "two.csv"))
    )
    with pytest.raises(StoreError, match=r"2 stored runs are named 'twin': x \(from one.csv\)"):
        store.remove_runs(["twin"])
    assert len(store.runs()) == 2
    assert [r.run_id for r in store.remove_runs(["y"])] == ["y"]


@pytest.mark.heavy  # 1.4 s in the suite on a 2-core AMD EPYC
def test_source_picks_the_run_of_a_shared_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """RUN and --source combine: a name two runs share is the one stored from the source
    (it was refused, although the help says the options select together)."""
    store = RunStore(tmp_path / "s.duckdb")
    store.put_runs(
        (StoredRun(run_id=i, name=n, params=1e7, tokens=1e9, loss=3.0, source=s), None)
        for i, n, s in (("x", "twin", "one.csv"), ("y", "twin", "two.csv"),
                        ("z", "twin", "two.csv"), ("w", "solo", "three.csv"))
    )  # fmt: skip
    path = str(store.path)
    code, out, err = cli(capsys, "runs", "rm", "twin", "--source", "one.csv", "--store", path)
    assert code == 0, err
    assert "removed 1 run" in out and "run ids: x" in out, out
    assert sorted(r.run_id for r in store.runs()) == ["w", "y", "z"]
    with pytest.raises(StoreError, match=r"2 stored runs are named 'twin' in two.csv: y .*, z "):
        store.remove_runs(["twin"], source="two.csv")  # the source holds both
    with pytest.raises(StoreError, match=r"named 'twin', none of them from three.csv: y"):
        store.remove_runs(["twin"], source="three.csv")
    code, _, err = cli(capsys, "runs", "rm", "twin", "--store", path, one_line=True)
    assert code == 2 and "add the --source it was stored from" in err, err
    assert len(store.runs()) == 3


@pytest.mark.heavy  # 2.4 s in the suite on a 2-core AMD EPYC
def test_runs_rm_uses_the_store_given_to_runs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    chosen, default = _store(tmp_path / "a.duckdb"), _store(tmp_path / "scalinglab.duckdb")
    code, out, err = cli(capsys, "runs", "--store", "a.duckdb", "rm", "big")
    assert code == 0 and "removed 1 run from a.duckdb" in out, err
    assert "c" not in {r.run_id for r in chosen.runs()}
    assert len(default.runs()) == 5  # the default store is left alone
    code, _, err = cli(capsys, "runs", "--store", "a.duckdb", "rm", "--store", "b.duckdb", "m-8.0")
    assert code == 2 and "--store given 2 times ('a.duckdb', 'b.duckdb')" in err
    assert len(chosen.runs()) == 4 and not (tmp_path / "b.duckdb").exists()
    code, _, err = cli(capsys, "runs", "rm", "--store", "a.duckdb", "m-8.0")
    assert code == 0 and len(chosen.runs()) == 3, err
    code, _, err = cli(capsys, "runs", "rm", "m-8.0")  # neither: the default store
    assert code == 0 and len(default.runs()) == 4, err


@pytest.mark.heavy  # 1.0 s in the suite on a 2-core AMD EPYC
def test_where_run_selects_the_run_fit_store_where_run_selects(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``--where run=NAME`` means one run on ``runs`` as on ``fit --store`` (the run table a
    fit reads names its runs ``run``), where it said no stored run had a value 'run'."""
    store = _store(tmp_path / "s.duckdb")
    fitted = store.to_run_table().where("run", "big")  # what fit --store --where run=big keeps
    code, out, err = cli(capsys, "runs", "--store", str(store.path), "--where", "run=big", "--json")
    assert code == 0, err
    assert [r["name"] for r in json.loads(out)["runs"]] == list(fitted.runs) == ["big"]
    code, _, err = cli(capsys, "runs", "--store", str(store.path), "--where", "run=bigg")
    assert code == 2 and err.splitlines()[0] == (
        f"error: --where run=bigg: no stored run has run = 'bigg' in {store.path}"
    )
    code, _, err = cli(capsys, "runs", "--store", str(store.path), "--where", "nope=1")
    assert code == 2 and ", run, run_id, source, status" in " ".join(err.split())


def test_a_stored_config_value_run_is_kept_the_name_only_where_there_is_none() -> None:
    """``run_values`` gives a run's name as ``run`` where its config has no ``run``; a
    stored config value ``run`` (``run=3`` of a resumed job, say) is the config's."""
    from scalinglab.store._listing import run_values, where_runs

    own = StoredRun(run_id="a", name="m-1", config={"run": "seed-3", "dataset": "c4"})
    plain = StoredRun(run_id="b", name="m-2", config={"dataset": "c4"})
    assert run_values(own)["run"] == "seed-3"
    assert run_values(plain)["run"] == "m-2"
    assert [r.run_id for r in where_runs([own, plain], [("run", "seed-3")], "s.duckdb")] == ["a"]
    assert [r.run_id for r in where_runs([own, plain], [("run", "m-2")], "s.duckdb")] == ["b"]

"""The run store: round trips, idempotent writes, transactions, schema checks, fit --store."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

import scalinglab
from scalinglab import StoreError
from scalinglab.cli import main
from scalinglab.store import SCHEMA_VERSION, RunStore, StoredRun

TRUTH = {"E": 1.8, "A": 400.0, "B": 2000.0, "alpha": 0.34, "beta": 0.37}


def _ladder_runs() -> list[StoredRun]:
    """Runs on a grid of sizes and token counts, losses exactly from a Chinchilla law."""
    runs = []
    for i, n in enumerate(np.geomspace(1e7, 1e9, 5)):
        for j, ratio in enumerate((5.0, 20.0, 80.0)):
            d = ratio * n
            loss = TRUTH["E"] + TRUTH["A"] * n ** -TRUTH["alpha"] + TRUTH["B"] * d ** -TRUTH["beta"]
            runs.append(
                StoredRun(
                    run_id=f"id{i}{j}",
                    name=f"n{i}-r{j}",
                    params=n,
                    tokens=d,
                    flops=6 * n * d,
                    loss=loss,
                    extra={"seed": 0, "optimizer": "adamw"},
                )
            )
    return runs


def _curve(n: int, scale: float = 1.0) -> pd.DataFrame:
    step = np.arange(1, n + 1)
    return pd.DataFrame({"step": step, "tokens": 1e3 * step, "train_loss": scale * 5.0 / step**0.2})


def test_round_trip_and_curve(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "s.duckdb")
    run = StoredRun(
        run_id="abc",
        name="rung-0",
        params=1.5e6,
        tokens=3e7,
        loss=3.25,
        config={"width": 64, "nested": {"lr": 1e-3}},
        software={"torch": "2.13.0"},
        hardware="cpu",
    )
    summary = store.put_run(run, curve=_curve(10))
    assert summary.added == ("abc",) and summary.curve_points == 10
    assert store.get_run("abc") == run
    other = StoredRun(run_id="def", name="rung-1", params=3e6)  # no hardware, no source
    store.put_run(other)
    assert store.runs() == [run, other]  # text fields stay None, not NaN, in a mixed column
    assert store.get_run("nope") is None
    curve = store.curve("abc")
    assert list(curve.columns) == ["step", "tokens", "lr", "train_loss", "eval_loss"]
    np.testing.assert_allclose(curve["train_loss"], 5.0 / np.arange(1, 11) ** 0.2)
    assert curve["eval_loss"].isna().all()


def test_writing_twice_adds_nothing(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "s.duckdb")
    items = [(r, _curve(5)) for r in _ladder_runs()]
    first = store.put_runs(items)
    second = store.put_runs(items)
    assert len(first.added) == 15 and first.curve_points == 75
    assert second.added == () and len(second.unchanged) == 15 and second.curve_points == 0
    assert store.counts() == {"finished": 15, "curve_points": 75}


def test_conflicts_are_kept_or_replaced(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "s.duckdb")
    run = _ladder_runs()[0]
    store.put_run(run, curve=_curve(4))
    changed = StoredRun(**{**run.to_dict(), "loss": 9.0})
    kept = store.put_run(changed, on_conflict="keep")
    assert kept.conflicts and kept.conflicts[0][0] == run.run_id
    assert store.get_run(run.run_id) == run
    replaced = store.put_run(changed, curve=_curve(3, scale=2.0))
    assert replaced.updated == (run.run_id,)
    stored = store.get_run(run.run_id)
    assert stored is not None and stored.loss == 9.0
    assert len(store.curve(run.run_id)) == 3  # the curve was replaced, not appended


def test_a_run_read_from_another_path_is_moved_not_updated(tmp_path: Path) -> None:
    """Only ``source`` differs: the run is reported as moved (even with ``keep``: it is no
    conflict), its source is rewritten and its curve left alone; other changes still update."""
    store = RunStore(tmp_path / "s.duckdb")
    run = StoredRun(**{**_ladder_runs()[0].to_dict(), "source": "/old/place/runs.csv"})
    store.put_run(run, curve=_curve(4))
    there = StoredRun(**{**run.to_dict(), "source": "/new/place/runs.csv"})
    moved = store.put_run(there, curve=_curve(4), on_conflict="keep")
    assert moved.moved == (run.run_id,) and moved.updated == () and moved.conflicts == ()
    assert moved.curve_points == 0 and moved.to_dict()["moved"] == [run.name]
    assert store.get_run(run.run_id) == there and len(store.curve(run.run_id)) == 4
    again = store.put_run(there, curve=_curve(4))
    assert again.unchanged == (run.run_id,) and again.moved == ()
    both = StoredRun(**{**run.to_dict(), "loss": 9.0})  # moved back, and another loss
    assert store.put_run(both, curve=_curve(4)).updated == (run.run_id,)


def test_a_failed_write_changes_nothing(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "s.duckdb")
    runs = _ladder_runs()
    store.put_runs([(runs[0], _curve(3))])
    bad = pd.DataFrame({"step": [1, 2], "perplexity": [3.0, 2.0]})
    with pytest.raises(scalinglab.ConfigError, match="perplexity"):
        store.put_runs([(runs[1], _curve(3)), (runs[2], bad)])
    assert [r.run_id for r in store.runs()] == [runs[0].run_id]
    with pytest.raises(scalinglab.ConfigError, match="twice"):
        store.put_runs([(runs[1], None), (runs[1], None)])


def test_status_and_readers_see_only_finished(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "s.duckdb")
    runs = _ladder_runs()
    running = StoredRun(run_id="live", name="live", status="running", params=2e9, tokens=1e9)
    store.put_runs([(r, None) for r in runs] + [(running, None)])
    table = store.to_run_table()
    assert len(table) == 15 and "live" not in table.runs
    assert table.source == str(store.path)
    assert "seed" in table.columns  # numeric extras become covariates; text ones do not
    assert "optimizer" not in table.columns
    store.set_status("live", "failed")
    assert store.counts()["failed"] == 1
    with pytest.raises(StoreError, match="no run 'ghost'"):
        store.set_status("ghost", "finished")
    assert store.delete_run("live") and not store.delete_run("live")


def test_a_fit_over_the_store_names_the_runs_it_leaves_out(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "s.duckdb")
    others = [
        StoredRun(run_id=f"x{k}", name=f"x{k}", status=status, params=1e9, tokens=2e10)
        for k, status in enumerate(("failed", "running", "failed", "failed", "failed"))
    ]
    store.put_runs([(r, None) for r in [*_ladder_runs(), *others]])
    table = store.to_run_table()
    assert len(table) == 15
    assert (
        "left out 5 stored runs that are not finished: 4 failed (x0, x2, x3 and 1 more); "
        f"1 running (x1) (`scalinglab runs --store {store.path} --status failed` and "
        f"`scalinglab runs --store {store.path} --status running` list them)"
    ) in table.notes


def test_fit_from_store_recovers_the_law(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "s.duckdb")
    store.put_runs([(r, None) for r in _ladder_runs()])
    result = scalinglab.fit("chinchilla", store.to_run_table(), bootstrap=0)
    for name, value in TRUTH.items():
        assert result.coefs[name] == pytest.approx(value, rel=1e-3), name


def test_missing_corrupt_foreign_and_newer_stores(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no run store"):
        RunStore(tmp_path / "missing.duckdb").runs()
    garbage = tmp_path / "garbage.duckdb"
    garbage.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="not a readable run store"):
        RunStore(garbage).runs()
    foreign = tmp_path / "foreign.duckdb"
    con = duckdb.connect(str(foreign))
    con.execute("CREATE TABLE t (x INT)")
    con.close()
    with pytest.raises(StoreError, match="not a scalinglab run store"):
        RunStore(foreign).runs()
    newer = tmp_path / "newer.duckdb"
    RunStore(newer).put_run(_ladder_runs()[0])
    con = duckdb.connect(str(newer))
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    con.close()
    with pytest.raises(StoreError, match="schema version") as err:
        RunStore(newer).runs()
    # scalinglab is on no package index: pip install -U scalinglab finds nothing to upgrade to
    assert err.value.hint == (
        "upgrade scalinglab from the newer version's sdist or checkout (pip install PATH, PATH "
        "being the sdist .tar.gz or the checkout; scalinglab is on no package index) to read "
        "this store"
    )


def _write_many(path: str, start: int) -> None:
    store = RunStore(path)
    for k in range(start, start + 10):
        store.put_run(StoredRun(run_id=f"p{k}", name=f"p{k}", params=1e6, tokens=1e7, loss=3.0))


@pytest.mark.heavy
def test_two_processes_take_turns(tmp_path: Path) -> None:
    path = str(tmp_path / "s.duckdb")
    RunStore(path).put_run(StoredRun(run_id="seed", name="seed"))
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_write_many, args=(path, s)) for s in (0, 100)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert [w.exitcode for w in workers] == [0, 0]
    assert len(RunStore(path).runs()) == 21


def test_cli_fit_and_runs_from_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.duckdb"
    RunStore(path).put_runs([(r, None) for r in _ladder_runs()])
    assert main(["fit", "--store", str(path), "--bootstrap", "0", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["coefs"]["alpha"] == pytest.approx(TRUTH["alpha"], rel=1e-3)
    assert main(["runs", "--store", str(path)]) == 0
    out = capsys.readouterr().out
    assert "15 runs in" in out and "n4-r2" in out
    assert main(["runs", "--store", str(path), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed["runs"]) == 15 and listed["runs"][0]["status"] == "finished"
    assert main(["fit", "--store", str(tmp_path / "none.duckdb")]) == 2
    assert "no run store" in capsys.readouterr().err
    runs = tmp_path / "runs.csv"
    runs.write_text("params,tokens,loss\n")  # there: a missing RUNS is said first
    assert main(["fit", str(runs), "--store", str(path)]) == 2
    assert "not both" in capsys.readouterr().err
    assert main(["fit", "--store", str(path), "--map", "params=n"]) == 2
    assert "a store has its own columns" in capsys.readouterr().err

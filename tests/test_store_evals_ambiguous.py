"""Evaluated models whose name two stored runs share (one run ingested from two trackers)
are refused naming each name's runs by id and source, with a hint that can be followed:
remove one source's runs, or name each run by its id in an evaluation table (the hint
said to name each model by its run_id, which a harness results file cannot)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from tests._cli import cli

from scalinglab.cli import main
from scalinglab.store import RunStore


def _store(tmp_path: Path) -> Path:
    runs = pd.DataFrame({"run": ["a", "b"], "params": [1e7, 1e8], "tokens": [2e8, 2e9],
                         "loss": [4.0, 3.2]})  # fmt: skip
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    runs.to_csv(tmp_path / "x" / "one.csv", index=False)
    runs.assign(loss=[4.01, 3.21]).to_csv(tmp_path / "y" / "two.csv", index=False)
    store = tmp_path / "s.duckdb"
    for name in ("x/one.csv", "y/two.csv"):
        assert main(["ingest", str(tmp_path / name), "--store", str(store)]) == 0
    return store


@pytest.mark.heavy  # four ingests: about 1 s
def test_the_runs_each_name_holds_are_listed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = _store(tmp_path)
    capsys.readouterr()
    evals = tmp_path / "evals.csv"
    evals.write_text("run,task,metric,value\na,piqa,acc,0.6\nb,piqa,acc,0.65\n")
    before = hashlib.sha256(store.read_bytes()).hexdigest()
    code, _, err = cli(capsys, "ingest", str(evals), "--store", str(store))
    assert code == 2
    said = " ".join(err.split())
    ids = {(r.name, str(r.source).split("/")[-1]): r.run_id for r in RunStore(store).runs()}
    assert "the evaluated models 'a', 'b' name several stored runs" in said
    assert f"'a': {ids['a', 'one.csv']} from " in said and f"{ids['a', 'two.csv']} from " in said
    assert "two.csv" in said and "one.csv" in said
    assert f"scalinglab runs rm --store {store} --source FILE" in said
    assert "whose run column holds each run's run_id" in said
    assert hashlib.sha256(store.read_bytes()).hexdigest() == before
    # the hint followed: the scores named by run id are stored
    evals.write_text(f"run,task,metric,value\n{ids['a', 'one.csv']},piqa,acc,0.6\n")
    code, _, err = cli(capsys, "ingest", str(evals), "--store", str(store))
    assert code == 0, err

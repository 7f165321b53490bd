"""``scalinglab.ingest`` takes what ``scalinglab ingest`` takes: an evaluation table or
lm-evaluation-harness results are stored as scores of the stored runs, as the command
stores them (through :func:`~scalinglab.ingest.ingest_evals`, which still works); it
refused them, pointing to ``ingest_evals``."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

import scalinglab
from scalinglab.ingest import EvalsIngestResult, ingest_evals
from scalinglab.store import RunStore

_RUNS = pd.DataFrame(
    {
        "run": ["a", "b", "c"],
        "params": [1e7, 2e7, 4e7],
        "tokens": [2e8, 4e8, 8e8],
        "loss": [4.0, 3.7, 3.4],
    }
)


def _store(tmp_path: Path) -> Path:
    store, runs = tmp_path / "s.duckdb", tmp_path / "runs.csv"
    _RUNS.to_csv(runs, index=False)
    scalinglab.ingest(runs, store=store)
    return store


def test_python_ingest_stores_an_evaluation_table(tmp_path: Path) -> None:
    store = _store(tmp_path)
    path = tmp_path / "evals.csv"
    pd.DataFrame({"run": ["a", "b", "c"], "acc_piqa": [0.55, 0.6, 0.65]}).to_csv(path, index=False)
    result = scalinglab.ingest(str(path), store=store)
    assert isinstance(result, EvalsIngestResult)
    assert (result.kind, result.n_models, result.tasks) == ("evals", 3, ("piqa",))
    assert result.written.added == 3
    stored = RunStore(store).evals()
    assert sorted(stored["value"]) == [0.55, 0.6, 0.65]
    again = ingest_evals(path, store=store)  # the named entry point still works
    assert again.written.unchanged == 3


def test_python_ingest_stores_harness_results(tmp_path: Path) -> None:
    store = _store(tmp_path)
    results = tmp_path / "lm-eval"
    results.mkdir()
    for i, run in enumerate(_RUNS["run"]):
        body = {"results": {"piqa": {"acc,none": 0.55 + 0.05 * i}}, "model_name": run}
        (results / f"results_{run}.json").write_text(json.dumps(body))
    result = scalinglab.ingest(results, store=store)
    assert isinstance(result, EvalsIngestResult)
    assert (result.kind, result.n_scores, result.written.added) == ("lm-eval", 3, 3)

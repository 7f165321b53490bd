"""An ingest that replaces stored scores names the runs whose scores it replaced, grouped by
the scores replaced (a second results.json of a run: it said '6 updated' and where the old
scores came from, not whose); a run ingest (a W&B export's ``hellaswag/acc``) over stored
lm-eval scores says the same, where it said only 'evaluation scores: 0 added, 2 updated'."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tests._ingest_sources import ladder, wandb_table
from tests._ingest_sources import write_lm_eval_results as _results

from scalinglab.ingest import ingest, ingest_evals


def _store(tmp_path: Path, names: list[str]) -> Path:
    store = tmp_path / "s.duckdb"
    rows = [(n, 1e7 * 2**k, 2e8 * 2**k, 4.0 - 0.1 * k) for k, n in enumerate(names)]
    pd.DataFrame(rows, columns=["run", "params", "tokens", "loss"]).to_csv(
        tmp_path / "runs.csv", index=False
    )
    ingest(tmp_path / "runs.csv", store=store)
    return store


def test_a_second_results_file_names_the_runs_whose_scores_it_replaced(tmp_path: Path) -> None:
    names = [f"org/m{k}" for k in range(6)]
    store = _store(tmp_path, names)
    first = tmp_path / "first"
    for name in names:
        _results(first, name, {"hellaswag": 0.3, "piqa": 0.6})
    ingest_evals(first, store=store)
    second = tmp_path / "second"
    for name in names[:5]:  # five runs evaluated again on both tasks, one on piqa alone
        _results(second, name, {"hellaswag": 0.35, "piqa": 0.65})
    _results(second, names[5], {"hellaswag": 0.3, "piqa": 0.61})
    result = ingest_evals(second, store=store)
    assert result.written.updated == 11
    assert (
        "11 updated scores replaced scores stored before: 11 from an earlier ingest of "
        "evaluations (the store keeps no source per score); of 6 runs: 'org/m0', 'org/m1', "
        "'org/m2', 'org/m3', 'org/m4' (hellaswag acc, piqa acc); 'org/m5' (piqa acc)"
    ) in result.notes


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_a_run_ingest_over_stored_scores_names_the_runs(tmp_path: Path) -> None:
    runs = ladder(n_sizes=2, ratios=(20.0,))
    export, store = tmp_path / "export.csv", tmp_path / "s.duckdb"
    wandb_table(runs).to_csv(export, index=False)
    ingest(export, store=store)
    harness = tmp_path / "lm"
    for run in runs:
        _results(harness, run.name, {"hellaswag": 0.3})
    ingest_evals(harness, store=store)
    wandb_table(runs).assign(**{"hellaswag/acc": [0.31, 0.41]}).to_csv(export, index=False)
    result = ingest(export, store=store)
    assert result.written.evals is not None and result.written.evals.updated == 2
    a, b = (r.name for r in runs)
    assert (
        "2 updated scores replaced scores stored before: 2 from an earlier ingest of "
        f"evaluations (the store keeps no source per score); of 2 runs: '{a}', '{b}' "
        "(hellaswag acc)"
    ) in result.notes

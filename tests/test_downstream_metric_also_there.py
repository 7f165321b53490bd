"""Every reader of scores says which metric it read where a task has another too, as a
wide table's reader says ``metric acc read for hellaswag; acc_norm is there too``: a long
table (run, task, metric, value), lm-evaluation-harness results and the run store."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from scalinglab.cli import main
from scalinglab.downstream import read_evals, read_store_evals

DATA = Path(__file__).resolve().parent / "data" / "lm_eval"
RUNS = pd.DataFrame(
    {
        "run": ["org/tiny-10m", "org/tiny-40m", "org/tiny-160m"],
        "params": [10e6, 40e6, 160e6],
        "tokens": [2e8, 8e8, 3.2e9],
        "loss": [4.0, 3.6, 3.2],
    }
)


def _long() -> pd.DataFrame:
    rows = []
    for i, run in enumerate(RUNS["run"]):
        rows += [(run, "hellaswag", "acc", 0.26 + 0.02 * i),
                 (run, "hellaswag", "acc_norm", 0.27 + 0.02 * i),
                 (run, "piqa", "acc", 0.58 + 0.02 * i)]  # fmt: skip
    return pd.DataFrame(rows, columns=["run", "task", "metric", "value"]).merge(RUNS, on="run")


def test_a_long_table_says_which_metric_it_read_where_both_are_there() -> None:
    notes = read_evals(_long()).notes
    assert "metric acc read for hellaswag; acc_norm is there too (--metric acc_norm reads it)" in (
        notes
    )
    assert not any("piqa; acc_norm" in n for n in notes)  # piqa has acc alone
    chosen = read_evals(_long(), metric="acc_norm")
    assert "metric acc_norm read for hellaswag; acc is there too (--metric acc reads it)" in (
        chosen.notes
    )
    # a wide table of the same scores says it alike
    wide = _long().pivot_table(index="run", columns=["metric", "task"], values="value")
    wide.columns = [f"{m}_{t}" for m, t in wide.columns]
    wide = wide.reset_index().merge(RUNS, on="run")
    assert any(n.startswith("metric acc read for hellaswag; acc_norm is there too") for n in
               read_evals(wide).notes)  # fmt: skip


def test_harness_results_and_the_store_say_it_of_the_tasks_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    also = "metric acc read for {}; acc_norm is there too (--metric acc_norm reads {})"
    harness = read_evals(DATA, runs=RUNS)
    assert also.format(", ".join(harness.tasks), "them") in harness.notes
    one = read_evals(DATA, runs=RUNS, tasks=["piqa"])  # of the tasks read only
    assert also.format("piqa", "it") in one.notes
    runs, store = tmp_path / "runs.csv", tmp_path / "s.duckdb"
    RUNS.to_csv(runs, index=False)
    assert main(["ingest", str(runs), "--store", str(store)]) == 0
    assert main(["ingest", str(DATA), "--store", str(store)]) == 0
    capsys.readouterr()
    stored = read_store_evals(store)
    assert also.format(", ".join(stored.tasks), "them") in stored.notes

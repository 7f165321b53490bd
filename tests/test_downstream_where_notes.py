"""``downstream fit --where``: the note on tasks left out for want of the metric speaks of
the models the filter kept, not of those it removed (a long table, and the run store)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from scalinglab.downstream import read_evals, read_store_evals
from scalinglab.store import RunStore, StoredRun

_NOTE = "no acc for hellaswag: left out (--metric acc_norm reads it)"


def _rows() -> list[tuple[str, str, str, float, float, float, float, str]]:
    """Four c4 models scored on piqa (acc), four pile models on piqa and hellaswag, the
    latter in acc_norm only."""
    rows = []
    for k in range(4):
        n, loss = 1e7 * 2**k, 3.5 - 0.2 * k
        for corpus in ("c4", "pile"):
            run = f"{corpus}-{k}"
            rows.append((run, "piqa", "acc", 0.55 + 0.05 * k, n, 20 * n, loss, corpus))
            if corpus == "pile":
                rows.append((run, "hellaswag", "acc_norm", 0.3 + 0.04 * k, n, 20 * n, loss, corpus))
    return rows


def test_a_long_tables_note_is_of_the_models_kept(tmp_path: Path) -> None:
    path = tmp_path / "evals.csv"
    columns = ["run", "task", "metric", "value", "params", "tokens", "loss", "dataset"]
    pd.DataFrame(_rows(), columns=columns).to_csv(path, index=False)
    kept = read_evals(path, where=[("dataset", "c4")])
    assert len(kept.runs) == 4 and _NOTE not in kept.notes and "hellaswag" not in kept.left_out
    pile = read_evals(path, where=[("dataset", "pile")])
    assert _NOTE in pile.notes and "hellaswag" in pile.left_out
    assert _NOTE in read_evals(path).notes  # no filter: every model's tasks


@pytest.mark.heavy  # 2.3 s in the suite on a 2-core AMD EPYC
def test_a_stores_note_is_of_the_models_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = RunStore(tmp_path / "s.duckdb")
    seen: dict[str, StoredRun] = {}
    for run, _, _, _, n, d, loss, corpus in _rows():
        seen[run] = StoredRun(
            run_id=run, name=run, params=n, tokens=d, loss=loss, config={"dataset": corpus}
        )
    store.put_runs((r, None) for r in seen.values())
    scores = [(run, task, metric, value) for run, task, metric, value, *_ in _rows()]
    store.put_evals(pd.DataFrame(scores, columns=["run", "task", "metric", "value"]))
    kept = read_store_evals(store.path, where=[("dataset", "c4")])
    assert len(kept.runs) == 4 and _NOTE not in kept.notes and "hellaswag" not in kept.left_out
    assert _NOTE in read_store_evals(store.path, where=[("dataset", "pile")]).notes
    # read_evals' forms of where, as fit(where=...) takes them
    assert read_store_evals(store.path, where="dataset=c4").runs.runs == kept.runs.runs
    assert read_store_evals(store.path, where={"dataset": "c4"}).runs.runs == kept.runs.runs
    assert _NOTE in read_store_evals(store.path).notes

"""A long evaluation table whose metric is lm-evaluation-harness's key ``acc,none`` is read
as ``acc`` with one note for all its tasks, where the note named every task."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from tests.test_ingest_eval_tables import ARC, PIQA, RUNS

from scalinglab.downstream import read_evals

TASKS = {"piqa": PIQA, "arc_easy": ARC, "hellaswag": [0.27, 0.29, 0.33, 0.36]}


def test_acc_none_of_every_task_is_said_once(tmp_path: Path) -> None:
    rows = [(r, t, "acc,none", s[k]) for t, s in TASKS.items() for k, r in enumerate(RUNS["run"])]
    path = tmp_path / "long.csv"
    pd.DataFrame(rows, columns=["run", "task", "metric", "value"]).to_csv(path, index=False)
    evals = read_evals(path, runs=RUNS)
    assert set(evals.tasks) == set(TASKS)
    np.testing.assert_allclose(evals.accuracy("arc_easy"), ARC)
    said = [n for n in evals.notes if "acc,none" in n]
    assert said == ["acc of all 3 tasks read as acc,none (lm-evaluation-harness's key, no filter)"]
    # one task of three under another filter: the tasks are named, as before
    frame = pd.DataFrame(rows, columns=["run", "task", "metric", "value"])
    frame.loc[frame["task"] == "piqa", "metric"] = "acc,strict"
    frame.to_csv(path, index=False)
    notes = read_evals(path, runs=RUNS).notes
    assert "acc of piqa, arc_easy, hellaswag read under its only filter (acc,strict, acc,none)" in (
        notes
    )

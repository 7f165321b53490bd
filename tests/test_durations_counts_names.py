"""A duration is ``wall_s`` (wall-clock seconds), as a trained rung's ``wall_s`` in its
``result.json``, the store's column and ``ladder status --json`` names it: an ingest's
``seconds`` and a progress report's ``elapsed_s`` were the same thing under other names. A
count is ``n_*``: an evals ingest's ``scores`` (a count; ``scores`` elsewhere are errors)
is ``n_scores``, its ``models`` ``n_models``, and its ``examples`` (a count of the task sizes
read, one per model and task: not examples) ``n_task_sizes``. The old attributes warn; the old JSON keys are kept beside the new for one
release; a ``progress.json`` an older worker wrote (``elapsed_s``) is still read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.test_store_evals import FIXTURES, RUNS

from scalinglab.execute._backend import PROGRESS, read_progress
from scalinglab.ingest import ingest, ingest_evals
from scalinglab.ladder import TrainProgress


def test_ingests_say_wall_s_and_n_scores(tmp_path: Path) -> None:
    path, table = tmp_path / "s.duckdb", tmp_path / "runs.csv"
    RUNS.to_csv(table, index=False)
    runs = ingest(table, store=path)
    assert runs.wall_s > 0
    said = runs.to_dict()
    assert said["wall_s"] == said["seconds"] == round(runs.wall_s, 3)  # the old key, kept
    with pytest.warns(DeprecationWarning, match=r"IngestResult\.seconds is deprecated"):
        assert runs.seconds == runs.wall_s
    evals = ingest_evals(FIXTURES, store=path)
    # 3 models x 3 tasks x 4 metrics, as the harness files hold them (test_store_evals)
    assert evals.n_scores == 36 and evals.wall_s > 0
    said = evals.to_dict()
    assert said["n_scores"] == said["scores"] == 36  # the old key, kept one release
    assert said["wall_s"] == said["seconds"] == round(evals.wall_s, 3)
    with pytest.warns(DeprecationWarning, match=r"EvalsIngestResult\.scores is deprecated"):
        assert evals.scores == 36
    with pytest.warns(DeprecationWarning, match=r"EvalsIngestResult\.seconds is deprecated"):
        assert evals.seconds == evals.wall_s


def test_an_evals_ingest_counts_models_and_task_sizes_as_n_models_and_n_task_sizes(
    tmp_path: Path,
) -> None:
    path, table = tmp_path / "s.duckdb", tmp_path / "runs.csv"
    RUNS.to_csv(table, index=False)
    ingest(table, store=path)
    evals = ingest_evals(FIXTURES, store=path)
    # the reference: the harness files themselves, one per model, each task's n-samples
    files = [json.loads(f.read_text()) for f in sorted(FIXTURES.rglob("results*.json"))]
    models = {f["model_name"] for f in files}
    sizes = {(f["model_name"], task) for f in files for task in f["n-samples"]}
    assert evals.n_models == len(models) == 3 and evals.n_task_sizes == len(sizes) == 9
    said = evals.to_dict()
    assert said["n_models"] == said["models"] == 3  # the old keys, kept one release
    assert said["n_task_sizes"] == said["examples"] == 9
    with pytest.warns(DeprecationWarning, match=r"EvalsIngestResult\.models is deprecated"):
        assert evals.models == 3
    with pytest.warns(DeprecationWarning, match=r"EvalsIngestResult\.examples is deprecated"):
        assert evals.examples == 9


def test_progress_reports_wall_s_and_reads_an_older_workers_elapsed_s(tmp_path: Path) -> None:
    report = {"run_id": "r", "step": 7, "steps": 10, "tokens": 1792, "train_loss": 3.0,
              "eval_loss": None, "tokens_per_s": 1e4}  # fmt: skip
    (tmp_path / PROGRESS).write_text(json.dumps({**report, "wall_s": 2.5}))
    now = read_progress(tmp_path)
    assert now == TrainProgress(**report, wall_s=2.5)
    (tmp_path / PROGRESS).write_text(json.dumps({**report, "elapsed_s": 2.5}))  # older
    assert read_progress(tmp_path) == now
    with pytest.warns(DeprecationWarning, match=r"TrainProgress\.elapsed_s is deprecated"):
        assert now.elapsed_s == 2.5
